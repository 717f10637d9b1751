"""A failing call as Python source: what the report shows, and what a student pastes.

Floats keep their full precision (repr), arrays their dtype, so that pasting the call
reproduces it; large arguments are summarised by their shape and functions passed as
arguments by what they compute (the report then points to `--show-inputs`).
"""
import numpy as np

from .i18n import t
from .worker.wire import Callable

CALL_WIDTH = 400   # characters of a failing call shown in full; past it, big arguments by shape


def exact_call(function: str, args: tuple, width: int | None = None) -> tuple[str, bool]:
    """The failing call as Python source, and whether pasting it reproduces the call exactly.

    Floats keep their full precision (repr), arrays their dtype; an argument too large
    for `width` is shown by its shape, a function passed as an argument by what it computes
    (both make the call inexact: `mlgrade check … --show-inputs` then gives the inputs).
    """
    parts = [literal(a) for a in args]
    text = f"{function}({', '.join(p for p, _ in parts)})"
    if len(text) > (width or CALL_WIDTH):
        parts = [literal(a) if _count(a) <= 8 else (summary(a), False) for a in args]
        text = f"{function}({', '.join(p for p, _ in parts)})"
    return text, all(ok for _, ok in parts)


def _count(value) -> int:
    """How many numbers an argument holds."""
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, (list, tuple)):
        return sum(_count(v) for v in value)
    return 1


def summary(value) -> str:
    """A large argument by its type and shape."""
    if isinstance(value, np.ndarray):
        return "<" + t("feedback.array_summary", dtype=value.dtype, shape=value.shape) + ">"
    if isinstance(value, (list, tuple)):
        return "<" + t("feedback.list_summary", kind=type(value).__name__, n=len(value)) + ">"
    return literal(value)[0]


def literal(value) -> tuple[str, bool]:
    """(Python source that rebuilds `value`, whether it rebuilds it exactly)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return summary(value), False
        if value.size == 0:
            return f"np.zeros({value.shape}, dtype=np.{value.dtype.name})", True
        return f"np.array({_nested(value.tolist())}, dtype=np.{value.dtype.name})", True
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return f"np.{value.dtype.name}({_number(value.item())})", True
    if isinstance(value, (bool, int, float)) or value is None:
        return _number(value), True
    if isinstance(value, str):
        return repr(value), True
    if isinstance(value, (list, tuple)):
        items = [literal(v) for v in value]
        inner = ", ".join(p for p, _ in items)
        if isinstance(value, tuple):
            inner = f"({inner},)" if len(items) == 1 else f"({inner})"
        else:
            inner = f"[{inner}]"
        return inner, all(ok for _, ok in items)
    if isinstance(value, dict):
        items = [(literal(k), literal(v)) for k, v in value.items()]
        inner = ", ".join(f"{k[0]}: {v[0]}" for k, v in items)
        return "{" + inner + "}", all(k[1] and v[1] for k, v in items)
    if isinstance(value, Callable):
        return f"<{t('feedback.function', text=t(f'feedback.fn.{value.name}'))}>", False
    return f"<{type(value).__name__}>", False


def _nested(items) -> str:
    if isinstance(items, list):
        return "[" + ", ".join(_nested(v) for v in items) + "]"
    return _number(items, numpy=True)


def _number(x, numpy: bool = False) -> str:
    """repr of a number, with nan and inf spelled so that Python reads them back."""
    if isinstance(x, float) and not np.isfinite(x):
        name = "np.nan" if numpy else "float('nan')"
        if not np.isnan(x):
            name = "np.inf" if numpy else "float('inf')"
            name = name if x > 0 else "-" + name
        return name
    return repr(x)
