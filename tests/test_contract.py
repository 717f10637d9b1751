"""The stub docstrings tell the truth: every argument the checks send has a type its
docstring names (float64 array, int array, Python float or int, str, list, function)."""
import ast
import copy
import importlib.util
import re

import numpy as np
import pytest

from mlgrade import catalog, testfns
from mlgrade.numeric import SUBJECT
from mlgrade.pool import Reply
from mlgrade.spec import rng_for
from mlgrade.worker.wire import Callable

from conftest import EXERCISES, SOLUTIONS
from test_docstrings import entries, halves

KINDS = {"float64 array": "f64", "int array": "i64", "Python float": "float", "Python int": "int",
         "function": "fn", "list of": "list", "a str": "str"}


def declared(module: str) -> dict[str, dict[str, set]]:
    """{function: {argument: the kinds its English docstring allows}}."""
    tree = ast.parse((EXERCISES / f"{module}.py").read_text("utf-8"))
    out = {}
    for fn in (f for f in tree.body if isinstance(f, ast.FunctionDef)):
        if fn.name not in catalog.get(module).functions:
            continue
        args = entries(halves(ast.get_docstring(fn))["en"], "Args:", "Returns:")
        kinds = {a: {k for word, k in KINDS.items() if word in text} for a, text in args.items()}
        for a, text in args.items():
            same = re.search(r"same type and shape as (\w+)", text)
            if same:
                kinds[a] |= kinds[same[1]]
        out[fn.name] = kinds
    return out


def kind(value) -> str:
    if isinstance(value, Callable):
        return "fn"
    if isinstance(value, np.ndarray):
        return {"float64": "f64", "int64": "i64"}.get(value.dtype.name, str(value.dtype))
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):
        return "float"
    return {int: "int", list: "list", str: "str"}.get(type(value), type(value).__name__)


def resolve(value):
    """A function argument as the worker builds it; everything else as sent (a copy)."""
    if isinstance(value, Callable):
        return testfns.build(value.name, value.params)
    return copy.deepcopy(value)


class Recorder:
    """The reference solutions, noting the kind of every argument the checks send."""

    def __init__(self, module: str, seen: dict):
        spec = importlib.util.spec_from_file_location(f"ref_{module}", SOLUTIONS / f"{module}.py")
        self.solution = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.solution)
        self.seen = seen

    def __getattr__(self, name: str) -> "Function":
        return Function(self, name)


class Function:
    def __init__(self, recorder: Recorder, name: str):
        self.recorder, self.name = recorder, name

    def reply(self, *args, args_after: bool = False) -> Reply:
        for i, a in enumerate(args):
            self.recorder.seen.setdefault((self.name, i), set()).add(kind(a))
        value = getattr(self.recorder.solution, self.name)(*map(resolve, args))
        return Reply(value, [], list(args) if args_after else [])

    def __call__(self, *args):
        return self.reply(*args).value


@pytest.mark.parametrize("module", catalog.MODULES)
def test_every_argument_sent_is_of_a_type_its_docstring_names(module):
    seen: dict = {}
    for seed in range(3):
        for check in catalog.get(module).all_checks():
            token = SUBJECT.set(check.function)
            try:
                check.run(Recorder(module, seen), rng_for(seed, check.id))
            except AssertionError:
                pass    # verdicts do not matter here (and the reference passes anyway)
            finally:
                SUBJECT.reset(token)
    allowed = declared(module)
    for (function, i), kinds in seen.items():
        names = list(allowed[function])
        assert kinds <= allowed[function][names[i]], (module, function, names[i], kinds)
