"""The Gradescope autograder zip, run in an /autograder tree laid out as Gradescope's docs say."""
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import jsonschema
import pytest

from mlgrade.cli import cli

from conftest import SOLUTIONS
from test_mutants import MUTANTS

DATA = Path(__file__).parent / "data"
EXERCISES = ["ex01_forward", "ex02_mse", "ex05_sigmoid"]
HIDDEN = """
import pytest

@pytest.mark.mlgrade(exercise="ex05_sigmoid", points=2)
def test_sigmoid_is_symmetric(mlgrade_workspace):
    sigmoid = mlgrade_workspace["ex05_sigmoid"].sigmoid
    assert abs(sigmoid(2.0) + sigmoid(-2.0) - 1) < 1e-12
"""


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The exported zip, unpacked, and its wheel installed into a folder of its own."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("gradescope")
    (root / "hidden").mkdir()
    (root / "hidden" / "test_symmetry.py").write_text(HIDDEN)
    args = ["export", "gradescope", str(root / "autograder.zip"), "--checks", str(root / "hidden"),
            "--visibility", "after_due_date"]
    result = CliRunner().invoke(cli, args + [a for m in EXERCISES for a in ("-e", m)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(root / "autograder.zip") as z:
        z.extractall(root / "source")
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
    for name, mode in modes.items():        # as unzip does; zipfile leaves modes out
        os.chmod(root / "source" / name, mode & 0o777)
    wheels = list((root / "source").glob("mlgrade-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(root / "site"), str(wheels[0])], check=True, timeout=300)
    return root, modes


def test_zip_has_the_scripts_at_its_root_and_pins_its_release(autograder):
    root, modes = autograder
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    for script in ("setup.sh", "run_autograder"):      # both parse as bash
        subprocess.run(["bash", "-n", str(root / "source" / script)], check=True)
    setup = (root / "source" / "setup.sh").read_text()
    assert "bubblewrap" in setup and "mlgrade-0.1.0-py3-none-any.whl" in setup
    pins = (root / "source" / "requirements.txt").read_text().split()
    assert f"numpy=={importlib.metadata.version('numpy')}" in pins
    config = json.loads((root / "source" / "mlgrade-autograder.json").read_text())
    assert config["exercises"] == EXERCISES and config["checks"] == ["checks/0"]
    assert (root / "source" / "checks" / "0" / "test_symmetry.py").read_text() == HIDDEN


def notebook(source: str) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# MSE\n"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["%matplotlib inline\n", *textwrap.dedent(source).splitlines(True)]}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def bwrap_works() -> bool:
    return bool(shutil.which("bwrap")) and subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "true"], capture_output=True).returncode == 0


def run_autograder(autograder, tmp_path, files: dict[str, str]) -> tuple[dict, str]:
    """Lay out /autograder (source, run_autograder, submission, results), bind it, run."""
    if not bwrap_works():
        pytest.skip("bubblewrap cannot create namespaces here")
    root, _ = autograder
    tree = tmp_path / "autograder"
    shutil.copytree(root / "source", tree / "source")
    shutil.copy(tree / "source" / "run_autograder", tree / "run_autograder")
    (tree / "results").mkdir()
    for name, text in files.items():
        (tree / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / "submission" / name).write_text(text)
    mounts = []
    for name in sorted(os.listdir("/")):     # the machine read-only, except /tmp, /autograder
        path = "/" + name
        if os.path.islink(path):
            mounts += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path) and name not in ("proc", "dev", "tmp", "autograder"):
            mounts += ["--ro-bind", path, path]
    command = ["bwrap", *mounts, "--bind", str(tree), "/autograder", "--tmpfs", "/tmp",
               "--ro-bind", str(root / "site"), "/mlgrade-site", "--dev", "/dev",
               "--proc", "/proc", "--chdir", "/autograder",
               "--setenv", "MLGRADE_PYTHON", sys.executable,
               "--setenv", "PYTHONPATH", "/mlgrade-site", "/autograder/run_autograder"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((tree / "results" / "results.json").read_text())
    schema = json.loads((DATA / "gradescope-results.schema.json").read_text())
    jsonschema.validate(results, schema)
    return results, done.stdout


def reference() -> dict[str, str]:
    return {f"{m}.py": (SOLUTIONS / f"{m}.py").read_text() for m in EXERCISES}


def test_reference_submission_gets_full_marks(autograder, tmp_path):
    results, stdout = run_autograder(autograder, tmp_path, reference())
    total = sum(t["max_score"] for t in results["tests"])
    assert results["score"] == total > 0
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert {t["visibility"] for t in results["tests"]} == {"after_due_date"}
    assert {t["tags"][0] for t in results["tests"]} == set(EXERCISES)
    [hidden] = [t for t in results["tests"] if "symmetric" in t["name"]]    # the instructor's
    assert hidden["score"] == hidden["max_score"] == 2
    assert "/mlgrade-site/mlgrade" in stdout      # graded by the wheel inside the zip


def test_wrong_submission_gets_fewer_points_and_is_told_why(autograder, tmp_path):
    bias_module, forgot_bias = MUTANTS["forgot-bias"]
    _, mse_sum = MUTANTS["mse-sum-not-mean"]
    files = {f"work/{bias_module}.py": textwrap.dedent(forgot_bias),   # in a subfolder
             "ex02_mse.ipynb": notebook(mse_sum)}                      # an exported notebook
    results, _ = run_autograder(autograder, tmp_path, files)
    total = sum(t["max_score"] for t in results["tests"])
    assert 0 < results["score"] < total
    assert results["score"] == sum(t["score"] for t in results["tests"])
    tags = {tag for t in results["tests"] for tag in t["tags"]}
    assert {"forgot-bias", "mse-sum-not-mean"} <= tags
    assert "ex05_sigmoid.py" in results["output"]             # missing, and said so
    sigmoid = [t for t in results["tests"] if t["tags"][0] == "ex05_sigmoid"]
    assert sigmoid and all(t["score"] == 0 for t in sigmoid)


def test_staging_finds_the_shallowest_file_and_ignores_links(tmp_path):
    from mlgrade.gradescope import stage

    sub, ws = tmp_path / "submission", tmp_path / "ws"
    (sub / "deep" / "deeper").mkdir(parents=True)
    ws.mkdir()
    (sub / "deep" / "ex01_forward.py").write_text("A = 1\n")
    (sub / "deep" / "deeper" / "ex01_forward.py").write_text("A = 2\n")
    (sub / "ex02_mse.py").symlink_to("/etc/hostname")
    found, missing = stage(str(sub), str(ws), ["ex01_forward", "ex02_mse"])
    assert found == ["ex01_forward"] and missing == ["ex02_mse"]
    assert (ws / "ex01_forward.py").read_text() == "A = 1\n"


def test_export_errors_are_one_line(runner, tmp_path):
    bad_id = runner.invoke(cli, ["export", "gradescope", str(tmp_path / "a.zip"), "-e", "ex99"])
    assert bad_id.exit_code == 2 and "ex99" in bad_id.stderr
    cannot = runner.invoke(cli, ["export", "gradescope", str(tmp_path / "no" / "a.zip")])
    assert cannot.exit_code == 3 and "cannot write" in cannot.stderr
    assert "Traceback" not in bad_id.output + cannot.output
    assert not list(tmp_path.iterdir())         # nothing half-written


def test_nbgrader_notebooks_give_their_answer_cells_only(tmp_path):
    from mlgrade.gradescope import stage

    def cell(source, grade_id=None):
        meta = {"nbgrader": {"grade_id": grade_id, "solution": True}} if grade_id else {}
        return {"cell_type": "code", "id": grade_id or "t", "metadata": meta, "outputs": [],
                "execution_count": None, "source": source}

    answers = [cell("def mse(y_true, y_pred):\n    return 0.0\n", "ex02_mse-mse"),
               cell("def mae(y_true, y_pred):\n    return 0.0\n", "ex02_mse-mae"),
               cell("from mlgrade.notebook import check\ncheck('ex02_mse')\n")]
    sub, ws, problems = tmp_path / "sub", tmp_path / "ws", {}
    sub.mkdir()
    ws.mkdir()
    (sub / "ex02_mse.ipynb").write_text(json.dumps(
        {"cells": answers, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (sub / "ex03_chain_rule.ipynb").write_text(json.dumps(     # its answer cells missing
        {"cells": answers[:1], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found, missing = stage(str(sub), str(ws), ["ex02_mse", "ex03_chain_rule"], problems)
    assert found == ["ex02_mse"] and missing == ["ex03_chain_rule"]
    module = (ws / "ex02_mse.py").read_text()
    assert "def mae" in module and "check(" not in module       # the test cell is left out
    assert "ex03_chain_rule" in problems["ex03_chain_rule"]
