"""The declaration of an exercise: its functions, document numbers and checks."""
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Check:
    """One graded check.  `run(student, rng)` raises to fail and returns to pass.

    Attributes:
        id: stable dotted id, `module.function.name`.
        kind: "fixed" for a document number, "random" for a seeded randomized check.
        source: the document a fixed number comes from ("000" … "004"), if any.
    """

    id: str
    module: str
    function: str
    name: str
    run: Callable
    points: float = 1.0
    kind: str = "random"
    source: str = ""


@dataclass(frozen=True)
class Case:
    """A document number: `function(*args)` must be close to `expected`.

    Attributes:
        printed: what the document prints, when it differs from `expected`
            (an erratum); a student answer equal to it is told why.
    """

    name: str
    function: str
    args: tuple
    expected: object
    source: str
    rtol: float = 1e-6
    atol: float = 1e-9
    points: float = 1.0
    printed: object = None


@dataclass
class Exercise:
    """Everything the grader knows of one catalog module."""

    module: str
    functions: tuple[str, ...]
    sources: tuple[str, ...]
    cases: list[Case] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def all_checks(self) -> list[Check]:
        """Cases first (in declaration order), then decorated checks."""
        return [self._case_check(c) for c in self.cases] + self.checks

    def _case_check(self, case: Case) -> Check:
        from .numeric import assert_matches

        def run(student, rng):
            got = getattr(student, case.function)(*case.args)
            assert_matches(got, case.expected, rtol=case.rtol, atol=case.atol,
                           printed=case.printed)

        return Check(f"{self.module}.{case.function}.{case.name}", self.module, case.function,
                     case.name, run, case.points, "fixed", case.source)


def check(exercise: Exercise, function: str, points: float = 1.0, kind: str = "random",
          source: str = ""):
    """Register `run(student, rng)` as a check of `exercise.function`."""
    assert function in exercise.functions, function

    def register(run: Callable) -> Callable:
        exercise.checks.append(Check(f"{exercise.module}.{function}.{run.__name__}",
                                     exercise.module, function, run.__name__, run, points,
                                     kind, source))
        return run

    return register


def rng_for(seed: int, check_id: str) -> np.random.Generator:
    """Each check's own RNG: adding a check leaves the others' inputs unchanged."""
    import hashlib

    digest = hashlib.sha256(check_id.encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])
