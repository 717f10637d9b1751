"""`mlgrade check … --show-inputs CHECK_ID`: the exact inputs of one check, as runnable Python.

The check runs once more, for the same seed, against the workspace's own code in a
worker as in grading; every call it makes is recorded and written out as a script.
"""
import copy
import inspect
import os

import numpy as np

from . import catalog, sandbox, testfns
from .calls import literal
from .i18n import t
from .numeric import SUBJECT
from .pool import Pool
from .spec import Check, rng_for
from .worker.wire import Callable


class ReplayError(ValueError):
    """A usage error: an unknown check id, or no seed."""


def find(check_id: str) -> Check:
    """The catalog check with this id."""
    module = check_id.split(".")[0]
    if module in catalog.MODULES:
        for c in catalog.get(module).all_checks():
            if c.id == check_id:
                return c
    raise ReplayError(t("feedback.unknown_check", id=check_id))


class Recorder:
    """The student's module as a check sees it, noting each call's arguments."""

    def __init__(self, pool: Pool, module: str):
        self.pool, self.module, self.calls = pool, module, []

    def __getattr__(self, name: str) -> "RecordedFunction":
        if name.startswith("_"):
            raise AttributeError(name)
        return RecordedFunction(self, name)


class RecordedFunction:
    """One student function: `f(*args)` or `f.reply(*args)`, as the plugin's."""

    def __init__(self, recorder: Recorder, name: str):
        self.recorder, self.name = recorder, name

    def reply(self, *args, args_after: bool = False):
        self.recorder.calls.append((self.name, copy.deepcopy(args)))
        exercise = self.recorder.pool.get(self.recorder.module)
        return exercise.call(self.name, list(args), args_after)

    def __call__(self, *args):
        return self.reply(*args).value


def record(workspace: str, check: Check, seed: int, limits: sandbox.Limits,
           isolation: str = "auto") -> list[tuple[str, tuple]]:
    """The calls (function, args) that `check` makes for `seed`, up to its verdict."""
    try:
        chosen = sandbox.choose(isolation)
    except RuntimeError as exc:      # the isolation asked for is not available here
        raise ReplayError(str(exc)) from None
    pool = Pool(os.path.abspath(workspace), [check.module], limits, chosen)
    student = Recorder(pool, check.module)
    token = SUBJECT.set(check.function)
    try:
        check.run(student, rng_for(seed, check.id))
    except Exception:  # noqa: BLE001 - the verdict does not matter here, the inputs do
        pass
    finally:
        SUBJECT.reset(token)
        pool.close()
    return student.calls


def script(check: Check, seed: int, calls: list[tuple[str, tuple]]) -> str:
    """Python source that makes `calls` again, printing each result."""
    lines = [f"# {t('feedback.script_header', id=check.id, seed=seed)}",
             f"# {t('feedback.script_run')}"]
    functions = sorted({name for name, _ in calls}) or [check.function]
    callables = [a for _, args in calls for a in args if isinstance(a, Callable)]
    lines += ["", "import functools", ""] if callables else [""]
    lines += ["import numpy as np", "", f"from {check.module} import {', '.join(functions)}", ""]
    names: dict[int, str] = {}
    for name in dict.fromkeys(c.name for c in callables):
        lines += ["", inspect.getsource(testfns.FUNCTIONS[name]).rstrip(), ""]
    lines += [""] if callables else []
    for i, fn in enumerate(callables, 1):
        names[id(fn)] = f"f{i}"
        params = ", ".join(f"{k}={source(_as_built(v), names)}" for k, v in fn.params.items())
        lines.append(f"f{i} = functools.partial({fn.name}, {params})" if params
                     else f"f{i} = {fn.name}")
    lines += [""] if callables else []
    for name, args in calls:
        lines.append(f"print(repr({name}({', '.join(source(a, names) for a in args)})))")
    if not calls:
        lines.append(f"# {t('feedback.script_none')}")
    return "\n".join(lines)


def _as_built(value):
    """A parameter as `testfns.build` gives it to the function: lists as float64 arrays."""
    return np.asarray(value, dtype=np.float64) if isinstance(value, list) else value


def source(value, names: dict[int, str]) -> str:
    if isinstance(value, Callable):
        return names[id(value)]
    return literal(value)[0]


def show_inputs(workspace: str, check_id: str, seed: int | None, limits: sandbox.Limits,
                isolation: str = "auto") -> str:
    if seed is None:
        raise ReplayError(t("feedback.show_inputs_needs_seed"))
    check = find(check_id)
    return script(check, seed, record(workspace, check, seed, limits, isolation))
