"""Fixtures: the reference and stub workspaces, workspaces written by tests, a CLI runner."""
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlgrade import catalog, i18n, zygote
from mlgrade.runner import grade_workspace
from mlgrade.sandbox import Limits

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


@pytest.fixture(autouse=True)
def english_afterwards():
    """A test that ran a command with --lang zh must not leave the next one in Chinese."""
    yield
    i18n.use("en")


@pytest.fixture
def workspace(tmp_path):
    """make(**modules): a copy of solutions/ with some modules replaced by the given source."""
    def make(**modules: str) -> Path:
        ws = tmp_path / "ws"
        ws.mkdir(exist_ok=True)
        for m in catalog.MODULES:
            shutil.copy(SOLUTIONS / f"{m}.py", ws / f"{m}.py")
        for name, source in modules.items():
            (ws / f"{name}.py").write_text(textwrap.dedent(source))
        return ws
    return make


def scores(report) -> dict[str, tuple[float, float]]:
    return {e.id: (e.score, e.max_score) for e in report.exercises}


def failing(report) -> dict[str, list]:
    """{exercise: [failed check results]} for the exercises that lost points."""
    out = {}
    for e in report.exercises:
        bad = [c for c in e.checks if not c.passed]
        if bad:
            out[e.id] = bad
    return out


def grade(ws, seed: int = 7, **kwargs):
    return grade_workspace(os.fspath(ws), seed=seed, **kwargs)


@pytest.fixture
def staged():
    """The warm sandbox a batch's grading process keeps for all its students (as
    gradeslot.py starts it), with the limits of the hostile tests."""
    zygote.start_staged(Limits(timeout=3, memory_mb=512))
    zygote.wait_started()
    yield zygote._warm["staged"]
    zygote._warm.pop("staged").close()


@pytest.fixture
def runner():
    return CliRunner()
