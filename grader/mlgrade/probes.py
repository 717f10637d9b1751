"""Checks on a whole call rather than its value: inputs unchanged, no warnings; random inputs."""
import itertools

import numpy as np

from .i18n import t
from .numeric import fmt
from .outcomes import Incorrect


def assert_unchanged(function, *args) -> object:
    """Call `function(*args)` and fail if it changed any of its array or list arguments.

    Returns:
        The call's value, for further checks.
    """
    reply = function.reply(*args, args_after=True)
    # a reply without every argument (forged) counts as a changed argument
    pairs = itertools.zip_longest(args, reply.args_after[:len(args)], fillvalue=MISSING)
    for i, (before, after) in enumerate(pairs):
        if isinstance(before, (np.ndarray, list)) and not _same(before, after):
            raise Incorrect(t("msg.mutated", function=function.name, index=i + 1,
                              before=fmt(np.asarray(before))), diagnosis="mutates-input")
    return reply.value


MISSING = object()


def _same(before, after) -> bool:
    """Equal values, nested lists and tuples compared item by item."""
    if isinstance(before, (list, tuple)):
        return (isinstance(after, (list, tuple)) and len(before) == len(after)
                and all(_same(b, a) for b, a in zip(before, after, strict=True)))
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and np.array_equal(before, after, equal_nan=True)
    return type(before) is type(after) and before == after


def assert_quiet(function, *args, diagnosis: str | None = None) -> object:
    """Call `function(*args)` and fail on any warning (overflow, invalid value, …).

    Returns:
        The call's value, for further checks.
    """
    reply = function.reply(*args)
    if reply.warnings:
        raise Incorrect(t("msg.warning", function=function.name, warning=reply.warnings[0]),
                        diagnosis=diagnosis)
    return reply.value


def random_shape(rng: np.random.Generator, batch: bool | None = None) -> tuple:
    """A shape for an elementwise function: (), (k,), or (n, k)."""
    if batch is None:
        return [(), (int(rng.integers(1, 9)),), tuple(int(v) for v in rng.integers(1, 7, 2))][
            int(rng.integers(0, 3))]
    return tuple(int(v) for v in rng.integers(2, 7, 2)) if batch else (int(rng.integers(1, 9)),)
