"""The benchmark of issue 9, in one run: floor, one check, a class, how a class scales.

    python benchmarks/run.py [--runs 5] [--jobs 2] [--timeout 2] [--sizes 25 50 100 200]

Measures side by side, with the installed `mlgrade`:
  - the floor: `python -c "import numpy"`;
  - one `mlgrade check` of a correct workspace (solutions/), all 13 exercises;
  - what an infinite loop costs one check beyond a correct one (bound: timeout + 1 s);
  - `mlgrade grade` of generated classes (benchmarks/classgen.py: correct, mistaken and
    hostile submissions mixed) with --jobs J, for each size;
and prints the ratios: check / floor, submissions per second, seconds per submission at
each size relative to the smallest (1.0 = linear growth).  It also checks that every
correct submission of each class got full marks.

Beside each wall time it prints the CPU time (user + system) of the command and of every
process it started, from a cpuacct cgroup (v1) or a cgroup's cpu.stat (v2) made for the
run where the machine allows, else from getrusage (which misses processes not waited for):
on a loaded machine the wall times follow the load, the CPU times much less.
"""
import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import classgen

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("mlgrade"))


def cpu_cgroup() -> tuple[str, str] | None:
    """(folder, usage file) of a new cgroup that counts CPU time, or None."""
    with open("/proc/self/cgroup") as f:
        own = dict(line.rstrip("\n").split(":", 2)[1:] for line in f)
    name = f"mlgrade-bench-{os.getpid()}-{time.monotonic_ns()}"
    for base, usage in ((f"/sys/fs/cgroup/cpuacct{own.get('cpuacct', '')}", "cpuacct.usage"),
                        (f"/sys/fs/cgroup{own.get('', '')}", "cpu.stat")):
        try:
            os.mkdir(os.path.join(base, name))
        except OSError:
            continue
        if os.path.exists(os.path.join(base, name, usage)):
            return os.path.join(base, name), usage
        os.rmdir(os.path.join(base, name))
    return None


def read_usage(folder: str, usage: str) -> float:
    """CPU seconds counted by the cgroup."""
    with open(os.path.join(folder, usage)) as f:
        text = f.read()
    if usage == "cpu.stat":
        return int(dict(line.split() for line in text.splitlines())["usage_usec"]) / 1e6
    return int(text) / 1e9


def timed(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of running `args` once."""
    group = cpu_cgroup()

    def join():
        with open(os.path.join(group[0], "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False, preexec_fn=join if group else None)
    seconds = time.perf_counter() - start
    if group is None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return seconds, (after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)
    cpu = read_usage(*group)
    for _ in range(100):            # its processes may take a moment to be gone
        try:
            os.rmdir(group[0])
            break
        except OSError:
            time.sleep(0.05)
    return seconds, cpu


def wall(args: list[str], runs: int = 1) -> tuple[float, float]:
    """Median (wall, CPU) seconds of running `args` `runs` times."""
    times = [timed(args) for _ in range(runs)]
    return (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))


def grade_class(size: int, jobs: int, timeout: float) -> tuple[float, float, int, int, int]:
    """(seconds, CPU seconds, correct at full marks, correct, failed to grade) for a class
    of `size`."""
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        kinds = classgen.make(subs, size)
        gradebook = Path(tmp) / "grades.csv"
        seconds, cpu = timed([EXE, "grade", str(subs), "--output", str(gradebook), "--reports",
                              str(Path(tmp) / "reports"), "--jobs", str(jobs), "--timeout",
                              str(timeout)])
        with open(gradebook, newline="") as f:
            rows = {r["student"]: r for r in csv.DictReader(f)}
    correct = [s for s, k in kinds.items() if k == "correct"]
    full = sum(rows.get(s, {}).get("score") == rows.get(s, {}).get("max_score") != ""
               for s in correct)
    failed = sum(1 for r in rows.values() if r["error"]) + size - len(rows)
    return seconds, cpu, full, len(correct), failed


def loop_cost(timeout: float, runs: int) -> float:
    """Seconds an infinite loop in one module adds to a check of a correct workspace."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(ROOT / "solutions", ws)
        (ws / "ex02_mse.py").write_text("while True:\n    pass\n")
        base = wall([EXE, "check", str(ROOT / "solutions"), "--timeout", str(timeout)], runs)
        looping = wall([EXE, "check", str(ws), "--timeout", str(timeout)], runs)
    return looping[0] - base[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200])
    args = parser.parse_args()

    floor, floor_cpu = wall([sys.executable, "-c", "import numpy"], args.runs)
    check, check_cpu = wall([EXE, "check", str(ROOT / "solutions"), "--seed", "1"], args.runs)
    loop = loop_cost(args.timeout, max(1, args.runs // 2))
    print(f"floor  python -c 'import numpy'           {floor:7.2f} s   CPU {floor_cpu:5.2f} s")
    print(f"check  mlgrade check solutions (13 ex.)   {check:7.2f} s   CPU {check_cpu:5.2f} s   "
          f"= {check / floor:.1f}x floor (CPU {check_cpu / floor_cpu:.1f}x)")
    print(f"loop   infinite loop in one exercise     +{loop:6.2f} s   (timeout {args.timeout:g} s, "
          f"bound timeout + 1 s)")
    base = None
    for size in args.sizes:
        seconds, cpu, full, correct, failed = grade_class(size, args.jobs, args.timeout)
        each = seconds / size
        base = base or each
        print(f"grade  {size:4d} submissions, --jobs {args.jobs}     {seconds:7.1f} s   "
              f"CPU {cpu:6.1f} s ({cpu / size:.2f} s each)   {size / seconds:5.2f}/s   "
              f"{each:5.2f} s each = {each / base:.2f}x the {args.sizes[0]}-class's   "
              f"correct at full marks {full}/{correct}   failed to grade {failed}")


if __name__ == "__main__":
    main()
