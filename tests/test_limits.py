"""Limits on the whole worker, waits that end, what student code may import, and honesty
about the isolation (issue 8: items 2, 3, 6, 7).

The memory and process limits cover everything a worker starts: a cgroup of its own where
the machine allows one (checked here when it does), else a fallback over the process tree.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from mlgrade import cgroups, sandbox
from mlgrade.cli import cli
from mlgrade.outcomes import Status, StudentError
from mlgrade.pool import Exercise
from mlgrade.runner import IsolationError
from mlgrade.sandbox import Limits
from mlgrade.worker import wire

from conftest import ROOT, grade
from test_hostile import ISOLATIONS, messages, needs_sandbox

LIMITS = Limits(timeout=3, memory_mb=512)

CGROUP = {"memory", "pids"} <= set(cgroups.parents())
needs_cgroup = pytest.mark.skipif(not CGROUP, reason="no writable memory and pids cgroup here")
SOLUTION_EX01 = (ROOT / "solutions" / "ex01_forward.py").read_text()
# the worker's own pipes, as a hostile submission finds them
PIPES = "import json, sys\nREQUEST, REPLY = json.loads(sys.argv[1])['fds']\n"


def run(workspace, module: str, source: str, isolation: str = "auto", limits=LIMITS):
    """Grade only `module` (the other exercises' safety is test_hostile's); bounded time."""
    ws = workspace(**{module: source})
    start = time.monotonic()
    report = grade(ws, modules=[module], limits=limits, isolation=isolation)
    assert time.monotonic() - start < 10 * (limits.timeout + 1) + 5
    return report, report.exercises[0]


def call_once(workspace, source: str, isolation: str = "auto", limits=LIMITS):
    """One call of ex01's predict in a worker of a workspace whose ex01 is `source`."""
    ws = workspace(ex01_forward=source)
    ex = Exercise(str(ws), "ex01_forward", limits, isolation)
    start = time.monotonic()
    try:
        return ex.call("predict", [np.ones(2), np.ones(2), 0.5])
    finally:
        ex.close()
        assert time.monotonic() - start < limits.timeout + 1.5


def answer_after(prelude: str) -> str:
    """ex01 whose predict runs `prelude` (indented) before computing the right answer."""
    body = "".join(f"    {line}\n" for line in prelude.strip().splitlines())
    return SOLUTION_EX01.replace("    ### BEGIN SOLUTION\n", "    ### BEGIN SOLUTION\n" + body)


# --- memory of the whole worker ---------------------------------------------------------

FIVE_CHILDREN = """
import os, time
children = []
for _ in range(5):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (600 << 20)     # 600 MiB, every page touched
        time.sleep(0.5)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
"""


@needs_cgroup
@needs_sandbox
def test_five_children_of_600_mib_exceed_a_limit_of_1_gib(workspace):
    # a generous timeout: touching 1 GiB takes seconds on a loaded machine
    with pytest.raises(StudentError, match=r"memory limit of 1024 MB exceeded \(all processes"):
        call_once(workspace, answer_after(FIVE_CHILDREN), "sandbox",
                  Limits(timeout=30, memory_mb=1024))


@needs_cgroup
def test_five_children_exceed_the_limit_in_process_isolation(workspace):
    source = FIVE_CHILDREN.replace("600 << 20", "100 << 20")
    with pytest.raises(StudentError, match="memory limit of 256 MB exceeded"):
        call_once(workspace, answer_after(source), "process", Limits(timeout=8, memory_mb=256))


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_without_a_cgroup_the_process_tree_is_measured(workspace, isolation, monkeypatch):
    monkeypatch.setattr(cgroups, "parents", lambda: {})
    source = FIVE_CHILDREN.replace("600 << 20", "100 << 20").replace("0.5", "3")
    with pytest.raises(StudentError, match="memory limit of 256 MB exceeded"):
        # processes: RLIMIT_NPROC counts every process of nobody on the machine (other graders')
        call_once(workspace, answer_after(source), isolation,
                  Limits(timeout=8, memory_mb=256, processes=20_000))
    limits = sandbox.describe(isolation, LIMITS, str(workspace()))
    assert limits["memory"].startswith("512 MB: fallback")


def snapshot(base: str) -> tuple:
    """The children of a cgroup (but other graders' workers, which come and go) and its limits;
    those of this process must all be gone."""
    files = [f for f in ("memory.limit_in_bytes", "memory.max", "pids.max")
             if os.path.exists(os.path.join(base, f))]
    names = os.listdir(base)
    assert not [n for n in names if n.startswith(f"{cgroups.PREFIX}{os.getpid()}-")]
    return (sorted(n for n in names if not n.startswith(cgroups.PREFIX)),
            [open(os.path.join(base, f)).read() for f in files])


@needs_cgroup
def test_cgroups_are_removed_and_others_left_alone(workspace):
    parents = {base for _, base in cgroups.parents().values()}
    before = {base: snapshot(base) for base in parents}
    grade(workspace(), modules=["ex01_forward", "ex02_mse"], limits=Limits(timeout=5))
    assert {base: snapshot(base) for base in parents} == before


# --- process count ----------------------------------------------------------------------

FORK_BOMB = """
import os, time
for _ in range(1000):          # bounded, so that a missing limit fails the test, not the machine
    if os.fork() == 0:
        time.sleep(2)
        os._exit(0)
"""


@needs_cgroup
@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_fork_bomb_is_stopped_by_the_process_limit(workspace, isolation):
    _, ex = run(workspace, "ex01_forward", answer_after(FORK_BOMB), isolation,
                Limits(timeout=5, memory_mb=512, processes=32))
    assert ex.score == 0
    assert "Resource temporarily unavailable" in messages(ex), messages(ex)


# --- writable filesystems ---------------------------------------------------------------

@needs_sandbox
@pytest.mark.parametrize("where", ["/dev/fill", "/tmp/fill", "/fill", "/scratch/fill"])
def test_filling_a_filesystem_fails(workspace, where):
    fill = f"""
for i in range(12):                      # 12 files of 8 MB: 96 MB
    with open("{where}" + str(i), "wb") as f:
        f.write(bytes(8 << 20))
"""
    _, ex = run(workspace, "ex01_forward", answer_after(fill), "sandbox")
    assert ex.score == 0
    assert ("Read-only file system" in messages(ex)
            or "No space left on device" in messages(ex)), messages(ex)


@needs_sandbox
def test_the_sandbox_devices_work_but_cannot_be_changed(workspace):
    # chmod to the mode it already has: refused unless the worker owns the machine's device
    # (it did when bwrap ran as root), and harmless if this test ever fails
    probe = """
import os, stat
for name in ("null", "zero", "full", "random", "urandom"):
    path = "/dev/" + name
    try:
        os.chmod(path, stat.S_IMODE(os.stat(path).st_mode))
        raise AssertionError(path + " can be changed")
    except PermissionError:
        pass
with open(os.devnull, "w") as f:
    f.write("quiet")
assert len(open("/dev/urandom", "rb").read(8)) == 8
"""
    _, ex = run(workspace, "ex01_forward", answer_after(probe), "sandbox")
    assert ex.score == ex.max_score, messages(ex)


# --- every wait ends -------------------------------------------------------------------

STALL = PIPES + """
import os
keep = os.dup(REQUEST)             # the grader's pipe stays open, so its writes do not fail
r, w = os.pipe()
os.dup2(r, REQUEST)                # ... but the worker now reads a pipe nobody writes to
"""


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_worker_that_stops_reading_its_requests_cannot_hang_the_grader(workspace, isolation):
    ws = workspace(ex01_forward=STALL + SOLUTION_EX01)
    ex = Exercise(str(ws), "ex01_forward", Limits(timeout=2), isolation)
    big = np.zeros(200_000)            # 1.6 MB: far more than a pipe holds
    start = time.monotonic()
    try:
        with pytest.raises(StudentError, match="time limit"):
            ex.call("predict", [big, big, 0.0])
    finally:
        ex.close()
    assert time.monotonic() - start < 2 + 1.5


@pytest.mark.parametrize("reply, says", [
    ('b"[" * 300_000', "the worker's reply is larger than the 0.25 MB limit"),
    ('b\'{"v": \' + b"[" * 120_000', "more than 100000 nested lists"),
    ('b"[" * 5_000 + b"]" * 5_000', "not a result"),
    ('b"[[]," * 50_000 + b"[]]"', "more than 100000 nested lists"),
])
def test_huge_or_nested_replies_are_refused_quickly(workspace, monkeypatch, reply, says):
    monkeypatch.setattr(wire, "MAX_BYTES", 1 << 18)     # the grader's cap, in this process
    source = answer_after(PIPES + f"import os\nos.write(REPLY, {reply} + b'\\n')\n")
    with pytest.raises(StudentError, match=says):
        call_once(workspace, source, limits=Limits(timeout=5, memory_mb=512))


def test_a_reply_that_never_ends_costs_at_most_the_timeout(workspace):
    trickle = PIPES + "import os, time\nwhile True:\n    os.write(REPLY, b'[')\n" \
        "    time.sleep(.01)\n"
    limits = Limits(timeout=2, memory_mb=512)
    _, ex = run(workspace, "ex01_forward", answer_after(trickle), limits=limits)
    assert ex.score == 0 and "time limit of 2 s" in messages(ex), messages(ex)
    # the student's budget is timeout + 0.6 s (pool.GRACE) + the kill, well within timeout + 1;
    # ex.seconds also holds the grading process's own time per check, which grows with the
    # machine's load (3.19 s seen once at load 10): hence the extra 0.5 s of margin
    assert ex.seconds <= limits.timeout + 1.5, ex.seconds


def test_an_honest_result_above_the_cap_is_named():
    line = wire.dumps({"ok": True, "value": np.zeros(3 << 20)})     # 24 MB of float64
    assert len(line) > wire.MAX_BYTES
    with pytest.raises(wire.WireError, match="larger than 16 MB"):
        wire.loads(line)


# --- imports -----------------------------------------------------------------------------

def test_an_unused_matplotlib_import_costs_nothing(workspace):
    pytest.importorskip("matplotlib")
    source = "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    report, ex = run(workspace, "ex01_forward", source + SOLUTION_EX01,
                     limits=Limits(timeout=10, memory_mb=1024))
    assert ex.score == ex.max_score, messages(ex)


@pytest.mark.parametrize("module, says", [
    ("torchx", "import of torchx failed: it is not installed where grading runs"),
    ("mlgrade", "import of mlgrade failed: the grader's own package cannot be imported"),
    ("mlgrade.catalog.ex01_forward", "the grader's own package cannot be imported"),
])
@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_failed_import_names_the_module_and_why(workspace, isolation, module, says):
    _, ex = run(workspace, "ex01_forward", f"import {module}\n" + SOLUTION_EX01, isolation)
    assert ex.score == 0 and says in messages(ex), messages(ex)
    assert all(c.status is Status.ERROR for c in ex.checks)     # the student's code raised


def test_the_grading_environment_is_importable_but_not_the_grader():
    dirs = sandbox.site_dirs()
    assert sandbox.SITE_DIR in dirs and all(os.path.isdir(d) for d in dirs)


@needs_sandbox
def test_an_installed_mlgrade_is_hidden_in_the_sandbox(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    (site / "mlgrade" / "catalog").mkdir(parents=True)
    (site / "mlgrade" / "catalog" / "ex01_forward.py").write_text("ANSWER = 1\n")
    (site / "other.py").write_text("VALUE = 2\n")
    os.chmod(tmp_path, 0o755)
    monkeypatch.setattr(sandbox, "site_dirs", lambda: (str(site),))
    monkeypatch.setattr(sandbox, "PACKAGE_DIR", str(site / "mlgrade"))
    code = (f"import os, sys; sys.path.append({str(site)!r}); import other; "
            f"print(other.VALUE, os.listdir({str(site / 'mlgrade')!r}))")
    info_r, info_w = os.pipe()
    argv = sandbox.bwrap_prefix(str(tmp_path), info_w) + [
        os.path.realpath(sys.executable), "-I", "-S", "-c", code]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                              pass_fds=(info_w,))
    finally:
        os.close(info_r)
        os.close(info_w)
    assert done.stdout.split() == ["2", "[]"], done.stderr


# --- honesty about the isolation ---------------------------------------------------------

def test_every_report_states_its_isolation_limits_and_gaps(workspace, runner, tmp_path):
    ws = workspace()
    out = tmp_path / "r.json"
    result = runner.invoke(cli, ["check", str(ws), "-e", "ex01_forward", "--format", "json",
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["isolation"] in ("sandbox", "process") and report["isolation_does_not_protect"]
    assert set(report["limits"]) >= {"memory", "processes", "cpu", "disk", "user"}
    if CGROUP:
        assert "memory.limit_in_bytes" in report["limits"]["memory"] or "memory.max" in \
            report["limits"]["memory"]
        assert "pids.max" in report["limits"]["processes"]
    text = runner.invoke(cli, ["check", str(ws), "-e", "ex01_forward", "--isolation", "process"])
    assert "Isolation: process. Not protected: " in text.output


def test_grading_for_record_refuses_process_isolation_unless_asked(monkeypatch):
    monkeypatch.setattr(sandbox, "sandbox_available", lambda: False)
    with pytest.raises(RuntimeError, match="grading for record needs the sandbox"):
        sandbox.choose("auto", for_record=True)
    assert sandbox.choose("process", for_record=True) == "process"
    assert sandbox.choose("auto") == "process"


def test_grade_workspace_for_record_refuses_a_silent_fallback(workspace, monkeypatch):
    monkeypatch.setattr(sandbox, "sandbox_available", lambda: False)
    with pytest.raises(IsolationError, match="grading for record"):
        grade(workspace(), modules=["ex01_forward"], for_record=True)
    report = grade(workspace(), modules=["ex01_forward"], for_record=True, isolation="process")
    assert report.isolation == "process" and report.score == report.max_score


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_the_worker_runs_as_the_user_the_report_names(workspace, isolation):
    # the uid outside any user namespace: the process's own, or the sandbox's uid_map
    outer = ("open('/proc/self/uid_map').read().split()[1]" if isolation == "sandbox"
             else "os.getuid()")
    source = f"import os\ndef predict(w, x, b):\n    raise RuntimeError('uid=' + str({outer}))\n"
    report, ex = run(workspace, "ex01_forward", source, isolation)
    user = sandbox.worker_user(str(workspace()), isolation)
    expected = user if user is not None else os.geteuid()
    assert f"uid={expected}" in messages(ex), messages(ex)
    assert re.search(rf"(^|, )uid {expected}\b", report.limits["user"]), report.limits["user"]


def test_a_workspace_nobody_cannot_read_is_not_given_to_nobody():
    with tempfile.TemporaryDirectory() as folder:
        if not sandbox.reachable(os.path.dirname(folder), sandbox.NOBODY):
            pytest.skip("the temporary directory is not reachable by nobody here")
        check_reachability(Path(folder))


def check_reachability(tmp_path):
    ws = tmp_path / "ws"
    (ws / "helpers").mkdir(parents=True)
    (ws / "ex01_forward.py").write_text("")
    for path in (tmp_path, ws, ws / "helpers"):
        os.chmod(path, 0o755)
    os.chmod(ws / "ex01_forward.py", 0o644)
    assert sandbox.workspace_reachable(str(ws), sandbox.NOBODY)
    os.chmod(ws / "helpers", 0o700)
    assert not sandbox.workspace_reachable(str(ws), sandbox.NOBODY)
    os.chmod(ws / "helpers", 0o755)
    os.chmod(ws / "ex01_forward.py", 0o600)
    assert not sandbox.workspace_reachable(str(ws), sandbox.NOBODY)


@pytest.mark.skipif(os.geteuid() != 0, reason="the grader is not root here")
def test_as_root_process_workers_run_unprivileged_or_say_so(workspace):
    ws = workspace()
    user = sandbox.worker_user(str(ws))
    report = grade(ws, modules=["ex01_forward"], isolation="process")
    if user is None:
        assert "root" in report.limits["user"] and "root" in report.unprotected
    else:
        assert report.limits["user"].startswith(f"uid {user}")


@pytest.mark.parametrize("fmt, for_record", [("junit", True), ("gradescope", True),
                                             ("json", False), ("text", False)])
def test_the_ci_formats_of_check_are_graded_for_record(workspace, runner, monkeypatch, fmt,
                                                        for_record):
    """`check --format junit|gradescope` is a grade of record: without the sandbox, "auto"
    is a usage error naming why; the formats for people still fall back (and say so)."""
    monkeypatch.setattr(sandbox, "sandbox_available", lambda: False)
    result = runner.invoke(cli, ["check", str(workspace()), "-e", "ex01_forward", "--format", fmt])
    if for_record:
        assert result.exit_code == 2 and "grading for record" in result.stderr
    else:
        assert result.exit_code == 0, result.output


BUSY_CHILDREN = """
import os, time
def predict(w, x, b):
    start, before = time.monotonic(), os.times()
    for _ in range(3):                      # three processes that only burn CPU for 0.6 s
        if os.fork() == 0:
            while time.monotonic() < start + 0.6:
                pass
            os._exit(0)
    for _ in range(3):
        os.wait()
    times = os.times()
    used = (times.children_user + times.children_system - before.children_user
            - before.children_system)
    raise RuntimeError(f"cpu per wall {used / (time.monotonic() - start):.2f}")
"""


@pytest.mark.skipif("cpu" not in cgroups.parents(), reason="no writable cpu cgroup here")
@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_worker_uses_one_cpu_at_most_whatever_it_starts(workspace, isolation):
    # a student's busy processes get one CPU's share in all, not the other grading slot's too
    # (without the cgroup, 3 busy processes on 2 free cores use about 2 CPUs per second)
    report, ex = run(workspace, "ex01_forward", BUSY_CHILDREN, isolation,
                     Limits(timeout=8, memory_mb=512))
    ratios = [float(c.message.rsplit(" ", 1)[1]) for c in ex.checks
              if "cpu per wall" in (c.message or "")]
    assert ratios and max(ratios) < 1.5, ratios
    assert "one CPU for the whole worker" in report.limits["cpu"]
