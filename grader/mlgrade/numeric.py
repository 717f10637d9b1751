"""Comparing a student's results with expected values, and the grader's own gradients.

Every helper raises `Incorrect` with a one-line message; none trusts the type of
what came back from the worker.
"""
import contextvars
import numbers

import numpy as np

from .i18n import t
from .outcomes import Incorrect
from .worker.wire import Unsupported

GRAD_TOL = 1e-6
# What a message calls the checked value unless told otherwise: the function's name,
# set by the plugin around each check.
SUBJECT: contextvars.ContextVar[str] = contextvars.ContextVar("subject", default="result")


def fmt(value) -> str:
    """A short printable form of a number or an array."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=8, edgeitems=2,
                               separator=", ", max_line_width=10**6).replace("\n", "")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.8g}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fmt_arg(value, depth: int = 0) -> str:
    """An argument as it appears in a call: small arrays in full, large ones by shape."""
    if isinstance(value, np.ndarray):
        return fmt(value) if value.size <= 8 else f"array(shape={value.shape})"
    if isinstance(value, (list, tuple)):
        if depth > 2 or len(value) > 8:
            return f"{type(value).__name__}(len={len(value)})"
        inner = ", ".join(fmt_arg(v, depth + 1) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return fmt(value)


def fmt_call(function: str, args: tuple) -> str:
    """`function(arg, …)` in short, e.g. for the errata's inputs."""
    return f"{function}({', '.join(fmt_arg(a) for a in args)})"


def _kind(value) -> str:
    if isinstance(value, Unsupported):
        return value.type_name
    return type(value).__name__


def as_float(got, what: str | None = None) -> float:
    """A float from a Python number, a numpy scalar or a 0-d array."""
    what = what or SUBJECT.get()
    if got is None:
        raise Incorrect(t("msg.returned_none", what=what))
    if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind in "biuf":
        return float(got)
    if isinstance(got, (numbers.Real, np.number)) and not isinstance(got, bool):
        return float(got)
    if isinstance(got, np.ndarray):
        raise Incorrect(t("msg.want_float_got_array", what=what, shape=got.shape))
    raise Incorrect(t("msg.want_float_got", what=what, kind=_kind(got)))


def as_array(got, shape: tuple | None = None, what: str | None = None) -> np.ndarray:
    """A float64 array from an array, a list or a tuple of numbers, of `shape` if given."""
    what = what or SUBJECT.get()
    if got is None:
        raise Incorrect(t("msg.returned_none", what=what))
    if isinstance(got, (list, tuple, np.ndarray, numbers.Real)) and not isinstance(got, bool):
        try:
            arr = np.asarray(got)
        except ValueError:
            raise Incorrect(t("msg.ragged", what=what)) from None
        if arr.dtype.kind in "biuf":
            arr = arr.astype(np.float64)
            if shape is not None and arr.shape != tuple(shape):
                raise Incorrect(t("msg.wrong_shape", what=what, want=tuple(shape),
                                  got=arr.shape))
            return arr
        raise Incorrect(t("msg.not_numeric", what=what, kind=_find_odd(got)))
    raise Incorrect(t("msg.want_array_got", what=what, kind=_kind(got)))


def _find_odd(got) -> str:
    """The type of the first element that is not a number, for the message."""
    stack = [got]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif not isinstance(item, (numbers.Real, np.number)) or isinstance(item, bool):
            return _kind(item)
    return "mixed values"


def as_pair(got, what: str | None = None) -> tuple:
    """The two items of a returned pair such as (dL_dw, dL_db)."""
    what = what or SUBJECT.get()
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Incorrect(t("msg.want_pair", what=what, kind=_kind(got)))
    return tuple(got)


def as_like(got, expected, what: str | None = None):
    """`got` in the form of `expected`: a float for a scalar, else an array of its shape."""
    what = what or SUBJECT.get()
    if np.ndim(expected) == 0:
        return as_float(got, what)
    return as_array(got, np.shape(expected), what)


def is_close(got, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    return bool(np.all(np.isclose(got, expected, rtol=rtol, atol=atol)))


def assert_matches(got, expected, rtol: float = 1e-6, atol: float = 1e-9, what: str | None = None,
                   printed=None, mistakes: dict | None = None) -> None:
    """Fail unless `got` has the form of `expected` and is close to it.

    Args:
        printed: the document's own (wrong) value, if it has one: matching it
            gets the `document-erratum` diagnosis.
        mistakes: {mistake id: what that mistake would have returned}; a match
            names the mistake in the diagnosis.
    """
    what = what or SUBJECT.get()
    value = as_like(got, expected, what)
    if not np.all(np.isfinite(value)):
        raise Incorrect(t("msg.not_finite", what=what, got=fmt(value)))
    if is_close(value, expected, rtol, atol):
        return
    if printed is not None and is_close(value, printed, rtol=5e-3, atol=1e-12):
        raise Incorrect(t("msg.erratum", what=what, got=fmt(value), expected=fmt(expected)),
                        diagnosis="document-erratum")
    raise Incorrect(t("msg.expected_got", what=what, expected=fmt(expected), got=fmt(value)),
                    diagnosis=diagnose(value, mistakes, rtol, atol))


def diagnose(value, mistakes: dict | None, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """The id of the first mistake whose result `value` equals, if any."""
    for mistake, wrong in (mistakes or {}).items():
        if wrong is None or np.shape(wrong) != np.shape(value):
            continue
        if is_close(value, wrong, max(rtol, 1e-6), atol):
            return mistake
    return None


def numerical_gradient(f, x, eps: float = 1e-5) -> np.ndarray:
    """Central differences (f(x+ε) − f(x−ε)) / 2ε of scalar f at every entry of x."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_errors(a, b) -> np.ndarray:
    """|a−b| / (|a|+|b|) elementwise, entries far below the largest judged on its scale."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.abs(a) + np.abs(b)
    floor = 1e-3 * float(scale.max(initial=0.0)) + 1e-12
    return np.abs(a - b) / np.maximum(scale, floor)


def assert_gradient(got, f, x, what: str | None = None, tol: float = GRAD_TOL,
                    mistakes: dict | None = None) -> None:
    """Fail unless `got` matches the central differences of scalar f at x."""
    what = what or SUBJECT.get()
    expected = numerical_gradient(f, x)
    value = as_array(got, expected.shape, what)
    if not np.all(np.isfinite(value)):
        raise Incorrect(t("msg.not_finite", what=what, got=fmt(value)))
    errors = relative_errors(value, expected)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(errors), errors.shape))
    if errors.size and errors[worst] > tol:  # (an empty gradient has nothing to compare)
        raise Incorrect(t("msg.gradient", what=what, err=f"{errors[worst]:.2e}", tol=f"{tol:g}",
                          index=worst, expected=fmt(expected[worst]), got=fmt(value[worst])),
                        diagnosis=diagnose(value, mistakes, 1e-5, 1e-9))
