"""The kinds of quiz question, and each student's own numbers.

A question's texts live in the locale catalogs under `quiz.q.<id>` (`title`, `text`,
`options` for a choice), formatted with the question's parameters.  A randomized
question draws its parameters from a generator seeded by sha256(student id, question
id), so a student always gets the same numbers and two students (almost always)
different ones; its answer is computed from those parameters, never stored.
"""
import hashlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

LETTERS = "abcdefgh"


@dataclass(frozen=True)
class Choice:
    """Pick one option (or, if `multi`, every right option) among `n_options`.

    Attributes:
        correct: the letters of the right options.
        mistakes: {letter: mistake id} for a wrong option that is a known misconception.
        printed: the letter of the option a document prints (wrong), if any, and
            `erratum` the key of its reason (locale `errata.*`).
    """

    id: str
    doc: str
    correct: str
    n_options: int = 4
    multi: bool = False
    mistakes: dict = field(default_factory=dict)
    printed: str | None = None
    erratum: str | None = None
    points: float = 1.0
    randomized: bool = False

    @property
    def letters(self) -> str:
        return LETTERS[:self.n_options]

    def params(self, student: str) -> dict:
        return {}

    def key(self, student: str):
        return sorted(self.correct) if self.multi else self.correct


@dataclass(frozen=True)
class Numeric:
    """A number, accepted within `rtol` (relative) or `atol` (absolute).

    Attributes:
        make: rng -> parameters of the text, per student; None for fixed numbers.
        given: () -> the fixed numbers of the text (taken from the catalog), if any.
        answer: parameters -> the right number.
        mistakes: {mistake id: parameters -> what that mistake gives}.
        printed: parameters -> the (wrong) number a document prints, and `erratum`
            the key of its reason.
    """

    id: str
    doc: str
    answer: Callable
    make: Callable | None = None
    given: Callable | None = None
    rtol: float = 1e-3
    atol: float = 1e-9
    mistakes: dict = field(default_factory=dict)
    printed: Callable | None = None
    erratum: str | None = None
    points: float = 1.0

    @property
    def randomized(self) -> bool:
        return self.make is not None

    def params(self, student: str) -> dict:
        if self.make:
            return self.make(student_rng(student, self.id))
        return self.given() if self.given else {}

    def key(self, student: str) -> float:
        fixed = self.make is None                 # the answer of fixed numbers takes none
        value = self.answer() if fixed else self.answer(**self.params(student))
        return float(f"{float(value):.12g}")


@dataclass(frozen=True)
class Formula:
    """A formula in `variables`, checked by its values at points drawn from `domain`.

    Attributes:
        reference: the right formula as a numpy function of the variables.
        key_text: the right formula as a student would type it.
        domain: {variable: (low, high)} where the formula is compared.
        mistakes: {mistake id: a numpy function of the variables}.
    """

    id: str
    doc: str
    variables: tuple[str, ...]
    reference: Callable
    key_text: str
    domain: dict
    mistakes: dict = field(default_factory=dict)
    points: float = 1.0
    randomized: bool = False

    def params(self, student: str) -> dict:
        return {}

    def key(self, student: str) -> str:
        return self.key_text

    def points_to_compare(self) -> dict[str, np.ndarray]:
        """Twelve points per formula, the same for everyone (seeded by the question id)."""
        rng = np.random.default_rng(_digest("points", self.id))
        return {v: rng.uniform(lo, hi, size=12) for v, (lo, hi) in self.domain.items()}


def _digest(*parts: str) -> int:
    """A stable 64-bit number from strings (sha256; Python's hash() varies per process)."""
    data = "\0".join(("mlgrade-quiz", *parts)).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "little")


def student_rng(student: str, question: str) -> np.random.Generator:
    """The generator of one student's numbers for one question."""
    return np.random.default_rng(_digest("student", student, question))


def student_seed(student: str) -> int:
    """A number that identifies a student's quiz in a report (below 2**63)."""
    return _digest("student", student) >> 1
