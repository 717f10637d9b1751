"""Export the exercises as an nbgrader assignment: source/<assignment>/<exercise>.ipynb.

Each notebook is derived from the exercise's one declaration, like the stubs: the task
text (locale), the answer cells (solutions/, with their ### BEGIN/END SOLUTION regions)
and one autograded test cell per catalog check, worth the check's points.  Fixed checks
(the documents' worked numbers) are visible tests a student can run; randomized checks
sit between ### BEGIN/END HIDDEN TESTS.  Every test cell calls
`mlgrade.notebook.run_check`, which grades the notebook's functions in the sandbox and
fails with mlgrade's message and diagnosis.
"""
import hashlib
import importlib.util
import os
import re

from . import catalog, i18n
from .notebooks import split_solution
from .spec import Check
from .stubs import make_stub

SCHEMA_VERSION = 3
CONFIG = "nbgrader_config.py"
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def default_solutions() -> str:
    """The reference workspace of a source checkout (repo/solutions), else ./solutions."""
    here = os.path.dirname(os.path.abspath(__file__))
    checkout = os.path.join(os.path.dirname(os.path.dirname(here)), "solutions")
    return checkout if os.path.isdir(checkout) else "solutions"


def installed() -> bool:
    """Whether the nbgrader command is importable in this environment."""
    return importlib.util.find_spec("nbgrader") is not None


def test_id(check: Check) -> str:
    """The grade_id of a check's test cell: its dotted id with dots as dashes."""
    return check.id.replace(".", "-")


def _nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version":
            SCHEMA_VERSION, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = int(points) if float(points).is_integer() else float(points)
    return {"nbgrader": meta}


def _cell(kind: str, source: str, meta: dict, grade_id: str):
    import nbformat

    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source, metadata=meta)
    # stable ids, so that a re-export changes nothing that did not change
    cell.id = grade_id if CELL_ID.match(grade_id) else \
        hashlib.sha256(grade_id.encode()).hexdigest()[:16]
    return cell


def task_markdown(module: str, lang: str) -> str:
    title = i18n.lookup(f"{module}.title", lang)
    task = i18n.lookup(f"{module}.task", lang).strip()
    how = i18n.lookup("nbgrader.notebook.how", lang).format(module=module)
    return f"# {module}: {title}\n\n{task}\n\n{how}"


def test_source(check: Check, lang: str) -> str:
    """A test cell: the check's name and points as comments, then the call into mlgrade."""
    name = i18n.lookup(f"{check.module}.checks.{check.name}", lang).format(**check.params)
    points = f"{check.points:g}"
    lines = [f"# {name}  ({i18n.lookup('nbgrader.notebook.points', lang).format(n=points)})"]
    if check.doc is not None and check.doc.inputs:
        lines.append(" ".join(f"# {check.doc.inputs} → {check.doc.correct}".split()))
    call = ["from mlgrade.notebook import run_check",
            f'run_check("{check.id}", globals(), lang="{lang}")']
    if check.kind == "random":
        lines[0] += "  " + i18n.lookup("nbgrader.notebook.hidden", lang)
        call = ["### BEGIN HIDDEN TESTS", *call, "### END HIDDEN TESTS"]
    return "\n".join(lines + call)


def notebook(module: str, solution: str, lang: str):
    """The nbgrader source notebook of one exercise, from its solution module's text."""
    import nbformat

    cells = [_cell("markdown", task_markdown(module, lang),
                   _nbgrader(f"{module}-task", locked=True), f"{module}-task")]
    for grade_id, code in split_solution(module, solution):
        cells.append(_cell("code", code, _nbgrader(grade_id, solution=True), grade_id))
    feedback = f'from mlgrade.notebook import check\ncheck("{module}", lang="{lang}")'
    cells.append(_cell("code", feedback, {}, f"{module}-feedback"))
    cells.append(_cell("markdown", i18n.lookup("nbgrader.notebook.tests", lang),
                       _nbgrader(f"{module}-tests", locked=True), f"{module}-tests"))
    for check in catalog.get(module).all_checks():
        grade_id = test_id(check)
        cells.append(_cell("code", test_source(check, lang),
                           _nbgrader(grade_id, grade=True, locked=True, points=check.points),
                           grade_id))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"}, "mlgrade": {"exercise": module}}
    nbformat.validate(nb)
    return nb


def config_text(assignment: str) -> str:
    return (
        "# Written by `mlgrade export nbgrader`; nbgrader reads it from the course directory.\n"
        "# The kernels that run the notebooks need mlgrade installed (the test cells call it).\n"
        f"#   nbgrader generate_assignment {assignment}  (source/ -> release/)\n"
        f"#   nbgrader autograde {assignment}  (submitted/ -> autograded/)\n"
        "#   nbgrader export  (grades.csv)\n"
        "c = get_config()  # noqa: F821 - provided by nbgrader\n"
    )


class ExportError(ValueError):
    """The export would overwrite something that is not ours to overwrite."""


def export(course: str, assignment: str, modules: list[str], lang: str, solutions: str,
           force: bool = False) -> tuple[list[str], bool]:
    """Write the source notebooks (and nbgrader_config.py if absent).

    Returns:
        (the notebook paths written, whether nbgrader_config.py was written).
    Raises:
        StubError: a solution that does not match its catalog declaration.
        ExportError: a notebook exists with other content and `force` is not set.
    """
    import nbformat

    texts = {}
    for module in modules:
        with open(os.path.join(solutions, module + ".py"), encoding="utf-8") as f:
            source = f.read()
        make_stub(module, source)      # the same checks of the solution as for the stubs
        texts[module] = nbformat.writes(notebook(module, source, lang)) + "\n"
    folder = os.path.join(course, "source", assignment)
    paths = {m: os.path.join(folder, m + ".ipynb") for m in modules}
    if not force:
        for module, path in paths.items():
            if os.path.exists(path) and open(path, encoding="utf-8").read() != texts[module]:
                raise ExportError(path)
    os.makedirs(folder, exist_ok=True)
    for module, path in paths.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(texts[module])
    config = os.path.join(course, CONFIG)
    wrote_config = not os.path.exists(config)
    if wrote_config:
        with open(config, "w", encoding="utf-8") as f:
            f.write(config_text(assignment))
    return list(paths.values()), wrote_config
