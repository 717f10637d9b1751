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

U = float(np.finfo(np.float64).eps)    # 2.2e-16, the unit roundoff of float64 (×2)
# A correct float64 computation of a result made of a few hundred roundings is off by at
# most a few hundred u relative to the size of its terms; RTOL allows 450 u (1e-13) of that
# and a factor of 1000 on top for reordered sums.  It is far below float32's 6e-8, so a
# float32 result is seen for what it is.
RTOL = 1e-10
# The absolute counterpart for results whose terms are of order 1 (probabilities, σ, …).
ATOL = 1e-12
F32_RTOL = 4e-6        # float32 rounding of a few dozen operations (u32 = 1.2e-7)
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


class AnyOf(tuple):
    """The results one named mistake may give, any of which names it (e.g. ε = 1e-7 or 1e-9)."""


def _kind(value) -> str:
    if isinstance(value, Unsupported):
        return value.type_name
    return type(value).__name__


def _odd_dtype(value) -> str | None:
    """The `object-dtype` diagnosis for an object array that holds other things than numbers."""
    return "object-dtype" if isinstance(value, Unsupported) and "dtype object" in \
        value.type_name else None


def _is_real(item) -> bool:
    return isinstance(item, (numbers.Real, np.number)) and not isinstance(item, (bool, np.bool_))


def _from_object(arr: np.ndarray, what: str) -> np.ndarray:
    """An object array of real numbers (np.frompyfunc, np.vectorize) as float64."""
    items = arr.ravel().tolist()
    odd = next((item for item in items if not _is_real(item)), None)
    if odd is not None or not items and arr.size:
        raise Incorrect(t("msg.not_numeric", what=what, kind=_kind(odd)),
                        diagnosis="object-dtype")
    return np.array(items, dtype=np.float64).reshape(arr.shape)


def precision(got) -> str | None:
    """"float32" or "float16" when `got` is (or holds) floats narrower than float64."""
    dtypes = {np.asarray(v).dtype for v in (got if isinstance(got, (list, tuple)) else [got])
              if isinstance(v, (np.ndarray, np.generic))}
    narrow = sorted(d.name for d in dtypes if d.kind == "f" and d.itemsize < 8)
    return narrow[0] if narrow else None


def as_float(got, what: str | None = None) -> float:
    """A float from a Python number, a numpy scalar or a 0-d array (of any real dtype)."""
    what = what or SUBJECT.get()
    if got is None:
        raise Incorrect(t("msg.returned_none", what=what))
    if isinstance(got, np.ndarray) and got.ndim == 0:
        if got.dtype.kind in "biuf":
            return float(got)
        if got.dtype == object:
            return float(_from_object(got, what))
    if _is_real(got):
        return float(got)
    if isinstance(got, np.ndarray):
        raise Incorrect(t("msg.want_float_got_array", what=what, shape=got.shape))
    raise Incorrect(t("msg.want_float_got", what=what, kind=_kind(got)),
                    diagnosis=_odd_dtype(got))


def as_array(got, shape: tuple | None = None, what: str | None = None) -> np.ndarray:
    """A float64 array from an array (any real or object dtype), a list, a tuple or a number."""
    what = what or SUBJECT.get()
    if got is None:
        raise Incorrect(t("msg.returned_none", what=what))
    if not isinstance(got, (list, tuple, np.ndarray, numbers.Real, np.number)) or isinstance(
            got, (bool, np.bool_)):
        raise Incorrect(t("msg.want_array_got", what=what, kind=_kind(got)),
                        diagnosis=_odd_dtype(got))
    try:
        arr = np.asarray(got)
    except ValueError:
        raise Incorrect(t("msg.ragged", what=what)) from None
    if arr.dtype == object:
        arr = _from_object(arr, what)
    elif arr.dtype.kind not in "biuf":
        raise Incorrect(t("msg.not_numeric", what=what, kind=_find_odd(got)))
    arr = arr.astype(np.float64)
    if shape is not None and arr.shape != tuple(shape):
        raise Incorrect(t("msg.wrong_shape", what=what, want=tuple(shape), got=arr.shape))
    return arr


def _find_odd(got) -> str:
    """The type of the first element that is not a number, for the message."""
    stack = [got]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif not _is_real(item):
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


def allowed(expected, rtol: float = RTOL, atol: float = ATOL, scale=None) -> np.ndarray:
    """Elementwise |got − expected| allowed: rtol of the result's size (or of `scale`, the
    size of the terms it is made of, where they cancel) plus atol."""
    size = np.abs(np.asarray(expected, dtype=np.float64))
    if scale is not None:
        size = np.maximum(size, np.abs(np.asarray(scale, dtype=np.float64)))
    return rtol * size + atol


def is_close(got, expected, rtol: float = RTOL, atol: float = ATOL, scale=None) -> bool:
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return bool(np.all(np.abs(got - expected) <= allowed(expected, rtol, atol, scale)))


def assert_matches(got, expected, rtol: float = RTOL, atol: float = ATOL,
                   what: str | None = None, printed=None, mistakes: dict | None = None,
                   scale=None) -> None:
    """Fail unless `got` has the form of `expected` and is within rounding of it.

    Args:
        rtol, atol, scale: |got − expected| ≤ rtol·max(|expected|, |scale|) + atol, elementwise.
        printed: the document's own (wrong) value, if it has one: matching it
            gets the `document-erratum` diagnosis.
        mistakes: {mistake id: what that mistake would have returned (or an `AnyOf`)};
            a match names the mistake in the diagnosis.
    """
    what = what or SUBJECT.get()
    value = as_like(got, expected, what)
    if not np.all(np.isfinite(value)):
        raise Incorrect(t("msg.not_finite", what=what, got=fmt(value)))
    if is_close(value, expected, rtol, atol, scale):
        return
    if printed is not None and is_close(value, printed, rtol=5e-3, atol=1e-12):
        raise Incorrect(t("msg.erratum", what=what, got=fmt(value), expected=fmt(expected)),
                        diagnosis="document-erratum")
    raise Incorrect(t("msg.expected_got", what=what, expected=fmt(expected), got=fmt(value)),
                    diagnosis=diagnose(value, expected, mistakes, rtol, atol, scale,
                                       precision(got)))


def diagnose(value, expected, mistakes: dict | None, rtol: float = RTOL, atol: float = ATOL,
             scale=None, narrow: str | None = None) -> str | None:
    """The id of the mistake whose result `value` equals, if it differs from `expected`.

    A mistake whose result equals the right one on these inputs (the 1/n of a batch of one)
    is never named; `narrow` ("float32") names the precision when that explains the gap.
    """
    slack = dict(rtol=max(1e3 * rtol, 1e-7), atol=4 * atol, scale=scale)
    for mistake, wrong in (mistakes or {}).items():
        for candidate in (wrong if isinstance(wrong, AnyOf) else (wrong,)):
            if candidate is None or np.shape(candidate) != np.shape(value):
                continue
            if is_close(candidate, expected, **slack):
                continue                 # indistinguishable here: naming it would mislead
            if is_close(value, candidate, **slack):
                return mistake
    if narrow:      # float32 rounds intermediates of size ≥ 1 (1 + e^−z, …) to ~1e-7 too
        size = max(float(np.max(np.abs(expected), initial=0.0)), 1.0)
        if is_close(value, expected, F32_RTOL, F32_RTOL * size, scale):
            return "float32-result"
    return None


def central_differences(f, x, h: float = 1e-5, f_scale: float = 1.0
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(gradient, error bound) of scalar f at every entry of x, by central differences.

    D(h) = (f(x+h) − f(x−h)) / 2h is off by c·h² + rounding; D(2h) by 4c·h², so
    |D(2h) − D(h)| = 3|c|h² bounds the truncation with a margin of 3.  Each value of f is
    within 64 u of the size of the terms it is computed from (|f|, or `f_scale` where
    terms cancel: −log p for p near 1 is off by u, not by u·|log p|); their rounding
    adds 64 u Σ max(|f|, f_scale) / 2h.
    """
    x = np.array(x, dtype=np.float64)
    grad, bound = np.zeros_like(x), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        step = h * max(1.0, abs(old))
        values = []
        for k in (1, -1, 2, -2):
            x[i] = old + k * step
            values.append(float(f(x)))
        x[i] = old
        up, down, up2, down2 = values
        grad[i] = (up - down) / (2 * step)
        wide = (up2 - down2) / (4 * step)
        rounding = 64 * U * sum(max(abs(v), f_scale) for v in values) / (2 * step)
        bound[i] = abs(wide - grad[i]) + rounding
    return grad, bound


def assert_gradient(got, f, x, what: str | None = None, mistakes: dict | None = None,
                    atol: float = ATOL, f_scale: float = 1.0) -> None:
    """Fail unless `got` matches the central differences of scalar f at x within their bound.

    Allowed per entry: twice the error bound of the differences (`f_scale`: the size of
    the terms f is computed from), plus RTOL of the gradient's size for the rounding of
    the student's own formula, plus atol.
    """
    what = what or SUBJECT.get()
    value = as_array(got, np.shape(x), what)      # the form first: differences cost time
    if not np.all(np.isfinite(value)):
        raise Incorrect(t("msg.not_finite", what=what, got=fmt(value)))
    expected, bound = central_differences(f, x, f_scale=f_scale)
    limit = 2 * bound + allowed(expected, RTOL, atol, np.abs(expected).max(initial=0.0))
    gap = np.abs(value - expected)
    if not gap.size or np.all(gap <= limit):
        return
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(gap / limit), gap.shape))
    size = max(abs(value[worst]) + abs(expected[worst]), 1e-300)
    raise Incorrect(t("msg.gradient", what=what, err=f"{gap[worst] / size:.2e}",
                      tol=f"{limit[worst] / size:.1e}", index=worst,
                      expected=fmt(expected[worst]), got=fmt(value[worst])),
                    diagnosis=diagnose(value, expected, mistakes, 1e-6, 2 * float(limit.max()),
                                       narrow=precision(got)))
