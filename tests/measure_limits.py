"""Measure the hostile cases of the worker limits with real runs (not a test; figures for notes).

    python tests/measure_limits.py              # every case, sandbox and process isolation
    python tests/measure_limits.py CASE ISOLATION
    MLGRADE_NO_CGROUP=1 python tests/measure_limits.py memory-5x600MiB sandbox   # the fallback

Each case grades one exercise (ex01_forward) of a copy of solutions/ whose predict is hostile,
in a fresh process, and prints the wall time, the first failure message and the grading
process's peak resident memory (ru_maxrss).
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIPES = "import json, sys\nREQUEST, REPLY = json.loads(sys.argv[1])['fds']\n"
CASES = {
    "memory-5x600MiB": ("""
import os, time
kids = []
for _ in range(5):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (600 << 20)
        time.sleep(0.5)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
""", dict(timeout=30, memory_mb=1024)),
    "fork-bomb": ("import os\nwhile True:\n    os.fork()\n", dict(timeout=5)),
    "dev-fill": ("open('/dev/fill', 'wb').write(bytes(1 << 30))\n", dict(timeout=5)),
    "tmp-fill": ("""
for i in range(100):
    open(f'/tmp/fill{i}', 'wb').write(bytes(8 << 20))
""", dict(timeout=5)),
    "stalled-pipe": (None, dict(timeout=3)),
    "huge-reply-24MB": (PIPES + "import os\nos.write(REPLY, b'[' + b'[],' * (8 << 20) + b'1]\\n')",
                        dict(timeout=10)),
    "wide-reply-15MB": (PIPES + "import os\nos.write(REPLY, b'[' + b'[],' * (5 << 20) + b'1]\\n')",
                        dict(timeout=10)),
    "nested-reply": (PIPES + "import os\nos.write(REPLY, b'[' * 1000000 + b'\\n')\n",
                     dict(timeout=10)),
    "endless-reply": (PIPES + "import os\nwhile True:\n    os.write(REPLY, b'[' * 4096)\n",
                      dict(timeout=10)),
}
STALL = PIPES + """
import os
keep = os.dup(REQUEST)
r, w = os.pipe()
os.dup2(r, REQUEST)
"""


def one(case: str, isolation: str) -> None:
    import numpy as np

    from mlgrade.outcomes import StudentError
    from mlgrade.pool import Exercise
    from mlgrade.sandbox import Limits, describe

    if os.environ.get("MLGRADE_NO_CGROUP"):
        from mlgrade import cgroups
        cgroups.parents = lambda: {}
    source, limits = CASES[case]
    solution = (ROOT / "solutions" / "ex01_forward.py").read_text()
    with tempfile.TemporaryDirectory() as ws:
        os.chmod(ws, 0o755)
        for name in os.listdir(ROOT / "solutions"):
            shutil.copy(ROOT / "solutions" / name, ws)
        if source is None:
            text, args = STALL + solution, [np.zeros(200_000), np.zeros(200_000), 0.0]
        else:
            body = "".join(f"    {line}\n" for line in source.strip().splitlines())
            text = solution.replace("    ### BEGIN SOLUTION\n", "    ### BEGIN SOLUTION\n" + body)
            args = [np.ones(2), np.ones(2), 0.5]
        Path(ws, "ex01_forward.py").write_text(text)
        limits = Limits(**limits)
        ex = Exercise(ws, "ex01_forward", limits, isolation)
        start = time.monotonic()
        try:
            ex.call("predict", args)
            outcome = "PASSED (limit did not hold)"
        except StudentError as exc:
            outcome = f"{exc.kind}: {exc}"
        finally:
            ex.close()
        seconds = time.monotonic() - start
        how = describe(isolation, limits, ws)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(f"{case:16} {isolation:8} {seconds:6.2f} s  grader peak {peak:4d} MB  {outcome[:110]}")
    if case == "memory-5x600MiB":
        print(f"{'':26}memory: {how['memory']}; processes: {how['processes']}; "
              f"user: {how['user']}")


def main() -> None:
    if len(sys.argv) == 3:
        one(sys.argv[1], sys.argv[2])
        return
    from mlgrade import sandbox
    isolations = ["sandbox", "process"] if sandbox.sandbox_available() else ["process"]
    for case in CASES:
        for isolation in isolations:
            if case in ("dev-fill", "tmp-fill") and isolation == "process":
                continue
            subprocess.run([sys.executable, __file__, case, isolation], check=False)


if __name__ == "__main__":
    main()
