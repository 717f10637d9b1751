"""Running catalog checks in this process, against trusted functions: for sweeps and tests only.

A check's `run(student, rng)` normally calls a sandboxed worker.  Here `student` is a
`Module` that calls plain Python functions (the reference solutions, the tests' own
implementations) directly, with what a worker would send and receive: arguments and
results go through the wire format, so a result arrives exactly as from a worker.
Never use this for student code: it runs it unsandboxed.
"""
import copy
import types
import warnings

import numpy as np

from .numeric import SUBJECT
from .outcomes import NotAttempted, StudentError
from .pool import Reply
from .spec import Check, rng_for
from . import testfns
from .worker import wire


def _send(value, wire_format: bool):
    """An argument as the function receives it; a check's `Callable` as the function itself
    (in grading it stays in the grading process, see callbacks.py)."""
    if isinstance(value, wire.Callable):
        return testfns.build(value.name, value.params)
    return _through(value, wire_format)


def _through(value, wire_format: bool):
    """What the other side receives: through the wire format, or (faster) a deep copy."""
    if wire_format:
        return wire.loads(wire.dumps({"v": value}))["v"]
    return copy.deepcopy(value)


class Function:
    """One function, called as a worker would call it."""

    def __init__(self, name: str, func, wire_format: bool = True):
        self.name, self.func, self.wire_format = name, func, wire_format

    def reply(self, *args, args_after: bool = False) -> Reply:
        sent = [_send(a, self.wire_format) for a in args]
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn",
                                                                         under="ignore"):
            warnings.simplefilter("always")
            try:
                value = self.func(*sent)
            except NotImplementedError:
                raise NotAttempted(self.name) from None
            except Exception as exc:  # noqa: BLE001 - reported like a worker's exception
                raise StudentError(f"{type(exc).__name__}: {exc}", "exception") from exc
        message = {"value": value,
                   "after": [None if callable(a) else a for a in sent] if args_after else []}
        back = _through(message, self.wire_format)
        return Reply(back["value"], [f"{w.category.__name__}: {w.message}" for w in caught],
                     back["after"])

    def __call__(self, *args):
        return self.reply(*args).value


class Module:
    """Attribute access to the functions of a Python module or a namespace."""

    def __init__(self, functions, wire_format: bool = True):
        self._functions, self._wire_format = functions, wire_format

    def __getattr__(self, name: str) -> Function:
        if name.startswith("_"):
            raise AttributeError(name)
        return Function(name, getattr(self._functions, name), self._wire_format)


def namespace(**functions) -> types.SimpleNamespace:
    return types.SimpleNamespace(**functions)


def run(check: Check, functions, seed: int, wire_format: bool = True) -> BaseException | None:
    """Run one check on `functions` (a module or namespace); None if it passes.

    Args:
        wire_format: send values through the wire format as a worker does (False: deep
            copies, faster, for implementations whose results are plain arrays and floats).
    """
    token = SUBJECT.set(check.function)
    try:
        check.run(Module(functions, wire_format), rng_for(seed, check.id))
    except (AssertionError, StudentError, NotAttempted) as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a check that cannot use a result fails, as in
        return exc            # the plugin (classify: "the check could not use your result")
    finally:
        SUBJECT.reset(token)
    return None
