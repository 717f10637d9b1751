"""nbgrader: the export, the real nbgrader CLI on it, notebooks graded by mlgrade, and
feedback inside a real Jupyter kernel."""
import csv
import json
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mlgrade import catalog, i18n
from mlgrade.cli import cli

from conftest import SOLUTIONS

nbformat = pytest.importorskip("nbformat")
HAS_NBGRADER = shutil.which("nbgrader", path=os.path.dirname(sys.executable)) is not None
needs_nbgrader = pytest.mark.skipif(not HAS_NBGRADER, reason="nbgrader is not installed: "
                                    "pip install -e '.[nbgrader]'")
ASSIGNMENT = "ml-basics"
WRONG_SIGMOID = {  # every check of ex05 fails: no squashing at all
    "ex05_sigmoid-sigmoid": "import numpy as np\n\ndef sigmoid(z):\n"
                            "    return np.asarray(z, dtype=float)\n",
    "ex05_sigmoid-sigmoid_grad": "def sigmoid_grad(z):\n"
                                 "    return np.ones_like(np.asarray(z, dtype=float))\n",
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


def submit(course: Path, student: str, notebooks: dict[str, dict[str, str]],
           only=catalog.MODULES) -> Path:
    """submitted/<student>/<assignment>/: the release notebooks of `only` with some answer
    cells replaced, {module: {grade_id: code}}."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for path in sorted((course / "release" / ASSIGNMENT).glob("*.ipynb")):
        if path.stem not in only:
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in notebooks.get(path.stem, {}):
                cell.source = notebooks[path.stem][grade_id]
        nbformat.write(nb, folder / path.name)
    return folder


def reference(course: Path, module: str) -> dict[str, str]:
    return answers(nbformat.read(course / "source" / ASSIGNMENT / f"{module}.ipynb", 4))


def mlgrade_score(runner, folder: Path, modules=()) -> tuple[float, float, dict]:
    args = ["check", str(folder), "--format", "json", "--seed", "5"]
    for m in modules:
        args += ["-e", m]
    result = runner.invoke(cli, args)
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
    """One course (all 13 exercises, one nbgrader run of each step, 18 notebooks graded)."""
    course = tmp_path / "course"
    export(runner, course)
    nbgrader(course, "generate_assignment", ASSIGNMENT)

    # the release holds neither the reference code nor the hidden tests
    for module in catalog.MODULES:
        release = nbformat.read(course / "release" / ASSIGNMENT / f"{module}.ipynb", 4)
        text = "\n".join(cell.source for cell in release.cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        for code in reference(course, module).values():
            body = [line.strip() for line in code.splitlines() if line.strip()]
            hidden = body[body.index("### BEGIN SOLUTION") + 1:body.index("### END SOLUTION")]
            assert hidden and not any(line in text for line in hidden)
        for check in catalog.get(module).all_checks():
            assert (f'run_check("{check.id}"' in text) == (check.kind == "fixed")

    # a student may hand in some notebooks only: the others count 0, in both graders
    full = {m: reference(course, m) for m in catalog.MODULES}
    two = ("ex01_forward", "ex05_sigmoid")
    students = {
        "ref": submit(course, "ref", full),
        "blank": submit(course, "blank", {}, only=two),
        "wrong": submit(course, "wrong", {**full, "ex05_sigmoid": WRONG_SIGMOID}, only=two),
        "naive": submit(course, "naive", {"ex05_sigmoid": {**full["ex05_sigmoid"],
                                                           **NAIVE_SIGMOID}},
                        only=("ex05_sigmoid",)),
    }
    nbgrader(course, "autograde", ASSIGNMENT)
    grades = grades_csv(course)

    total = sum(catalog_points(m) for m in catalog.MODULES)
    assert grades["ref"] == (total, total)
    assert grades["blank"] == (0, total)
    assert grades["wrong"] == (catalog_points("ex01_forward"), total)
    assert 0 < grades["naive"][0] < catalog_points("ex05_sigmoid")
    for student, folder in students.items():
        score, max_score, _ = mlgrade_score(runner, folder)
        assert (score, max_score) == grades[student], student


# --- the export, without nbgrader -------------------------------------------------------

REQUIRED = {"grade", "grade_id", "locked", "points", "solution", "task", "schema_version"}


def test_export_derives_every_cell_from_the_catalog_and_solutions(runner, tmp_path):
    course = tmp_path / "course"
    export(runner, course, lang="zh")
    assert (course / "nbgrader_config.py").exists()
    for module in catalog.MODULES:
        nb = nbformat.read(course / "source" / ASSIGNMENT / f"{module}.ipynb", 4)
        nbformat.validate(nb)
        task = nb.cells[0]
        assert task.cell_type == "markdown" and module in task.source
        assert i18n.lookup(f"{module}.title", "zh") in task.source
        # the answer cells are the solution module, cut at its catalog functions
        solution = (SOLUTIONS / f"{module}.py").read_text()
        joined = "\n".join(answers(nb).values())
        assert list(answers(nb)) == [f"{module}-{f}" for f in catalog.get(module).functions]
        assert [line for line in joined.splitlines() if line.strip()] == \
            [line for line in solution.split('"""\n', 1)[1].splitlines() if line.strip()]
        # one test cell per check, with its points; randomized checks hidden
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        checks = catalog.get(module).all_checks()
        assert len(tests) == len(checks)
        for cell, check in zip(tests, checks, strict=True):
            meta = cell.metadata["nbgrader"]
            assert REQUIRED <= set(meta) and meta["schema_version"] == 3
            assert meta["points"] == check.points and meta["locked"] and not meta["solution"]
            assert f'run_check("{check.id}", globals(), lang="zh")' in cell.source
            assert "{" not in cell.source.splitlines()[0]       # the name's numbers filled in
            assert ("### BEGIN HIDDEN TESTS" in cell.source) == (check.kind == "random")
        for cell in nb.cells:
            if cell.cell_type == "code":
                compile(cell.source, cell.id, "exec")
        ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
        assert len(ids) == len(set(ids))


def test_export_again_is_a_no_op_and_never_overwrites_edits_without_force(runner, tmp_path):
    course = tmp_path / "course"
    export(runner, course, "ex02_mse")
    config = course / "nbgrader_config.py"
    config.write_text("c = get_config()\n# the instructor's own\n")
    notebook = course / "source" / ASSIGNMENT / "ex02_mse.ipynb"
    before = notebook.read_text()
    again = export(runner, course, "ex02_mse")
    assert "kept the existing" in again.output and "own" in config.read_text()
    assert notebook.read_text() == before
    notebook.write_text(before.replace("mse", "MSE"))
    refused = runner.invoke(cli, ["export", "nbgrader", str(course), "-e", "ex02_mse"])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert "MSE" in notebook.read_text()
    forced = runner.invoke(cli, ["export", "nbgrader", str(course), "-e", "ex02_mse", "--force"])
    assert forced.exit_code == 0 and notebook.read_text() == before


def test_export_without_nbgrader_writes_the_files_and_says_how_to_install(runner, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setitem(sys.modules, "nbgrader", None)   # as if it were not installed
    result = export(runner, tmp_path / "course", "ex01_forward")
    assert (tmp_path / "course" / "source" / ASSIGNMENT / "ex01_forward.ipynb").exists()
    assert "pip install -e '.[nbgrader]'" in result.output
    assert "nbgrader generate_assignment ml-basics" in result.output


def test_export_bad_input_is_a_usage_error(runner, tmp_path):
    bad = [["--solutions", str(tmp_path)], ["--assignment", "a/b"], ["-e", "ex99_nothing"]]
    for extra in bad:
        result = runner.invoke(cli, ["export", "nbgrader", str(tmp_path / "c"), *extra])
        assert result.exit_code == 2 and "Error:" in result.stderr, extra
        assert "Traceback" not in result.output


# --- a folder of notebooks is a workspace -------------------------------------------------

def test_broken_notebooks_lose_only_their_exercise(runner, tmp_path):
    course = tmp_path / "course"
    modules = ("ex01_forward", "ex02_mse", "ex03_chain_rule", "ex10_gradcheck", "ex06_relu")
    export(runner, course, *modules)
    folder = course / "source" / ASSIGNMENT
    secret = tmp_path / "elsewhere.ipynb"                                # never read: a link
    (folder / "ex10_gradcheck.ipynb").rename(secret)
    (folder / "ex10_gradcheck.ipynb").symlink_to(secret)
    (folder / "ex01_forward.ipynb").write_text('{"cells": [')              # not JSON
    nb = nbformat.read(folder / "ex02_mse.ipynb", 4)                     # a cell deleted
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                != "ex02_mse-mae"]
    nbformat.write(nb, folder / "ex02_mse.ipynb")
    nb = nbformat.read(folder / "ex03_chain_rule.ipynb", 4)              # cells swapped
    nb.cells[1], nb.cells[2] = nb.cells[2], nb.cells[1]
    nbformat.write(nb, folder / "ex03_chain_rule.ipynb")

    score, _, exercises = mlgrade_score(runner, folder, modules)
    messages = {m: {c["message"] for c in exercises[m]["checks"]} for m in modules}
    assert messages["ex01_forward"] == {"ex01_forward.ipynb: is not a notebook (not valid "
                                        "JSON); this exercise was not graded"}
    assert messages["ex02_mse"] == {"ex02_mse.ipynb: lacks the answer cell ex02_mse-mae; "
                                    "this exercise was not graded"}
    assert "another order" in messages["ex03_chain_rule"].pop()
    assert messages["ex10_gradcheck"] == {"ex10_gradcheck.ipynb: cannot be read (a symbolic "
                                          "link; hand in the notebook itself); this exercise "
                                          "was not graded"}
    for m in modules[:4]:
        assert exercises[m]["score"] == 0 and exercises[m]["max_score"] > 0
        assert {c["status"] for c in exercises[m]["checks"]} == {"error"}
    assert exercises["ex06_relu"]["score"] == exercises["ex06_relu"]["max_score"] == score > 0
    text = runner.invoke(cli, ["check", str(folder), "-e", "ex01_forward"]).stdout
    n = len(catalog.get("ex01_forward").all_checks())
    assert f"all {n} checks: ex01_forward.ipynb: is not a notebook" in text
    assert f"mlgrade check {folder} -e ex01_forward --seed" in text


# --- feedback inside a real kernel --------------------------------------------------------

# the catalog's fixed check of sigmoid_grad (σ'(0) = 0.25), whatever its id is today
SLOPE = next(c for c in catalog.get("ex05_sigmoid").all_checks()
             if c.function == "sigmoid_grad" and c.kind == "fixed")
KERNEL_CELLS = [
    "import numpy as np\nfrom numpy import exp\nSCALE = 0.5\n"
    "from mlgrade.notebook import check, run_check",
    "def half_tanh(z):\n    return SCALE * (1 + np.tanh(SCALE * z))",
    "def sigmoid(z):\n    return half_tanh(np.asarray(z, dtype=float))\n\n"
    "def sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n\n"
    "print('scratch code in the same cell', sigmoid(0.0), undefined_name_is_fine_here)",
    'check("ex05_sigmoid")',
    "def sigmoid_grad(z):\n    return z * (1 - z)",
    'check("ex05_sigmoid", seed=11)',
    f'run_check("{SLOPE.id}", globals())',
    "import time\ndef sigmoid(z):\n    while True:\n        pass",
    'started = time.monotonic()\ncheck("ex05_sigmoid", timeout=1)\n'
    'print("kernel alive after", round(time.monotonic() - started), "s")',
    "def sigmoid(z):\n    return half_tanh(np.asarray(z, dtype=float))\n\n"
    'check("ex05_sigmoid", lang="zh")',
]


def outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "execute_result":
            parts.append(f"Out: {out.data['text/plain']}")
        elif out.output_type == "error":
            parts.append(f"{out.ename}: " + "\n".join(out.traceback))
    return click.unstyle("".join(parts))


def test_check_in_a_real_kernel_grades_the_namespace_in_the_sandbox(runner, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in KERNEL_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = [outputs(c) for c in nb.cells]
    assert "NameError" in out[2]          # the notebook's own error; check() ignores it
    total = f"{catalog_points('ex05_sigmoid'):g}"
    assert f"ex05_sigmoid     {total}/{total}" in out[3] and f"Total: {total}/{total}" in out[3]
    assert "Out:" not in "".join(out)        # check() shows its report only
    # the same report as mlgrade check on a file with the same functions, but the replay line
    ws = tmp_path / "ws"
    ws.mkdir()
    imports = KERNEL_CELLS[0].split("\nfrom mlgrade")[0]
    functions = KERNEL_CELLS[2].split("\n\nprint")[0]
    (ws / "ex05_sigmoid.py").write_text("\n\n".join([imports, KERNEL_CELLS[1], functions,
                                                      KERNEL_CELLS[4]]) + "\n")
    cli_report = runner.invoke(cli, ["check", str(ws), "-e", "ex05_sigmoid", "--seed", "11"])
    replay = 'check("ex05_sigmoid", seed=11)'
    notebook_lines = out[5].splitlines()
    cli_lines = cli_report.stdout.splitlines()
    at = next(i for i, line in enumerate(notebook_lines) if line.endswith(replay))
    assert cli_lines[at].startswith("Replay these exact checks with: mlgrade check")
    assert notebook_lines[:at] + notebook_lines[at + 1:] == cli_lines[:at] + cli_lines[at + 1:]
    assert "diagnosis [sigmoid-grad-of-preactivation]" in out[5]
    assert "stuck? mlgrade hint ex05_sigmoid" in out[5]
    assert out[6].startswith("CheckFailed: ") and "Traceback" not in out[6]
    name = i18n.lookup(f"ex05_sigmoid.checks.{SLOPE.name}", "en").split("{")[0]
    assert f"FAIL {name}" in out[6] and "sigmoid-grad-of" in out[6]
    error = [o for o in nb.cells[6].outputs if o.output_type == "error"][0]
    assert "diagnosis [sigmoid-grad-of-preactivation]" in error.evalue
    assert "\x1b" not in error.evalue
    assert "time limit of 1 s for this exercise exceeded" in out[8]
    assert "kernel alive after" in out[8]
    assert int(out[8].split("kernel alive after")[1].split()[0]) < 30
    assert "总分：" in out[9] and "诊断" in out[9]


def test_module_from_a_namespace_takes_what_the_functions_use_and_nothing_else(tmp_path):
    from mlgrade.notebook import module_source

    cells = tmp_path / "cells.py"
    cells.write_text(
        "import numpy as np\nfrom numpy import exp\nSCALE = 1.0\n\n"
        "def half(z):\n    return SCALE / (1 + exp(-z))\n\n"
        "def sigmoid(z):\n    return half(np.asarray(z, dtype=float))\n\n"
        "def plot_me():\n    import matplotlib\n")
    namespace = runpy.run_path(str(cells))
    # a lambda has no definition of its own: its cell's assignment comes from IPython's In
    namespace["In"] = ["", "data = 3", "sigmoid_grad = lambda z: sigmoid(z) * (1 - sigmoid(z))"]
    namespace["sigmoid_grad"] = eval(namespace["In"][2].split(" = ", 1)[1], namespace)
    text = module_source("ex05_sigmoid", namespace)
    assert "plot_me" not in text and "data" not in text and "matplotlib" not in text
    fresh: dict = {}
    exec(compile(text, "module", "exec"), fresh)
    assert fresh["sigmoid"](0.0) == 0.5 and fresh["sigmoid_grad"](0.0) == 0.25
    assert "from numpy import exp" in text and "SCALE = 1.0" in text


def test_a_submission_is_graded_on_its_assignments_exercises(runner, tmp_path):
    course = tmp_path / "course"
    export(runner, course, "ex06_relu")
    folder = course / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(course / "source" / ASSIGNMENT / "ex06_relu.ipynb", folder)
    score, max_score, exercises = mlgrade_score(runner, folder)
    assert list(exercises) == ["ex06_relu"] and score == max_score == catalog_points("ex06_relu")


def test_grade_assignment_grades_a_submitted_tree_like_check(runner, tmp_path):
    """`mlgrade grade submitted --assignment NAME`: one student per folder, the exercises of
    source/NAME; a broken notebook loses its exercise only; scores equal `mlgrade check`."""
    course = tmp_path / "course"
    export(runner, course, "ex01_forward", "ex06_relu")
    source = course / "source" / ASSIGNMENT
    for student in ("alice", "bob"):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for nb in source.glob("*.ipynb"):
            shutil.copy(nb, folder)
    (course / "submitted" / "bob" / ASSIGNMENT / "ex01_forward.ipynb").write_text("{")
    (course / "submitted" / "carol").mkdir()                    # nothing for this assignment
    gradebook = tmp_path / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "mlgrade", "grade", str(course / "submitted"),
                           "--assignment", ASSIGNMENT, "--output", str(gradebook),
                           "--reports", str(tmp_path / "reports"), "--jobs", "2"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with open(gradebook, newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    full = catalog_points("ex01_forward") + catalog_points("ex06_relu")
    assert set(rows) == {"alice", "bob"}
    assert float(rows["alice"]["score"]) == float(rows["alice"]["max_score"]) == full
    assert float(rows["bob"]["score"]) == catalog_points("ex06_relu")
    for student in ("alice", "bob"):
        report = json.loads((tmp_path / "reports" / f"{student}.json").read_text())
        folder = course / "submitted" / student / ASSIGNMENT
        single = runner.invoke(cli, ["check", str(folder), "--format", "json",
                                     "--seed", str(report["seed"])])
        assert json.loads(single.stdout)["score"] == report["score"]
