"""Instant feedback inside a notebook: `check("ex05_sigmoid")` and nbgrader's `run_check`.

The student's functions are taken from the notebook's namespace, moved into a
temporary workspace module and graded like `mlgrade check` grades files: in sandboxed
worker processes, with the same time limit.  A hang or a crash ends the worker, never
the kernel.  What goes into the module: the catalog functions' definitions and, one
name at a time, what they refer to (imports, helper functions and classes, constants);
nothing else of the notebook runs again, so plots or prints in the same cells do not.

    from mlgrade.notebook import check
    check("ex05_sigmoid")
"""
import builtins
import inspect
import os
import secrets
import sys
import symtable
import sysconfig
import tempfile
import textwrap
import types

from . import catalog, i18n
from .i18n import t
from .sandbox import Limits

SEED = int(os.environ.get("MLGRADE_SEED", secrets.randbelow(2**31)))
_cache: dict = {}   # (module, source, seed, timeout, lang) -> Report


class CheckFailed(AssertionError):
    """A failed check in an nbgrader test cell; Jupyter shows its lines, not a traceback."""

    def __init__(self, lines: list[str]):
        import click

        super().__init__(click.unstyle("\n".join(lines)))   # colours in the rendering only
        self.lines = lines

    def _render_traceback_(self) -> list[str]:   # IPython's hook for custom tracebacks
        return self.lines


def check(exercise: str, namespace: dict | None = None, *, seed: int | None = None,
          timeout: float | None = None, lang: str | None = None):
    """Grade `exercise` with the functions of `namespace` (default: the caller's globals)
    and print the report of `mlgrade check -e exercise`.

    Returns None, so that a notebook shows the report only; `grade` returns the `Report`.
    """
    from . import report as render

    namespace = _caller_globals() if namespace is None else namespace
    result = grade(exercise, namespace, seed, timeout, lang)
    # the replay line of the command line becomes a call of check() here
    replay = t("nbgrader.replay", module=exercise, seed=result.seed)
    lines = _for_notebook(render.render_text(result, replay=replay).splitlines())
    print("\n".join(lines))


def run_check(check_id: str, namespace: dict | None = None, lang: str | None = None) -> None:
    """One catalog check, as an nbgrader test cell: print PASS, or raise `CheckFailed`
    with mlgrade's message, the call, the diagnosis and the hint pointer."""
    from . import report as render

    namespace = _caller_globals() if namespace is None else namespace
    module = check_id.split(".", 1)[0]
    if module not in catalog.MODULES:
        raise CheckFailed([t("nbgrader.unknown_check", id=check_id)])
    result = grade(module, namespace, lang=lang)
    found = [c for e in result.exercises for c in e.checks if c.id == check_id]
    if not found:
        raise CheckFailed([t("nbgrader.unknown_check", id=check_id)])
    c = found[0]
    if c.passed:
        print(t("nbgrader.passed", name=c.name, points=f"{c.points:g}"))
        return
    lines = _for_notebook(render._failure(c, False, c.name, result))
    lines.append("       " + t("cli.hint_available", module=module))
    raise CheckFailed(lines)


def _for_notebook(lines: list[str]) -> list[str]:
    """A report's lines without pointers to command-line options a notebook lacks."""
    return [line for line in lines if "--show-inputs" not in line]


def hint(exercise: str, level: int = 1) -> None:
    """Print hint `level` of `exercise`, as `mlgrade hint` does."""
    hints = i18n.lookup(f"hints.{exercise}")
    level = max(1, min(level, len(hints)))
    print(t("cli.hint_header", level=level, levels=len(hints), module=exercise,
            title=t(f"{exercise}.title")))
    print(f"  {hints[level - 1]}")


def grade(module: str, namespace: dict, seed: int | None = None, timeout: float | None = None,
          lang: str | None = None):
    """The `Report` of one exercise for the namespace's functions; cached per source."""
    from . import runner

    if module not in catalog.MODULES:
        raise ValueError(t("nbgrader.unknown_exercise", module=module,
                           modules=", ".join(catalog.MODULES)))
    if lang:
        i18n.use(lang)
    seed = SEED if seed is None else seed
    limits = Limits() if timeout is None else Limits(timeout=timeout)
    source = module_source(module, namespace)
    key = (module, source, seed, limits, i18n.current())
    if key not in _cache:
        with tempfile.TemporaryDirectory(prefix="mlgrade-notebook-") as tmp:
            with open(os.path.join(tmp, module + ".py"), "w", encoding="utf-8") as f:
                f.write(source)
            result = runner.grade_workspace(tmp, [module], seed, limits)
        result.workspace = t("nbgrader.workspace")
        _cache[key] = result
    return _cache[key]


def _caller_globals() -> dict:
    frame = sys._getframe(2)
    return frame.f_globals


# --- from a namespace to a module ---------------------------------------------------------

def module_source(module: str, namespace: dict) -> str:
    """A module defining the exercise's functions as they are in `namespace`.

    Each catalog function, then each global name those definitions use, becomes one
    piece: an import for a module or an importable object, the definition of a function
    or class, a literal constant, or else the notebook's last top-level statement that
    assigned the name.  Names that resolve to nothing are left out: calling code that
    needs them fails in the worker with a NameError, as it would in a file.
    """
    imports, definitions, statements = {}, {}, {}
    todo = list(catalog.get(module).functions)
    seen = set()
    while todo:
        name = todo.pop(0)
        if name in seen or name not in namespace:
            continue
        seen.add(name)
        kind, text, order = _piece(name, namespace[name], namespace)
        if text is None:
            continue
        if kind == "import":
            imports[name] = text
        elif kind == "definition":
            definitions[name] = text
        else:
            statements[name] = (order, text)
        todo.extend(sorted(_free_names(text) - seen))
    ordered = [text for _, text in sorted(statements.values(), key=lambda s: s[0])]
    parts = [*imports.values(), *definitions.values(), *ordered]
    return f"# the functions of {module}, taken from a notebook\n" + "\n\n".join(parts) + "\n"


def _piece(name: str, obj, namespace: dict) -> tuple[str, str | None, tuple]:
    """(kind, source, order) that gives `name` its value `obj` in a fresh module."""
    if isinstance(obj, types.ModuleType):
        real = obj.__name__
        return "import", f"import {real}" if real == name else f"import {real} as {name}", ()
    imported = _importable(obj)
    if imported:
        where, qualname = imported
        alias = "" if qualname == name else f" as {name}"
        return "import", f"from {where} import {qualname}{alias}", ()
    if isinstance(obj, (types.FunctionType, type)) and getattr(obj, "__name__", "") == name:
        try:
            return "definition", textwrap.dedent(inspect.getsource(obj)).strip("\n"), ()
        except (OSError, TypeError):
            pass
    if _is_literal(obj):
        return "statement", f"{name} = {obj!r}", (-1, 0)
    order, text = _assignment(name, namespace)
    return "statement", text, order


def _importable(obj) -> tuple[str, str] | None:
    """(module, name) if `obj` is a top-level object of an installed library (numpy's
    `exp`, math's `pi` …); None for the notebook's own objects and those of local files."""
    where = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(where, str) or not isinstance(qualname, str) or "." in qualname:
        return None
    home = sys.modules.get(where)
    if where == "__main__" or home is None or getattr(home, qualname, None) is not obj:
        return None
    path = getattr(home, "__file__", None)
    if path is None:
        return where, qualname    # built into the interpreter
    path = os.path.realpath(path)
    libraries = {os.path.realpath(sysconfig.get_path(k))
                 for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    return (where, qualname) if any(path.startswith(lib + os.sep) for lib in libraries) \
        else None


def _is_literal(obj) -> bool:
    import ast

    if not isinstance(obj, (int, float, complex, str, bytes, bool, tuple, list, dict, set,
                            frozenset, type(None))):
        return False
    try:
        return ast.literal_eval(repr(obj)) == obj
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


def _history(namespace: dict) -> list[str]:
    """The cells executed so far (IPython's `In`), oldest first; [] outside IPython."""
    cells = namespace.get("In")
    return [c for c in cells if isinstance(c, str)] if isinstance(cells, list) else []


def _assignment(name: str, namespace: dict) -> tuple[tuple, str | None]:
    """((cell index, line), text) of the last top-level statement of the executed cells that
    assigns `name`."""
    import ast

    history = _history(namespace)
    for index in range(len(history) - 1, -1, -1):
        try:
            tree = ast.parse(history[index])
        except SyntaxError:
            continue
        for node in reversed(tree.body):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = {n.id for tgt in targets for n in ast.walk(tgt)
                         if isinstance(n, ast.Name)}
                if name in bound:
                    return (index, node.lineno), ast.get_source_segment(history[index], node)
    return (0, 0), None


def _free_names(source: str) -> set[str]:
    """The global names that `source` reads and does not bind itself (no builtins)."""
    try:
        top = symtable.symtable(source, "<notebook>", "exec")
    except SyntaxError:
        return set()
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    used = {s.get_name() for s in top.get_symbols() if s.is_referenced()}
    stack = list(top.get_children())
    while stack:
        table = stack.pop()
        used |= {s.get_name() for s in table.get_symbols()
                 if s.is_global() and s.is_referenced()}
        stack.extend(table.get_children())
    return used - bound - set(dir(builtins))
