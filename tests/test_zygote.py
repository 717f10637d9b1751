"""Warm workers (zygote.py): forked in one sandbox per workspace, yet each exercise alone.

A student's code that attacks the zygote or leaves processes and files behind costs its
own exercise only: the next exercise starts clean, or in a sandbox of its own.
"""
import pytest

from mlgrade.sandbox import Limits

from conftest import grade

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
