"""The declaration of an exercise: its functions, document numbers and checks."""
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Doc:
    """A number that a source document prints, as `mlgrade errata` lists it.

    Attributes:
        source: the document, "000" … "004".
        printed: what the document prints (a number, an array or a formula).
        correct: what the check expects.
        inputs: the call that the check makes, e.g. "predict([0.5, -0.3], [1.0, 1.0], 0.2)".
        erratum: for a wrong number, the key of its one-sentence reason (locale `errata.*`).
        remark: a note on a slip that leaves the number right (locale `errata.*`).
    """

    source: str
    printed: object
    correct: object
    inputs: str = ""
    erratum: str | None = None
    remark: str | None = None


@dataclass(frozen=True)
class Check:
    """One graded check.  `run(student, rng)` raises to fail and returns to pass.

    Attributes:
        id: stable dotted id, `module.function.name`.
        kind: "fixed" for a fixed example, "random" for a seeded randomized check.
        doc: the document number the check uses, if any.
    """

    id: str
    module: str
    function: str
    name: str
    run: Callable
    points: float = 1.0
    kind: str = "random"
    doc: Doc | None = None
    params: dict = field(default_factory=dict)

    def title(self) -> str:
        """The check's name in the current language, its numbers filled from `params`."""
        from .i18n import t

        return t(f"{self.module}.checks.{self.name}", **self.params)


@dataclass(frozen=True)
class Case:
    """A fixed example: `function(*args)` must be close to `expected`.

    Attributes:
        source: the document the example comes from, or "".
        printed: what the document prints for it, if it prints a number.
        erratum: key of the reason when `printed` is wrong; a student answer equal
            to `printed` then gets the `document-erratum` diagnosis.
        remark: key of a note on a slip that leaves the number right.
        mistakes: {mistake id: what that mistake returns here}, to name it.
        params: further numbers that the check's name or erratum shows, by placeholder.
    """

    name: str
    function: str
    args: tuple
    expected: object
    source: str = ""
    rtol: float = 1e-10
    atol: float = 1e-12
    points: float = 1.0
    printed: object = None
    erratum: str | None = None
    remark: str | None = None
    mistakes: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)


@dataclass
class Exercise:
    """Everything the grader knows of one catalog module."""

    module: str
    functions: tuple[str, ...]
    cases: list[Case] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def all_checks(self) -> list[Check]:
        """Cases first (in declaration order), then decorated checks."""
        return [self._case_check(c) for c in self.cases] + self.checks

    def _case_check(self, case: Case) -> Check:
        from .numeric import assert_matches, fmt_call

        def run(student, rng):
            got = getattr(student, case.function)(*as_inputs(case.args))
            assert_matches(got, case.expected, rtol=case.rtol, atol=case.atol,
                           printed=case.printed if case.erratum else None,
                           mistakes=case.mistakes)

        doc = None
        if case.printed is not None:
            doc = Doc(case.source, case.printed, case.expected,
                      fmt_call(case.function, as_inputs(case.args)), case.erratum, case.remark)
        params = {"expected": show(case.expected), "printed": show(case.printed),
                  **{f"a{i + 1}": show(a) for i, a in enumerate(as_inputs(case.args))},
                  **{k: show(v) for k, v in case.params.items()}}
        return Check(f"{self.module}.{case.function}.{case.name}", self.module, case.function,
                     case.name, run, case.points, "fixed", doc, params)


def as_inputs(value):
    """What a function is called with: lists of numbers as numpy arrays (float64, or int64
    for all-int lists such as class labels), Python floats and ints as they are; tuples and
    lists of other things (layers) item by item."""
    if isinstance(value, tuple):
        return tuple(as_inputs(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.astype(np.int64 if value.dtype.kind in "iu" else np.float64)
    if isinstance(value, list):
        flat = np.asarray(value, dtype=object).ravel() if _rectangular(value) else None
        if flat is not None and len(flat) and all(isinstance(v, (int, float)) for v in flat):
            ints = all(type(v) is int for v in flat)
            return np.array(value, dtype=np.int64 if ints else np.float64)
        return [as_inputs(v) for v in value]
    return value


def _rectangular(value: list) -> bool:
    try:
        return np.asarray(value, dtype=object).dtype == object and np.array(value).dtype != object
    except ValueError:
        return False


def show(value, digits: int = 6) -> str:
    """A number or an array as a check's name prints it: 6 significant digits, "−" for minus,
    vectors as (a, b), matrices as [[a, b], [c, d]]."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, np.ndarray) and value.shape == (1,):
        return show(value[0], digits)
    if isinstance(value, (tuple, list)) or isinstance(value, np.ndarray) and value.ndim == 1:
        return "(" + ", ".join(show(v, digits) for v in list(value)) + ")"
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return "[" + ", ".join("[" + ", ".join(show(v, digits) for v in row) + "]"
                               for row in np.asarray(value).tolist()) + "]"
    if not isinstance(value, (int, float, np.number)):
        return str(value)
    return f"{float(value):.{digits}g}".replace("-", "−")


def check(exercise: Exercise, function: str, points: float = 1.0, doc: Doc | None = None,
          **params):
    """Register `run(student, rng)` as a check of `exercise.function`: random, or fixed on `doc`.

    `params` fill the placeholders of the check's name (numbers through `show`).
    """
    assert function in exercise.functions, function
    shown = {k: v if isinstance(v, str) else show(v) for k, v in params.items()}

    def register(run: Callable) -> Callable:
        exercise.checks.append(Check(f"{exercise.module}.{function}.{run.__name__}",
                                     exercise.module, function, run.__name__, run, points,
                                     "fixed" if doc else "random", doc, shown))
        return run

    return register


def rng_for(seed: int, check_id: str) -> np.random.Generator:
    """Each check's own RNG: adding a check leaves the others' inputs unchanged."""
    import hashlib

    digest = hashlib.sha256(check_id.encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])
