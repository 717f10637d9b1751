"""Exercises as notebooks: the cells of an exercise, and a folder of notebooks as a workspace.

An exercise's notebook holds one answer cell per catalog function (nbgrader grade_id
`<module>-<function>`, in catalog order).  `mlgrade check FOLDER` grades a folder holding
`<module>.ipynb` files by writing the code of those answer cells, in order, to
`<module>.py` in a temporary workspace: the notebooks are graded in the sandbox like
`.py` files.  A notebook that cannot be read, lacks an answer cell or has them out of
order loses that exercise only, with a message saying why.
"""
import ast
import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile

from . import catalog
from .i18n import t
from .outcomes import Status
from .results import Report

MAGIC = re.compile(r"^([ \t]*)([%!])", re.M)
MAX_BYTES = 16 << 20   # a notebook of the 13 exercises is ~20 KB


class NotebookError(ValueError):
    """A notebook that cannot be graded; its message says why, in the user's language."""


def answer_id(module: str, function: str) -> str:
    """The nbgrader grade_id of the answer cell of `function`."""
    return f"{module}-{function}"


def answer_ids(module: str) -> list[str]:
    return [answer_id(module, f) for f in catalog.get(module).functions]


def split_solution(module: str, source: str) -> list[tuple[str, str]]:
    """[(grade_id, code)]: a solution module cut into one cell per catalog function.

    Cell k runs from the end of cell k − 1 to the end of the k-th catalog function (its
    trailing comments included), so imports and given helpers land in the cell of the
    function that follows them; the module docstring (the task, shown in markdown
    instead) is dropped.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    # each function's cell ends where the next top-level statement (or its decorators) begins
    starts = [min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])]) - 1
              for n in body] + [len(lines)]
    after = {n.name: starts[i + 1] for i, n in enumerate(body) if isinstance(n, ast.FunctionDef)}
    functions = catalog.get(module).functions
    cells, start = [], starts[0]
    for k, function in enumerate(functions):
        end = len(lines) if k == len(functions) - 1 else after[function]
        cells.append((answer_id(module, function), "\n".join(lines[start:end]).strip("\n")))
        start = end
    return cells


def answer_cells(nb, module: str) -> list:
    """The answer cells of a parsed notebook, checked against the catalog's list."""
    cells = [c for c in nb.cells
             if c.get("cell_type") == "code" and _meta(c).get("solution")]
    found = [str(_meta(c).get("grade_id", "")) for c in cells]
    expected = answer_ids(module)
    for grade_id in expected:
        if grade_id not in found:
            raise NotebookError(t("nbgrader.nb.missing_cell", cell=grade_id))
    extra = [g for g in found if g not in expected or found.count(g) > 1]
    if extra:
        raise NotebookError(t("nbgrader.nb.unexpected_cell", cell=extra[0]))
    if found != expected:
        raise NotebookError(t("nbgrader.nb.reordered", expected=", ".join(expected),
                              found=", ".join(found)))
    return cells


def _meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def module_source(path: str, module: str) -> str:
    """The Python module made of the answer cells of the notebook at `path`."""
    import nbformat

    try:
        nb = nbformat.reads(read_plain_file(path).decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except OSError as exc:
        detail = t("nbgrader.nb.symlink") if exc.errno == errno.ELOOP else exc.strerror or exc
        raise NotebookError(t("nbgrader.nb.unreadable", detail=detail)) from None
    except UnicodeDecodeError as exc:
        raise NotebookError(t("nbgrader.nb.unreadable", detail=exc.reason)) from None
    except nbformat.reader.NotJSONError:
        raise NotebookError(t("nbgrader.nb.not_json")) from None
    except Exception as exc:  # noqa: BLE001 - nbformat's validation and reader errors vary
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise NotebookError(t("nbgrader.nb.not_notebook", detail=detail)) from None
    parts = [f"# from {os.path.basename(path)}: its answer cells, in order\n"]
    for cell in answer_cells(nb, module):
        parts.append(python_of(cell.source, _meta(cell)["grade_id"]))
    return "\n\n".join(parts) + "\n"


def read_plain_file(path: str) -> bytes:
    """The bytes of a regular file that is not a symbolic link, up to MAX_BYTES.

    The grading process reads submitted notebooks itself (their code then runs in the
    sandbox): a link to a file outside the submission must not be read on its behalf.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, t("nbgrader.nb.not_a_file"))
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise OSError(errno.EFBIG, t("nbgrader.nb.too_large", mb=MAX_BYTES >> 20))
    return data


def python_of(code: str, grade_id: str) -> str:
    """A cell's code as plain Python: IPython magics (`%…`, `!…`) are commented out."""
    try:
        ast.parse(code)
        return code
    except SyntaxError as exc:
        quiet = MAGIC.sub(r"\1# \2", code)
        try:
            ast.parse(quiet)
            return quiet
        except SyntaxError:
            raise NotebookError(t("nbgrader.nb.syntax", cell=grade_id, line=exc.lineno or "?",
                                  detail=exc.msg)) from None


def notebook_modules(folder: str) -> list[str]:
    """The catalog modules that `folder` holds as notebooks."""
    return [m for m in catalog.MODULES if os.path.isfile(os.path.join(folder, m + ".ipynb"))]


def assignment_modules(folder: str) -> list[str]:
    """The exercises of the nbgrader assignment a submission belongs to: for
    COURSE/submitted/<student>/<assignment>, the notebooks of COURSE/source/<assignment>;
    [] for any other folder."""
    folder = os.path.abspath(folder)
    return course_modules(os.path.dirname(os.path.dirname(folder)), os.path.basename(folder))


def course_modules(submitted: str, assignment: str) -> list[str]:
    """For COURSE/submitted, the exercises of COURSE/source/<assignment>; else []."""
    submitted = os.path.abspath(submitted)
    if os.path.basename(submitted) != "submitted":
        return []
    return notebook_modules(os.path.join(os.path.dirname(submitted), "source", assignment))


@contextlib.contextmanager
def opened(folder: str, modules: list[str] | None = None):
    """Yield (workspace, problems): `folder` itself, or a temporary copy with modules made
    of its notebooks.  `problems` maps each module whose notebook cannot be graded to why.

    A module found both as `.py` and as `.ipynb` is taken from the notebook.
    """
    found = notebook_modules(folder)
    if not found:
        yield folder, {}
        return
    problems = {}
    with tempfile.TemporaryDirectory(prefix="mlgrade-notebooks-") as tmp:
        for module in modules or catalog.MODULES:
            target = os.path.join(tmp, module + ".py")
            if module in found:
                name = module + ".ipynb"
                try:
                    text = module_source(os.path.join(folder, name), module)
                except NotebookError as exc:
                    problems[module] = t("nbgrader.nb.problem", name=name, reason=exc)
                    continue
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
            elif os.path.isfile(os.path.join(folder, module + ".py")):
                # a link stays a link: the sandbox resolves it as it would in `folder`
                shutil.copyfile(os.path.join(folder, module + ".py"), target,
                                follow_symlinks=False)
        yield tmp, problems


def explain(report: Report, folder: str, problems: dict[str, str]) -> Report:
    """Name the graded folder in the report, and give unreadable notebooks' checks their reason."""
    report.workspace = folder
    for exercise in report.exercises:
        if exercise.id in problems:
            for c in exercise.checks:
                c.status, c.points, c.message = Status.ERROR, 0.0, problems[exercise.id]
                c.diagnosis, c.output, c.traceback, c.call = None, "", "", ""
    return report
