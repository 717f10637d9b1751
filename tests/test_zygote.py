"""Warm workers (zygote.py): forked in one sandbox per workspace, yet each exercise alone.

A student's code that attacks the zygote or leaves processes and files behind costs its
own exercise only: the next exercise starts clean, or in a sandbox of its own.
"""
import os
import stat
import textwrap

import pytest

from mlgrade import zygote
from mlgrade.sandbox import Limits

from conftest import failing, grade

LIMITS = Limits(timeout=3, memory_mb=512)
FIRST = ["ex01_forward", "ex02_mse", "ex03_chain_rule"]


def full_marks_except(report, module: str) -> None:
    for e in report.exercises:
        if e.id != module:
            assert e.score == e.max_score, (e.id, [c.message for c in e.checks if not c.passed])


def test_workers_are_forked_by_the_warm_sandbox(workspace, monkeypatch):
    monkeypatch.delenv("MLGRADE_WARM", raising=False)
    ws = workspace(ex01_forward="""
        import os
        def predict(w, x, b):
            raise RuntimeError(open(f"/proc/{os.getppid()}/cmdline").read().replace("\\0", " "))
        """)
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    assert "zygote.py" in report.exercises[0].checks[0].message
    monkeypatch.setenv("MLGRADE_WARM", "0")
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    assert "zygote.py" not in report.exercises[0].checks[0].message


LEFT_BEHIND = """
    import os, signal, time
    spare = (1, os.getppid())                 # the sandbox's init, and the zygote if any
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:                  # a daemon, reparented to the sandbox's init
            open("/scratch/left-behind", "w").write("x")
            while True:
                for pid in os.listdir("/proc"):
                    if pid.isdigit() and int(pid) not in (*spare, os.getpid()):
                        try:
                            os.kill(int(pid), signal.SIGKILL)
                        except OSError:
                            pass
                time.sleep(0.01)
        os._exit(0)
    time.sleep(0.3)
    def predict(w, x, b):
        return 0.0
    """
SEES_NOTHING = """
    import os
    import numpy as np
    def mse(y_true, y_pred):
        assert not os.path.exists("/scratch/left-behind"), "a file of ex01"
        return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))
    def mae(y_true, y_pred):
        return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))
    """


def test_what_an_exercise_leaves_behind_is_gone_before_the_next(workspace):
    ws = workspace(ex01_forward=LEFT_BEHIND, ex02_mse=SEES_NOTHING)
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    full_marks_except(report, "ex01_forward")


@pytest.mark.parametrize("attack", ["os.kill(os.getppid(), signal.SIGKILL)",
                                    "os.kill(os.getppid(), signal.SIGSTOP)",
                                    "os.kill(-1, signal.SIGKILL)"])
def test_an_attack_on_the_zygote_costs_only_its_own_exercise(workspace, attack):
    ws = workspace(ex01_forward=f"import os, signal\n{attack}\n")
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    assert [e.id for e in report.exercises] == FIRST
    assert report.exercises[0].score == 0
    full_marks_except(report, "ex01_forward")


DRAW = """
import random
import numpy as np
def {}(*args):
    raise RuntimeError(f"draw {{np.random.rand()}} draw {{random.random()}}")
"""


def test_each_forked_worker_has_its_own_random_state(workspace):
    ws = workspace(ex01_forward=DRAW.format("predict"),
                   ex02_mse=DRAW.format("mse") + DRAW.format("mae"))
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    first = [e.checks[0].message for e in report.exercises[:2]]
    assert all("draw " in m for m in first), first
    numpy_draws, python_draws = zip(*(m.split("draw ")[1:] for m in first), strict=True)
    assert len(set(numpy_draws)) == 2 and len(set(python_draws)) == 2   # each its first draws


# --- one warm sandbox for many students (a batch's grading process) ---------------------

LEAVES_A_TRAP = """
    import ctypes, os, time
    open("/scratch/from-the-last-student", "w").write("x")
    open("/tmp/from-the-last-student", "w").write("x")
    libc = ctypes.CDLL(None)
    libc.shmget(0x6d6c67, 4096, 0o1666)               # IPC_CREAT | 0666
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:                              # a daemon waiting for the next student
            while True:
                for name in os.listdir("/workspace"):
                    try:
                        os.link(f"/workspace/{name}", f"/scratch/{name}")
                    except OSError:
                        pass
                time.sleep(0.005)
        os._exit(0)
    time.sleep(0.2)
    def predict(w, x, b):
        return 0.0
    """
FINDS_NOTHING = """
    import ctypes, os
    import numpy as np
    def predict(w, x, b):
        left = [f"/scratch/{n}" for n in os.listdir("/scratch")]
        left += [f"/tmp/{n}" for n in os.listdir("/tmp")]
        if ctypes.CDLL(None).shmget(0x6d6c67, 4096, 0) != -1:
            left.append("a shared memory segment")
        mine = os.getpid()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            if int(pid) > 2 and int(pid) != mine:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
                if b"zygote.py" not in cmd:
                    left.append(f"process {pid}: {cmd!r}")
        assert not left, left
        return np.asarray(x) @ np.asarray(w) + b
    """


def test_a_student_leaves_nothing_to_the_next_in_the_same_sandbox(tmp_path, staged):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, source in ((first, LEAVES_A_TRAP), (second, FINDS_NOTHING)):
        folder.mkdir()
        (folder / "ex01_forward.py").write_text(textwrap.dedent(source))
    grade(first, modules=["ex01_forward"], limits=LIMITS, isolation="sandbox")
    report = grade(second, modules=["ex01_forward"], limits=LIMITS, isolation="sandbox")
    assert not staged.broken                     # the same sandbox graded both
    assert report.exercises[0].score == report.exercises[0].max_score, failing(report)


def test_a_staged_copy_is_the_workspace_as_the_sandbox_sees_it(tmp_path):
    ws, copy = tmp_path / "ws", tmp_path / "copy"
    (ws / "pkg").mkdir(parents=True)
    copy.mkdir()
    (ws / "ex01_forward.py").write_text("x = 1\n")
    (ws / "pkg" / "helper.py").write_text("y = 2\n")
    (ws / "run.sh").write_text("#!/bin/sh\n")
    os.chmod(ws / "run.sh", 0o700)
    os.chmod(ws / "ex01_forward.py", 0o600)
    os.symlink("/etc/shadow", ws / "secret")             # a link stays a link
    os.symlink("pkg", ws / "alias")
    os.mkfifo(ws / "pipe")                               # special files are left out
    (copy / "stale.py").write_text("from an earlier student\n")
    zygote.stage(str(ws), str(copy))
    assert sorted(os.listdir(copy)) == ["alias", "ex01_forward.py", "pkg", "run.sh", "secret"]
    assert os.readlink(copy / "secret") == "/etc/shadow"
    assert os.readlink(copy / "alias") == "pkg"
    assert (copy / "pkg" / "helper.py").read_text() == "y = 2\n"
    assert stat.S_IMODE(os.stat(copy / "ex01_forward.py").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(copy / "run.sh").st_mode) == 0o755


def test_a_workspace_too_large_to_stage_is_refused(tmp_path, monkeypatch):
    ws, copy = tmp_path / "ws", tmp_path / "copy"
    ws.mkdir()
    copy.mkdir()
    for i in range(5):
        (ws / f"f{i}.py").write_text("x\n")
    monkeypatch.setattr(zygote, "STAGE_FILES", 3)
    with pytest.raises(zygote.StageError):
        zygote.stage(str(ws), str(copy))


def test_the_report_names_the_user_the_staged_sandbox_ran_as(tmp_path, staged):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "ex01_forward.py").write_text("def predict(w, x, b):\n    raise RuntimeError("
                                        "'uid=' + open('/proc/self/uid_map').read().split()[1])\n")
    os.chmod(ws / "ex01_forward.py", 0o600)      # nobody could not read it where it is
    report = grade(ws, modules=["ex01_forward"], limits=LIMITS, isolation="sandbox")
    uid = staged.process.uid
    expected = uid if uid is not None else os.geteuid()
    assert f"uid={expected}" in report.exercises[0].checks[0].message
    assert f"uid {expected} outside" in report.limits["user"], report.limits["user"]


KILLS_THE_NEXT = """
    import os, signal, time
    import numpy as np
    if os.fork() == 0:            # stays in the worker's process group, as long as it lives
        me, worker, end = os.getpid(), os.getppid(), time.monotonic() + 5
        while time.monotonic() < end:   # kills any other process as soon as it appears
            for pid in filter(str.isdigit, os.listdir("/proc")):
                if int(pid) not in (1, me, worker):
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except OSError:
                        pass
            time.sleep(0.001)
        os._exit(0)
    def predict(w, x, b):
        return np.asarray(x) @ np.asarray(w) + b
    """


def test_an_exercise_cannot_reach_the_worker_of_the_next(workspace):
    ws = workspace(ex01_forward=KILLS_THE_NEXT)
    report = grade(ws, modules=FIRST, limits=LIMITS, isolation="sandbox")
    for e in report.exercises:
        assert e.score == e.max_score, (e.id, [c.message for c in e.checks if not c.passed])
