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


def shape_classes(rng: np.random.Generator, scalar: bool = True) -> dict[str, tuple]:
    """One shape of each class an elementwise function accepts, on every seed.

    A 0-d input (if `scalar`), a vector (k,), a batch of one (1, k) and a batch (n, k),
    with n, k ≥ 2: the seed varies the sizes, never which classes are covered.
    """
    k, n = (int(v) for v in rng.integers(2, 7, size=2))
    return {**({"0-d": ()} if scalar else {}), "1-D": (k,), "batch of one": (1, k),
            "batch": (n, k)}


def arg(value):
    """An array argument as the contract sends it: a float64 array, or for a 0-d value a
    np.float64, which is a Python float (a subclass) that also has the array methods
    (.astype, .max, …) that the hints teach."""
    value = np.asarray(value, dtype=np.float64)
    return value[()] if value.ndim == 0 else value


def leaves_inputs_unchanged(exercise, function: str, draw, verify) -> None:
    """Register `inputs_unchanged_<function>`: the right result, arguments left unchanged.

    A changed argument fails it with the `mutates-input` diagnosis before its value is
    looked at; a wrong value fails it too (so that code returning anything does not earn
    this check's points), and its name says both.

    Args:
        draw: rng -> the arguments of one call (fixed shapes: whether a wrong function
            raises must not depend on the seed).
        verify: (value, args) -> None, raises `Incorrect` for a wrong value.
    """
    from .spec import check

    def run(student, rng):
        args = draw(rng)
        verify(assert_unchanged(getattr(student, function), *args), args)

    run.__name__ = f"inputs_unchanged_{function}"
    check(exercise, function)(run)
