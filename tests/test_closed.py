"""The grading process is closed: nothing of the workspace, the current directory or the
caller's pytest set-up runs in it; and one process grades many workspaces in a row.
"""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest

from mlgrade import catalog, pool
from mlgrade.runner import ChecksError
from mlgrade.sandbox import Limits

from conftest import EXERCISES, ROOT, grade, scores

# A student's conftest.py: if pytest ever loads it, every check passes and a marker appears.
FORGING_CONFTEST = '''
import pathlib
import pytest
pathlib.Path({marker!r}).write_text("loaded")

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    outcome.force_result(None)

def pytest_collection_modifyitems(items):
    items[:] = items[:1]
'''

INSTRUCTOR_CHECK = '''
import pytest
import helpers

@pytest.mark.mlgrade(exercise="ex05_sigmoid", points=2)
def test_sigmoid_at_0(mlgrade_workspace, expected_at_0):
    assert mlgrade_workspace["ex05_sigmoid"].sigmoid(0.0) == expected_at_0
'''


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


def instructor_checks(folder: Path, value: float) -> Path:
    """A checks folder with a helper module and a conftest fixture of its own."""
    return write(folder, **{"test_extra.py": INSTRUCTOR_CHECK,
                            "helpers.py": f"VALUE = {value!r}\n",
                            "conftest.py": "import pytest, helpers\n\n@pytest.fixture\n"
                                           "def expected_at_0():\n    return helpers.VALUE\n"})


SIGMOID_CHECKS = len(catalog.get("ex05_sigmoid").all_checks())
SIGMOID_POINTS = sum(c.points for c in catalog.get("ex05_sigmoid").all_checks())


def open_files() -> int | None:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None


def check_ids(report) -> list[str]:
    return [c.id for e in report.exercises for c in e.checks]


def test_a_students_conftest_is_never_loaded(workspace, tmp_path):
    """Checks inside the student's repository: graded from a copy; the student's
    conftest.py and test files are not collected, the instructor's conftest is."""
    marker = tmp_path / "conftest-loaded"
    ws = workspace(ex05_sigmoid=(EXERCISES / "ex05_sigmoid.py").read_text())
    write(ws, **{"conftest.py": FORGING_CONFTEST.format(marker=str(marker)),
                 "test_forged.py": "import pytest\n\n@pytest.mark.mlgrade("
                                   "exercise='ex05_sigmoid', points=100)\ndef test_x():\n"
                                   "    pass\n"})
    hidden = instructor_checks(ws / "hidden", 0.5)
    around = instructor_checks(tmp_path, 0.5)
    for checks in (hidden, around):     # the checks folder inside, or around, the workspace
        report = grade(ws, modules=["ex05_sigmoid"], checks_dirs=[str(checks)])
        assert not marker.exists()
        ex = report.exercises[0]
        assert ex.score == 0 and ex.max_score == SIGMOID_POINTS + 2, scores(report)
        custom = [c for c in ex.checks if c.kind == "custom"]
        assert [c.name for c in custom] == ["test_sigmoid_at_0"], check_ids(report)
        assert custom[0].status.value == "not_attempted"      # its fixture was found
    assert not (hidden / "__pycache__").exists()               # nothing written there
    with pytest.raises(ChecksError, match="is the workspace"):
        grade(ws, modules=["ex05_sigmoid"], checks_dirs=[str(ws)])


def test_a_broken_check_is_named_by_its_own_path(runner, tmp_path):
    from mlgrade.cli import cli

    checks = write(tmp_path / "mine", **{"test_broken.py": "def test_x(:\n"})
    result = runner.invoke(cli, ["check", str(ROOT / "solutions"), "-e", "ex01_forward",
                                 "--checks", str(checks)])
    assert result.exit_code == 2 and str(checks / "test_broken.py") in result.stderr


@pytest.mark.parametrize("how", ["python -m", "PYTHONPATH=."])
def test_the_current_directory_is_not_on_sys_path(workspace, tmp_path, how):
    """`python -m mlgrade check .` in a workspace with tempfile.py and tomllib.py."""
    ws = workspace()
    marker = tmp_path / "shadow-ran"
    for name in ("tempfile", "tomllib", "click", "numpy"):
        (ws / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write('{name} ')\n"
                                       "raise SystemExit('a student module ran')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    if how == "python -m":
        command = [sys.executable, "-m", "mlgrade"]
    else:
        command, env["PYTHONPATH"] = [str(Path(sys.executable).with_name("mlgrade"))], "."
    done = subprocess.run(command + ["check", ".", "-e", "ex01_forward", "--format", "json"],
                          cwd=ws, env=env, capture_output=True, text=True, timeout=120)
    assert not marker.exists(), marker.read_text()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["exercises"][0]["score"] == sum(
        c.points for c in catalog.get("ex01_forward").all_checks())


def test_pytest_variables_of_the_caller_change_nothing(workspace, tmp_path, monkeypatch):
    ws = workspace()
    before = check_ids(grade(ws, modules=["ex05_sigmoid"]))
    marker = tmp_path / "plugin-loaded"
    write(tmp_path / "site", **{"evil_plugin.py": FORGING_CONFTEST.format(marker=str(marker))})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k doc")
    monkeypatch.setenv("PYTEST_PLUGINS", "evil_plugin")
    report = grade(ws, modules=["ex05_sigmoid"])
    assert check_ids(report) == before and len(before) == SIGMOID_CHECKS
    assert not marker.exists()
    assert os.environ["PYTEST_ADDOPTS"] == "-k doc"          # the caller's, given back
    assert "PYTEST_DISABLE_PLUGIN_AUTOLOAD" not in os.environ


def test_the_current_directorys_ini_and_conftest_are_not_read(workspace, tmp_path,
                                                           monkeypatch):
    ws = workspace()
    before = check_ids(grade(ws, modules=["ex05_sigmoid"]))
    marker = tmp_path / "conftest-loaded"
    here = write(tmp_path / "here", **{
        "conftest.py": FORGING_CONFTEST.format(marker=str(marker)),
        "pytest.ini": "[pytest]\naddopts = -k doc -p no:python\n",
        "tox.ini": "[pytest]\naddopts = -k doc\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k doc'\n"})
    monkeypatch.chdir(here)
    assert check_ids(grade(ws, modules=["ex05_sigmoid"])) == before
    assert not marker.exists()


def test_installed_pytest_plugins_are_not_autoloaded(workspace, tmp_path, monkeypatch):
    """A plugin installed with a `pytest11` entry point (a dist-info on sys.path)."""
    marker = tmp_path / "plugin-loaded"
    site = write(tmp_path / "site", **{"forge_grades.py": FORGING_CONFTEST.format(
        marker=str(marker))})
    write(site / "forge_grades-1.0.dist-info",
          METADATA="Metadata-Version: 2.1\nName: forge-grades\nVersion: 1.0\n",
          **{"entry_points.txt": "[pytest11]\nforge = forge_grades\n"})
    monkeypatch.syspath_prepend(str(site))
    from importlib.metadata import entry_points
    assert [e.value for e in entry_points(group="pytest11") if e.name == "forge"]

    report = grade(workspace(ex05_sigmoid="def sigmoid(z):\n    return 0.0\n"),
                   modules=["ex05_sigmoid"])
    assert not marker.exists()
    assert report.exercises[0].score == 0 and len(check_ids(report)) == SIGMOID_CHECKS


def test_one_process_grades_many_workspaces_with_different_checks(workspace, tmp_path,
                                                                  monkeypatch):
    """Same file names in two instructors' folders; nothing of a run is left behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(write(tmp_path / "tmp")))
    first = instructor_checks(tmp_path / "a" / "checks", 0.5)
    second = instructor_checks(tmp_path / "b" / "checks", 1.0)
    ws = workspace()
    path, meta_path, environ = list(sys.path), list(sys.meta_path), dict(os.environ)
    fds, threads = open_files(), threading.active_count()
    results = []
    for checks in (first, second, first, None):
        report = grade(ws, modules=["ex05_sigmoid"], checks_dirs=[str(checks)] if checks else [])
        custom = [c for c in report.exercises[0].checks if c.kind == "custom"]
        results.append([(c.id, c.passed) for c in custom])
    ok = [("checks/test_extra.py::test_sigmoid_at_0", True)]
    assert results == [ok, [(ok[0][0], False)], ok, []]
    assert sys.path == path and sys.meta_path == meta_path and dict(os.environ) == environ
    assert open_files() == fds and threading.active_count() == threads
    left = [name for name, m in sys.modules.items()
            if str(tmp_path) in (getattr(m, "__file__", None) or "")]
    assert left == [] and "helpers" not in sys.modules
    assert os.listdir(tmp_path / "tmp") == []


def test_a_check_alternating_exercises_costs_the_student_nothing(workspace, tmp_path,
                                                                 monkeypatch):
    """Three exercises in turn, more often than a worker may be replaced, with a module
    whose import takes a while: the stopped workers are not charged to the student."""
    monkeypatch.setattr(pool, "MAX_RESPAWNS", 2)
    slow = (ROOT / "solutions" / "ex05_sigmoid.py").read_text()
    ws = workspace(ex05_sigmoid="import time\ntime.sleep(0.3)\n" + slow)
    checks = write(tmp_path / "alternating", **{"test_turns.py": '''
        import pytest

        @pytest.mark.mlgrade(exercise="ex05_sigmoid", points=5)
        def test_in_turn(mlgrade_workspace):
            for _ in range(5):
                assert mlgrade_workspace["ex05_sigmoid"].sigmoid(0.0) == 0.5
                assert mlgrade_workspace["ex06_relu"].relu(-1.0) == 0.0
                assert mlgrade_workspace["ex01_forward"].predict([1.0], [2.0], 0.5) == 2.5
        '''})
    report = grade(ws, modules=["ex01_forward", "ex05_sigmoid", "ex06_relu"],
                   checks_dirs=[str(checks)], limits=Limits(timeout=1.0))
    assert all(e.score == e.max_score for e in report.exercises), [
        c.message for e in report.exercises for c in e.checks if not c.passed]


def test_grading_in_order_starts_one_worker_per_exercise(workspace, monkeypatch):
    """Workers started ahead are kept until used: none is stopped and started again."""
    started = []
    original = pool.Worker.__init__

    def counting(self, workspace, module, *args):
        started.append(module)
        original(self, workspace, module, *args)

    monkeypatch.setattr(pool.Worker, "__init__", counting)
    modules = ["ex01_forward", "ex02_mse", "ex03_chain_rule", "ex05_sigmoid", "ex06_relu"]
    report = grade(workspace(), modules=modules)
    assert all(e.score == e.max_score for e in report.exercises)
    assert sorted(started) == modules
