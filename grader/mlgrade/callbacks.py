"""Functions that checks pass to student code (f in ex10/ex11, grad_fn in ex12), kept opaque.

The worker receives only a numbered stand-in (`wire.Function`); the student's code
calls it like a function, which sends a callback request over the wire:

    worker -> grader   {"callback": n, "call": call id, "args": [x]}
    grader -> worker   {"callback": true, "ok": true, "value": f_n(x)}
                       {"callback": true, "ok": false, "error": "…"}

The grading process evaluates the real function (testfns.py) on a validated
argument, within the exercise's deadline (pool.Worker.call) and at most MAX_CALLS
times per call.  Student code never holds its name, closure, code or parameters.
"""
import numpy as np

from . import testfns
from .i18n import t
from .worker import wire

MAX_CALLS = 10_000     # callbacks in one call of a student's function
MAX_SIZE = 10_000      # elements of one argument


class Callbacks:
    """The functions passed in one call of a student's function, and their use."""

    def __init__(self, call_id: int):
        self.call_id = call_id
        self.functions: list = []
        self.calls = 0

    def hide(self, value):
        """`value` with each `wire.Callable` replaced by a numbered `wire.Function`."""
        if isinstance(value, wire.Callable):
            self.functions.append(testfns.build(value.name, value.params))
            return wire.Function(len(self.functions) - 1)
        if isinstance(value, list):
            return [self.hide(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.hide(v) for v in value)
        return value

    def answer(self, request: dict) -> dict:
        """The reply to one callback request of the worker."""
        self.calls += 1
        if self.calls > MAX_CALLS:
            return refuse(t("sealprocess.callback_too_many", limit=MAX_CALLS))
        number, args = request.get("callback"), request.get("args")
        if (request.get("call") != self.call_id or type(number) is not int
                or not 0 <= number < len(self.functions)):
            return refuse(t("sealprocess.callback_stale"))
        if not isinstance(args, list) or len(args) != 1:
            return refuse(t("sealprocess.callback_bad_argument",
                            given=f"{len(args) if isinstance(args, list) else 0} arguments"))
        x = argument(args[0])
        if x is None:
            return refuse(t("sealprocess.callback_bad_argument", given=describe(args[0])))
        try:
            with np.errstate(all="ignore"):
                value = self.functions[number](x)
        except (ValueError, TypeError, IndexError) as exc:
            return refuse(t("sealprocess.callback_failed", error=str(exc)[:200]))
        return {"callback": True, "ok": True, "value": value}


def argument(value) -> np.ndarray | None:
    """A number or numeric array (list) as float64, or None for anything else."""
    if value is None or isinstance(value, (str, dict, wire.Unsupported, wire.Function)):
        return None
    try:
        a = np.asarray(value)
    except (ValueError, TypeError):
        return None
    if a.dtype.kind not in "biuf" or a.size > MAX_SIZE:
        return None
    return a.astype(np.float64)


def describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    if isinstance(value, wire.Unsupported):
        return value.type_name
    return type(value).__name__


def refuse(text: str) -> dict:
    return {"callback": True, "ok": False, "error": text}
