"""One pytest session grades many students (runner.grade_each, a grading process of
`mlgrade grade`): each student's report equals a single `mlgrade check` with the same seed,
whatever the students graded before; nothing of one student reaches the next; and a
grading process that hangs costs only its student.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from mlgrade import report as reports
from mlgrade import sandbox
from mlgrade.runner import ChecksError, Student, grade_each, grade_workspace
from mlgrade.sandbox import Limits

from conftest import SOLUTIONS

ISOLATION = "sandbox" if sandbox.sandbox_available() else "process"
MODULES = ["ex01_forward", "ex02_mse", "ex04_update", "ex06_relu", "ex09_softmax"]
LIMITS = Limits(timeout=2, memory_mb=512)
SOLUTION_EX06 = (SOLUTIONS / "ex06_relu.py").read_text()

# Each student: {module: source}, a copy of solutions/ otherwise.  Hostile ones first, so
# that anything they could leave behind would reach the students graded after them.
STUDENTS = {
    "exits_at_import": {"ex04_update": "import os\nos._exit(7)\n"},
    "loops": {"ex09_softmax": """
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        def softmax(z):
            while True:
                pass
        def cross_entropy(p, y):
            return 0.0
        def softmax_cross_entropy_grad(z, y):
            return 0.0
        """},
    "tampers": {"ex01_forward": """
        import numpy as np
        np.allclose = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        for name in ("mlgrade", "mlgrade.numeric", "pytest"):
            try:
                __import__(name).__dict__.clear()
            except Exception:
                pass
        def predict(w, x, b):
            return 0.0
        """},
    "exits_in_a_call": {"ex06_relu": SOLUTION_EX06.replace(
        '    """relu(z) − relu(z − 1)',
        '    import sys\n    sys.exit("bye")\n    """relu(z) − relu(z − 1)')},
    "correct": {},
    "forgot_bias": {"ex01_forward": """
        import numpy as np
        def predict(w, x, b):
            y = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
            return float(y) if np.ndim(y) == 0 else y
        """},
    "broken_notebook": {"ex01_forward.ipynb": "not a notebook"},
    "also_correct": {},
}

# An instructor's checks with fixtures of every scope.  Each check records the student's
# answer in the fixture and asserts it holds that student's answer only: a fixture kept
# from one student to the next would fail the next student's checks.
INSTRUCTOR_CONFTEST = """
import pytest

@pytest.fixture(scope="session")
def seen_in_session():
    return []

@pytest.fixture(scope="module")
def seen_in_module():
    return []
"""
INSTRUCTOR_CHECKS = """
import pytest

@pytest.fixture
def answer(mlgrade_workspace):
    return mlgrade_workspace["ex06_relu"].relu(-2.0)

@pytest.mark.mlgrade(exercise="ex06_relu", points=2)
def test_first(answer, seen_in_session, seen_in_module):
    seen_in_session.append(answer)
    seen_in_module.append(answer)
    assert answer == 0.0

@pytest.mark.mlgrade(exercise="ex06_relu", points=3)
def test_second(answer, seen_in_session, seen_in_module):
    assert seen_in_session == seen_in_module == [answer], (seen_in_session, seen_in_module)
"""


def make(root: Path, name: str, modules: dict[str, str]) -> Path:
    ws = root / name
    shutil.copytree(SOLUTIONS, ws)
    for file, source in modules.items():
        (ws / (file if "." in file else f"{file}.py")).write_text(textwrap.dedent(source))
    return ws


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def comparable(report) -> dict:
    """A report as JSON, without the times (they differ from run to run)."""
    data = reports.to_dict(report)
    for e in data["exercises"]:
        e.pop("seconds")
    return data


@pytest.fixture
def checks(tmp_path) -> Path:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "conftest.py").write_text(INSTRUCTOR_CONFTEST)
    (folder / "test_relu.py").write_text(INSTRUCTOR_CHECKS)
    return folder


def test_one_session_grades_each_student_as_a_single_check_would(tmp_path, checks):
    students = [Student(str(make(tmp_path, name, modules)), seed, name)
                for seed, (name, modules) in enumerate(STUDENTS.items(), start=11)]
    together = {}
    grade_each(students, lambda s, outcome: together.setdefault(s.id, outcome), MODULES,
               LIMITS, [str(checks)], ISOLATION)
    assert list(together) == list(STUDENTS)
    for student in students:
        alone = grade_workspace(student.workspace, MODULES, student.seed, LIMITS,
                                [str(checks)], ISOLATION)
        assert comparable(together[student.id]) == comparable(alone), student.id
    by_exercise = {s: {e.id: (e.score, e.max_score) for e in r.exercises}
                   for s, r in together.items()}
    full = by_exercise["correct"]
    assert all(score == top for score, top in full.values())
    assert by_exercise["also_correct"] == full
    custom = [c for r in together.values() for e in r.exercises for c in e.checks
              if c.kind == "custom"]
    assert len(custom) == 2 * len(STUDENTS) and all(c.passed for c in custom), [
        c.message for c in custom if not c.passed]
    lost = {s: sorted(m for m, score in scores.items() if score != full[m])
            for s, scores in by_exercise.items()}
    assert lost == {"exits_at_import": ["ex04_update"], "loops": ["ex09_softmax"],
                    "tampers": ["ex01_forward"], "exits_in_a_call": ["ex06_relu"],
                    "correct": [], "forgot_bias": ["ex01_forward"],
                    "broken_notebook": ["ex01_forward"], "also_correct": []}


def test_students_are_read_one_at_a_time_and_a_missing_workspace_costs_only_itself(tmp_path):
    """The students are asked for as they are graded (a grading process reads them from
    its pipe); a missing workspace scores 0 and the next student is graded in full."""
    correct = str(make(tmp_path, "correct", {}))
    asked, graded = [], []

    def students():
        for name, workspace in [("a", correct), ("gone", str(tmp_path / "gone")),
                                ("b", correct)]:
            asked.append((name, len(graded)))
            yield Student(workspace, 3, name)

    def record(student, outcome):
        graded.append((student.id, outcome))
        kept.append((open_files(), threading.active_count()))

    kept = []       # open files and threads after each student: nothing piles up
    grade_each(students(), record, ["ex02_mse"], LIMITS, isolation=ISOLATION)
    assert kept[0] == kept[1] == kept[2]
    assert asked == [("a", 0), ("gone", 1), ("b", 2)]
    assert [name for name, _ in graded] == ["a", "gone", "b"]
    a, gone, b = (outcome for _, outcome in graded)
    assert a.score == a.max_score > 0 and comparable(a) == comparable(b)
    # (the message depends on the isolation: process isolation finds no ex02_mse.py,
    # bubblewrap finds no folder to mount)
    assert gone.score == 0 and all(c.message for c in gone.exercises[0].checks)


def test_a_broken_check_stops_the_session_before_any_student(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "test_broken.py").write_text("def test_x(:\n")
    asked = []

    def students():
        asked.append(1)
        yield Student(str(SOLUTIONS), 1)

    with pytest.raises(ChecksError, match="test_broken.py"):
        grade_each(students(), lambda s, outcome: None, ["ex02_mse"], LIMITS,
                   [str(tmp_path / "mine")], ISOLATION)
    assert asked == []


# --- a grading process that hangs -----------------------------------------------------

HANGING_CHECKS = """
import os
import signal
import time

import pytest


@pytest.mark.mlgrade(exercise="ex01_forward", points=1)
def test_hangs_the_grading_process(mlgrade_workspace):
    answer = mlgrade_workspace["ex01_forward"].predict([1.0], [1.0], 0.0)
    if answer == 666:
        time.sleep(3600)                        # the grading process itself sleeps
    if answer == 667:
        os.kill(os.getpid(), signal.SIGSTOP)    # the grading process stops itself
"""


def test_a_hanging_grading_process_fails_its_student_only_and_is_replaced(tmp_path):
    subs = tmp_path / "subs"
    answers = {"ann": None, "bob": 666, "cat": None, "dan": 667, "eve": None}
    for student, answer in answers.items():
        make(subs, student, {} if answer is None else
             {"ex01_forward": f"def predict(w, x, b):\n    return {answer}\n"})
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "test_hang.py").write_text(HANGING_CHECKS)
    done = subprocess.run(
        [sys.executable, "-m", "mlgrade", "grade", "subs", "--output", "g.csv", "--reports", "r",
         "--jobs", "2", "--checks", "checks", "-e", "ex01_forward", "--timeout", "2",
         "--student-timeout", "6", "--isolation", ISOLATION],
        cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert done.returncode == 1, done.stderr
    for student, answer in answers.items():
        report = json.loads((tmp_path / "r" / f"{student}.json").read_text())
        if answer is None:
            assert report["score"] == report["max_score"] > 0, student
        else:
            assert report["error"] == "its grading took more than 6 s and was stopped"
    assert "failed to grade: 2" in done.stdout
    assert "bob: its grading took more than 6 s" in done.stdout
    assert "dan: its grading took more than 6 s" in done.stdout
    left = subprocess.run(["pgrep", "-f", "mlgrade.gradeslot.*" + str(tmp_path)],
                          capture_output=True, text=True)
    assert left.stdout == "", "grading processes left running"


def test_grading_processes_that_never_get_ready_end_the_batch_with_why(tmp_path):
    """An instructor's check file that hangs at import: no grading process ever finishes
    collecting.  The first student is recorded with why; when a second process cannot
    start either, the batch stops (exit 2) instead of failing every student in turn."""
    for student in ("ann", "bob", "cat"):
        make(tmp_path / "subs", student, {})
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "test_slow.py").write_text("import time\ntime.sleep(3600)\n")
    done = subprocess.run(
        [sys.executable, "-m", "mlgrade", "grade", "subs", "--output", "g.csv", "--jobs", "1",
         "--checks", "checks", "-e", "ex02_mse", "--isolation", ISOLATION],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "MLGRADE_SLOT_STARTUP": "3"})
    assert done.returncode == 2, done.stderr
    assert ("grading processes cannot start (its grading process did not get ready within "
            "3 s and was stopped)") in done.stderr
    assert "Traceback" not in done.stderr
    rows = (tmp_path / "g.csv").read_text().splitlines()
    assert len(rows) == 2 and rows[1].startswith("ann,,,") and "did not get ready" in rows[1]


def test_the_student_timeout_is_checked_like_the_other_options(tmp_path, runner):
    from mlgrade.cli import cli

    os.makedirs(tmp_path / "subs" / "ann")
    result = runner.invoke(cli, ["grade", str(tmp_path / "subs"), "--output",
                                 str(tmp_path / "g.csv"), "--student-timeout", "0"])
    assert result.exit_code == 2 and "--student-timeout" in result.output


# --- the instructor's checks in a batch -----------------------------------------------

def grade_class(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlgrade", "grade", "subs", "--output", "g.csv", "--reports", "r",
         "--jobs", "1", "-e", "ex02_mse", "--timeout", "2", "--isolation", ISOLATION, *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=240)


def test_a_broken_check_is_a_usage_error_of_the_batch(tmp_path):
    make(tmp_path / "subs", "ann", {})
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "test_broken.py").write_text("def test_x(:\n")
    done = grade_class(tmp_path, "--checks", "mine")
    assert done.returncode == 2, done.stderr
    assert "test_broken.py" in done.stderr and "Traceback" not in done.stderr


FORGED_CHECK = """
import pytest

@pytest.mark.mlgrade(exercise="ex02_mse", points=100)
def test_free_points(mlgrade_workspace):
    pass
"""


def test_checks_holding_the_submissions_never_collect_a_students_files(tmp_path):
    """--checks of a course folder that also holds SUBMISSIONS: a student's test file
    is not an instructor's check, whichever student is graded."""
    for student in ("ann", "bob"):
        make(tmp_path / "subs", student, {"test_forged.py": FORGED_CHECK})
    (tmp_path / "test_mine.py").write_text(FORGED_CHECK.replace("100", "1").replace(
        "pass", 'assert mlgrade_workspace["ex02_mse"].mse([1.0], [1.0]) == 0'))
    done = grade_class(tmp_path, "--checks", ".")
    assert done.returncode == 0, done.stderr
    for student in ("ann", "bob"):
        report = json.loads((tmp_path / "r" / f"{student}.json").read_text())
        custom = [c["id"] for e in report["exercises"] for c in e["checks"]
                  if c["kind"] == "custom"]
        assert custom == [f"{tmp_path.name}/test_mine.py::test_free_points"], custom
        assert report["score"] == report["max_score"]
