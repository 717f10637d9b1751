"""`mlgrade ci-template`: the workflow's own steps, run as scripts in a student repository.

The install step installs a wheel of this mlgrade (the one `export gradescope` builds) into a
fresh virtual environment, instead of the release from PyPI; the other steps run verbatim.
GitHub's steps run for a repository below the minimum score (the grade step fails, the
report steps still run), GitLab's script for one at full marks.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy
import pytest
import xmlschema
import yaml

from mlgrade import gradescope
from mlgrade.cli import cli

from click.testing import CliRunner
from conftest import SOLUTIONS
from test_mutants import MUTANTS

DATA = Path(__file__).parent / "data"
EXERCISES = ["ex01_forward", "ex02_mse"]
REPORTS = ["mlgrade-report.json", "mlgrade-junit.xml"]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A fresh venv that sees this venv's packages, mlgrade aside, and a wheel of mlgrade."""
    root = tmp_path_factory.mktemp("ci")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
                   check=True, timeout=120)
    site = Path(numpy.__file__).parent.parent
    links = root / "site"
    links.mkdir()
    for name in os.listdir(site):
        if "mlgrade" not in name and not name.startswith("__editable__"):
            (links / name).symlink_to(site / name)
    [purelib] = (root / "venv" / "lib").glob("python3*/site-packages")
    (purelib / "others.pth").write_text(f"{links}\n")
    environ = dict(os.environ, PATH=f"{root / 'venv' / 'bin'}{os.pathsep}{os.environ['PATH']}")
    environ.pop("PYTHONPATH", None)
    wheel = gradescope.build_wheel(str(root))
    # the workflow's install step, verbatim, once for the module's tests
    [install] = [s["run"] for s in template(CliRunner(), "github", wheel)["jobs"]["grade"]["steps"]
                 if s.get("name") == "Install mlgrade"]
    subprocess.run(["bash", "-eo", "pipefail", "-c", install], cwd=root, env=environ,
                   check=True, capture_output=True, timeout=300)
    return {"wheel": wheel, "env": environ}


def template(runner, system: str, wheel: str) -> dict:
    args = ["ci-template", system, "--min-score", "80", "--install", wheel]
    result = runner.invoke(cli, args + [a for m in EXERCISES for a in ("-e", m)])
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout)


def repository(tmp_path, wrong: bool) -> Path:
    """A student's repository: exercises/ with the reference, or with the bias forgotten."""
    repo = tmp_path / "repo"
    (repo / "exercises").mkdir(parents=True)
    for m in EXERCISES:
        shutil.copy(SOLUTIONS / f"{m}.py", repo / "exercises")
    if wrong:
        module, source = MUTANTS["forgot-bias"]
        (repo / "exercises" / f"{module}.py").write_text(textwrap.dedent(source))
    return repo


def run_github(workflow: dict, repo: Path, environ: dict) -> list[tuple[str, int | None]]:
    """Each `run:` step as GitHub runs it (bash -e); after a failure only `if: always()`."""
    outcomes, failed = [], False
    for step in workflow["jobs"]["grade"]["steps"]:
        if "run" not in step or step["name"] == "Install mlgrade":    # done by the fixture
            continue
        if failed and step.get("if") != "always()":
            outcomes.append((step["name"], None))
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=repo, env=environ, capture_output=True,
                              text=True, timeout=300)
        failed = failed or done.returncode != 0
        outcomes.append((step["name"], done.returncode))
    return outcomes


def check_reports(repo: Path) -> dict:
    for name in REPORTS:
        assert (repo / name).exists(), name
    xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(str(repo / "mlgrade-junit.xml"))
    report = json.loads((repo / "mlgrade-report.json").read_text())
    junit = ET.parse(repo / "mlgrade-junit.xml").getroot()
    statuses = [c["status"] for e in report["exercises"] for c in e["checks"]]
    assert int(junit.get("tests")) == len(statuses)
    assert [e["id"] for e in report["exercises"]] == EXERCISES
    return report


def test_github_workflow_steps(runner, env, tmp_path, wrong=True):
    workflow = template(runner, "github", env["wheel"])
    upload = [s for s in workflow["jobs"]["grade"]["steps"]
              if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload and upload[0]["if"] == "always()"
    assert upload[0]["with"]["path"].split() == REPORTS
    repo = repository(tmp_path, wrong)
    outcomes = dict(run_github(workflow, repo, env["env"]))
    assert [code for name, code in outcomes.items() if name.startswith("Grade")] == [int(wrong)]
    assert outcomes["Feedback"] == outcomes["JUnit report"] == 0   # they run even after a fail
    report = check_reports(repo)
    assert (report["score"] == report["max_score"]) != wrong
    assert "site-packages/mlgrade" in subprocess.run(
        ["python", "-c", "import mlgrade; print(mlgrade.__file__)"], env=env["env"],
        capture_output=True, text=True).stdout        # the wheel, not this editable checkout


def test_gitlab_job_script(runner, env, tmp_path, wrong=False):
    job = template(runner, "gitlab", env["wheel"])["mlgrade"]
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["paths"] == REPORTS
    assert job["artifacts"]["reports"]["junit"] == "mlgrade-junit.xml"
    repo = repository(tmp_path, wrong)
    done = subprocess.run(["bash", "-e", "-c", "\n".join(job["script"])], cwd=repo,
                          env=env["env"], capture_output=True, text=True, timeout=300)
    assert done.returncode == int(wrong), done.stderr
    assert "Total:" in done.stdout         # the feedback is in the job's log
    check_reports(repo)


def test_template_defaults_to_this_release_and_rejects_unknown_ids(runner):
    from mlgrade import __version__

    text = runner.invoke(cli, ["ci-template", "github"]).stdout
    assert f'pip install "mlgrade=={__version__}"' in text and "feedback" in text
    bad = runner.invoke(cli, ["ci-template", "github", "-e", "ex99"])
    assert bad.exit_code == 2 and "ex99" in bad.stderr
