"""nbgrader: the export, the real nbgrader CLI on it, notebooks graded by mlgrade, and
feedback inside a real Jupyter kernel."""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlgrade import catalog
from mlgrade.cli import cli

from conftest import SOLUTIONS

nbformat = pytest.importorskip("nbformat")
HAS_NBGRADER = shutil.which("nbgrader", path=os.path.dirname(sys.executable)) is not None
needs_nbgrader = pytest.mark.skipif(not HAS_NBGRADER, reason="nbgrader is not installed: "
                                    "pip install -e '.[nbgrader]'")
ASSIGNMENT = "ml-basics"
WRONG_SIGMOID = {  # every check of ex05 fails: tanh is not the logistic sigmoid
    "ex05_sigmoid-sigmoid": "import numpy as np\n\ndef sigmoid(z):\n    return np.tanh(z)\n",
    "ex05_sigmoid-sigmoid_grad": "def sigmoid_grad(z):\n    return 1 - np.tanh(z) ** 2\n",
}
NAIVE_SIGMOID = {  # right for small z, overflows for z = −1e4: loses the large-input checks
    "ex05_sigmoid-sigmoid": "import numpy as np\n\ndef sigmoid(z):\n"
                            "    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n",
}


def export(runner, course: Path, *modules: str, lang: str = "en"):
    args = ["export", "nbgrader", str(course), "--lang", lang]
    for m in modules:
        args += ["-e", m]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def answers(nb) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def submit(course: Path, student: str, notebooks: dict[str, dict[str, str]]) -> Path:
    """submitted/<student>/<assignment>/: the release notebooks with some answer cells
    replaced, {module: {grade_id: code}}."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for path in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in notebooks.get(path.stem, {}):
                cell.source = notebooks[path.stem][grade_id]
        nbformat.write(nb, folder / path.name)
    return folder


def reference(course: Path, module: str) -> dict[str, str]:
    return answers(nbformat.read(course / "source" / ASSIGNMENT / f"{module}.ipynb", 4))


def mlgrade_score(runner, folder: Path) -> tuple[float, float, dict]:
    result = runner.invoke(cli, ["check", str(folder), "--format", "json", "--seed", "5"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return report["score"], report["max_score"], {e["id"]: e for e in report["exercises"]}


def grades_csv(course: Path) -> dict[str, tuple[float, float]]:
    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        return {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(f)}


def catalog_points(module: str) -> float:
    return sum(c.points for c in catalog.get(module).all_checks())


@needs_nbgrader
def test_nbgrader_release_autograde_export_agree_with_mlgrade(runner, tmp_path):
    course = tmp_path / "course"
    modules = ("ex01_forward", "ex05_sigmoid")
    export(runner, course, *modules)
    nbgrader(course, "generate_assignment", ASSIGNMENT)

    # the release holds neither the reference code nor the hidden tests
    for module in modules:
        text = (course / "release" / ASSIGNMENT / f"{module}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        for code in reference(course, module).values():
            body = [line.strip() for line in code.splitlines() if line.strip()]
            hidden = body[body.index("### BEGIN SOLUTION") + 1:body.index("### END SOLUTION")]
            assert hidden and not any(json.dumps(line)[1:-1] in text for line in hidden)
        for check in catalog.get(module).all_checks():
            assert (f'run_check("{check.id}"' in text) == (check.kind == "fixed")

    full = {m: reference(course, m) for m in modules}
    students = {
        "ref": submit(course, "ref", full),
        "blank": submit(course, "blank", {}),
        "wrong": submit(course, "wrong", {**full, "ex05_sigmoid": WRONG_SIGMOID}),
        "naive": submit(course, "naive", {**full, "ex05_sigmoid": {
            **full["ex05_sigmoid"], **NAIVE_SIGMOID}}),
    }
    nbgrader(course, "autograde", ASSIGNMENT)
    grades = grades_csv(course)

    total = sum(catalog_points(m) for m in modules)
    assert grades["ref"] == (total, total)
    assert grades["blank"] == (0, total)
    assert grades["wrong"] == (total - catalog_points("ex05_sigmoid"), total)
    assert 0 < grades["naive"][0] < total
    for student, folder in students.items():
        score, max_score, _ = mlgrade_score(runner, folder)
        assert (score, max_score) == grades[student], student


@needs_nbgrader
def test_nbgrader_full_assignment_reference_gets_every_point(runner, tmp_path):
    course = tmp_path / "course"
    export(runner, course)
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    folder = submit(course, "ref", {m: reference(course, m) for m in catalog.MODULES})
    nbgrader(course, "autograde", ASSIGNMENT)
    total = sum(catalog_points(m) for m in catalog.MODULES)
    assert grades_csv(course)["ref"] == (total, total)
    assert mlgrade_score(runner, folder)[:2] == (total, total)
