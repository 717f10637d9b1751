"""A Gradescope autograder: the zip `mlgrade export gradescope` writes, and what it runs.

Gradescope's layout (autograder specification): the zip is unpacked into /autograder/source,
setup.sh runs once as root when the image is built, run_autograder runs in /autograder for
every submission, the student's files are in /autograder/submission, and run_autograder must
write /autograder/results/results.json.

The zip holds a wheel of this very mlgrade (built from the installed package, so the grader
on Gradescope is the one the instructor tested), requirements.txt pinning its dependencies to
the versions installed here, and mlgrade-autograder.json (exercises, language).
"""
import base64
import hashlib
import importlib.metadata
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from importlib import resources

import click

from . import __version__

CONFIG = "mlgrade-autograder.json"
VENV = "/opt/mlgrade"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y bubblewrap python3 python3-venv
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y python3.11 python3.11-venv   # mlgrade needs Python 3.11 or later
  PY=python3.11
fi
"$PY" -m venv {venv}
{venv}/bin/pip install --no-cache-dir -r requirements.txt {wheel}
{venv}/bin/mlgrade --version
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission and write
# /autograder/results/results.json (MLGRADE_PYTHON: another interpreter holding mlgrade).
cd /autograder
# -P: the current directory is not put on sys.path (Python 3.11+)
exec "${{MLGRADE_PYTHON:-{venv}/bin/python}}" -P -m mlgrade.gradescope \\
  /autograder/submission /autograder/results/results.json \\
  --config /autograder/source/{config}
"""


def write_zip(path: str, exercises: list[str], lang: str, checks: list[str] = (),
              visibility: str = "visible") -> list[str]:
    """Write the autograder zip at `path`; returns the names it holds.

    Args:
        checks: folders of the instructor's own checks, copied to checks/<i>/ in the zip.
        visibility: when students see the tests (Gradescope's visible, hidden,
            after_due_date, after_published).
    """
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(tmp)
        name = os.path.basename(wheel)
        extra = dict(_checks_files(checks))
        files = {
            "setup.sh": SETUP_SH.format(venv=VENV, wheel=name),
            "run_autograder": RUN_AUTOGRADER.format(venv=VENV, config=CONFIG),
            "requirements.txt": "\n".join(pinned_requirements()) + "\n",
            CONFIG: json.dumps({"exercises": exercises, "lang": lang,
                                "checks": [f"checks/{i}" for i in range(len(checks))],
                                "visibility": visibility,
                                "mlgrade_version": __version__}, indent=1) + "\n",
        }
        fd, partial = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                       prefix=".mlgrade-")
        os.close(fd)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            for arcname, text in files.items():
                info = zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0))
                mode = 0o755 if arcname.endswith(("setup.sh", "run_autograder")) else 0o644
                info.external_attr = (stat.S_IFREG | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text)
            z.write(wheel, name)
            for arcname, data in extra.items():
                z.writestr(zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0)), data,
                           zipfile.ZIP_DEFLATED)
        os.replace(partial, path)
    return [*files, name, *(f"checks/{i}/" for i in range(len(checks)))]


def _checks_files(folders: list[str]):
    """(name in the zip, bytes) of the instructor's check folders (a file is a folder of one)."""
    for i, folder in enumerate(folders):
        if os.path.isfile(folder):
            with open(folder, "rb") as f:
                yield f"checks/{i}/{os.path.basename(folder)}", f.read()
            continue
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for n in sorted(names):
                if not n.endswith((".pyc", ".pyo")):
                    rel = os.path.relpath(os.path.join(root, n), folder).replace(os.sep, "/")
                    with open(os.path.join(root, n), "rb") as f:
                        yield f"checks/{i}/{rel}", f.read()


def pinned_requirements() -> list[str]:
    """mlgrade's own dependencies, pinned to the versions installed here."""
    pins = []
    for requirement in importlib.metadata.requires("mlgrade") or []:
        if ";" in requirement:          # extras (test, plot) are not needed to grade
            continue
        name = requirement.split(">")[0].split("=")[0].split("<")[0].strip()
        pins.append(f"{name}=={importlib.metadata.version(name)}")
    return pins


def build_wheel(folder: str) -> str:
    """A pure-Python wheel of the installed mlgrade (its package files and metadata)."""
    dist = importlib.metadata.distribution("mlgrade")
    version = dist.version
    info = f"mlgrade-{version}.dist-info"
    files = dict(_package_files())
    # an egg-info (a source checkout on sys.path) holds the same core metadata as PKG-INFO
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    files[f"{info}/METADATA"] = metadata.encode()
    files[f"{info}/entry_points.txt"] = (dist.read_text("entry_points.txt") or "").encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: mlgrade\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()
    path = os.path.join(folder, f"mlgrade-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data,
                       zipfile.ZIP_DEFLATED)
    return path


def _package_files():
    """(path in the wheel, bytes) of every file of the mlgrade package, bytecode aside."""
    import mlgrade.starter

    roots = [("mlgrade", str(resources.files("mlgrade")))]
    inside = os.path.join(roots[0][1], "starter")
    if not os.path.isdir(inside):       # an editable install maps mlgrade.starter elsewhere
        roots.append(("mlgrade/starter", list(mlgrade.starter.__path__)[0]))
    for prefix, root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(names):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                with open(os.path.join(folder, name), "rb") as f:
                    yield f"{prefix}/{rel}", f.read()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


# --- what run_autograder runs, on Gradescope ---------------------------------------------

def stage(submission: str, workspace: str, modules: list[str],
          problems: dict | None = None) -> tuple[list[str], list[str]]:
    """Copy the submission's exercise files into `workspace`: (found, missing) modules.

    A module is found as exNN_name.py anywhere in the submission (the shallowest wins), else
    as exNN_name.ipynb: a notebook of `mlgrade export nbgrader` gives its answer cells
    (mlgrade.notebooks), any other notebook its code cells. A notebook that cannot be read
    is missing, and `problems[module]` says why.
    """
    found = []
    for m in modules:
        source = _find(submission, m + ".py")
        if source:
            shutil.copy(source, os.path.join(workspace, m + ".py"))
        elif notebook := _find(submission, m + ".ipynb"):
            try:
                text = notebook_module(notebook, m)
            except ValueError as exc:          # notebooks.NotebookError
                if problems is not None:
                    problems[m] = str(exc)
                continue
            with open(os.path.join(workspace, m + ".py"), "w", encoding="utf-8") as f:
                f.write(text)
        else:
            continue
        found.append(m)
    return found, [m for m in modules if m not in found]


def notebook_module(path: str, module: str) -> str:
    """The module a submitted notebook holds (answer cells if it has nbgrader's)."""
    from . import notebooks

    if _has_answer_cells(path):
        return notebooks.module_source(path, module)
    return notebook_source(path)


def _has_answer_cells(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
        return any(isinstance(c, dict) and c.get("metadata", {}).get("nbgrader", {})
                   .get("solution") for c in cells)
    except (OSError, ValueError, AttributeError):
        return False


def _find(root: str, name: str) -> str | None:
    """The shallowest regular file called `name` under root (symbolic links are ignored)."""
    hits = [os.path.join(folder, name) for folder, _, names in os.walk(root)
            if name in names and not os.path.islink(os.path.join(folder, name))
            and os.path.isfile(os.path.join(folder, name))]
    return min(hits, key=lambda p: (p.count(os.sep), p)) if hits else None


def notebook_source(path: str) -> str:
    """The code cells of a notebook as one module; IPython magics and shell lines dropped."""
    try:
        with open(path, encoding="utf-8") as f:
            cells = json.load(f).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return "raise ImportError('the notebook could not be read')\n"
    chunks = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            text = cell.get("source", "")
            text = "".join(text) if isinstance(text, list) else text
            chunks.append("\n".join(line for line in text.splitlines()
                                    if not line.lstrip().startswith(("%", "!"))))
    return "\n\n".join(chunks) + "\n"


def grade_submission(submission: str, results: str, exercises: list[str], lang: str,
                     checks_dirs: list[str] = (), visibility: str = "visible") -> dict:
    """Grade the submission and write Gradescope's results.json; returns what was written."""
    from . import catalog, formats, i18n, report, runner

    i18n.use(lang)
    modules = exercises or list(catalog.MODULES)
    with tempfile.TemporaryDirectory(prefix="mlgrade-submission-") as workspace:
        problems: dict[str, str] = {}
        found, missing = stage(submission, workspace, modules, problems)
        data = report.to_dict(runner.grade_workspace(workspace, modules,
                                                     checks_dirs=list(checks_dirs)))
    data["workspace"] = "submission"
    out = formats.gradescope(data, visibility)
    notes = [i18n.t("ci.gs.found", files=", ".join(found) or "–")]
    if missing:
        notes.append(i18n.t("ci.gs.missing", files=", ".join(f"{m}.py" for m in missing)))
    notes.extend(f"{m}.ipynb: {why}" for m, why in problems.items())
    out["output"] = "\n".join(notes + [out["output"]])
    os.makedirs(os.path.dirname(os.path.abspath(results)), exist_ok=True)
    with open(results, "w", encoding="utf-8") as f:
        f.write(report.dumps(out) + "\n")
    return out


@click.command()
@click.argument("submission", type=click.Path(exists=True, file_okay=False))
@click.argument("results", type=click.Path(dir_okay=False))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False))
def main(submission, results, config_path):
    """Grade SUBMISSION into RESULTS (run_autograder's entry point)."""
    config, here = {}, "."
    if config_path:
        with open(config_path, encoding="utf-8") as f:
            config = json.load(f)
        here = os.path.dirname(os.path.abspath(config_path))
    try:
        out = grade_submission(submission, results, config.get("exercises", []),
                               config.get("lang", "en"),
                               [os.path.join(here, c) for c in config.get("checks", [])],
                               config.get("visibility", "visible"))
    except Exception as exc:  # noqa: BLE001 - no score is better than a false one
        from .i18n import t
        click.echo(t("ci.gs.internal", error=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(3)
    import mlgrade
    click.echo(out["output"])
    click.echo(f"mlgrade {__version__} ({os.path.dirname(mlgrade.__file__)}), isolation "
               f"{out['extra_data']['isolation']}")


if __name__ == "__main__":
    main(prog_name="python -m mlgrade.gradescope")
