"""Judge one answer: right or wrong, why, and which known mistake or erratum it matches.

Answers arrive in the form answers.toml stores them: a letter (str) for a single
choice, a sorted list of letters for several, a number, or a formula's text.
"""
import math
from dataclasses import dataclass

import numpy as np

from .. import i18n
from ..i18n import t
from ..numeric import fmt
from . import formula
from .model import Choice, Formula, Numeric

ERRATUM = "document-erratum"


@dataclass
class Verdict:
    correct: bool
    message: str | None = None
    mistake: str | None = None          # a diagnosis id
    erratum: str | None = None          # the key of the document's erratum, if matched

    def diagnosis(self) -> dict | None:
        """The report's diagnosis: {"id", "message"}, with the erratum's reason if any."""
        if not self.mistake:
            return None
        text = diagnosis_text(self.mistake)
        if self.erratum:
            space = "" if i18n.current() == "zh" else " "      # Chinese sentences need none
            text = f"{text}{space}{erratum_reason(self.erratum)}"
        return {"id": self.mistake, "message": text}


def erratum_reason(key: str) -> str:
    """An erratum's reason as `mlgrade errata` gives it: numbers from the declaring check."""
    from .. import catalog

    for exercise in catalog.exercises():
        for check in exercise.all_checks():
            if check.doc is not None and check.doc.erratum == key:
                return t(f"errata.{key}", **getattr(check, "params", {}))
    return t(f"errata.{key}")


def diagnosis_text(mistake: str) -> str:
    """A named mistake of the exercises (`diagnosis.*`) or of the quiz (`quiz.diagnosis.*`)."""
    try:
        i18n.lookup(f"diagnosis.{mistake}", "en")
        return t(f"diagnosis.{mistake}")
    except KeyError:
        return t(f"quiz.diagnosis.{mistake}")


def title(q) -> str:
    return t(f"quiz.q.{q.id}.title")


def yours() -> str:
    """What a message calls the student's answer (the report names the question)."""
    return t("quiz.your_answer")


def judge(q, value, student: str) -> Verdict:
    """The verdict on `value`, an answer of the stored form, for `student`'s numbers."""
    if isinstance(q, Choice):
        return _choice(q, value)
    if isinstance(q, Numeric):
        return _numeric(q, value, student)
    return _formula(q, value)


def _choice(q: Choice, value) -> Verdict:
    got = sorted(value) if q.multi else [value]
    if "".join(got) == "".join(sorted(q.correct)):
        return Verdict(True)
    shown, expected = ",".join(got), ",".join(sorted(q.correct))
    if q.printed and got == [q.printed]:
        return Verdict(False, t("quiz.msg.erratum_choice", what=yours(), got=shown,
                                expected=expected), ERRATUM, q.erratum)
    mistake = next((q.mistakes[c] for c in got if c in q.mistakes), None)
    return Verdict(False, t("quiz.msg.expected_choice", what=yours(), expected=expected,
                            got=shown), mistake)


def _numeric(q: Numeric, value, student: str) -> Verdict:
    """Right within the stated tolerance; else the document's number or a named mistake.

    The same tolerance decides whether the answer equals a mistake's result, and a mistake
    whose result is right on these numbers is never named.
    """
    params = q.params(student) if q.randomized else {}
    right = float(q.answer(**params))
    if _near(value, right, q):
        return Verdict(True)
    what, got, want = yours(), fmt(float(value)), fmt(right)
    if q.printed and _near(value, q.printed(), q, rtol=max(q.rtol, 5e-3)):
        return Verdict(False, t("msg.erratum", what=what, got=got, expected=want), ERRATUM,
                       q.erratum)
    mistake = next((m for m, f in q.mistakes.items()
                    if _near(value, f(**params), q) and not _near(f(**params), right, q)), None)
    return Verdict(False, t("msg.expected_got", what=what, expected=want, got=got), mistake)


def _near(value, target, q: Numeric, rtol: float | None = None) -> bool:
    """|value − target| ≤ rtol·|target| + atol: the tolerance the question states."""
    rtol = q.rtol if rtol is None else rtol
    return abs(float(value) - float(target)) <= rtol * abs(float(target)) + q.atol


def _formula(q: Formula, value) -> Verdict:
    points = q.points_to_compare()
    try:
        tree = formula.parse(value, q.variables)
        got = formula.evaluate(tree, points)
    except formula.FormulaError as exc:
        return Verdict(False, f"{yours()}: {t(f'quiz.formula.{exc.key}', **exc.params)}")
    if np.all(np.isfinite(got)) and _same(got, q.reference(**points)):
        return Verdict(True)
    mistake = next((m for m, f in q.mistakes.items() if _same(got, f(**points))), None)
    return Verdict(False, t("quiz.formula.wrong", what=yours()), mistake)


def _same(got, want) -> bool:
    want = np.broadcast_to(np.asarray(want, dtype=np.float64), np.shape(got))
    return bool(np.allclose(got, want, rtol=1e-9, atol=1e-12))


class InvalidInput(ValueError):
    """Typed text that is not an answer of the question's form (the reason is the message)."""


def from_typed(q, text: str):
    """The stored form of what a student typed at the prompt; InvalidInput if it has none."""
    text = text.strip()
    if isinstance(q, Choice):
        letters = [c for c in text.lower() if c not in " ,;，、"]
        if not letters or any(c not in q.letters for c in letters):
            raise InvalidInput(t("quiz.how_multi" if q.multi else "quiz.how_single",
                                 letters=", ".join(q.letters)))
        if not q.multi:
            if len(letters) != 1:
                raise InvalidInput(t("quiz.how_single", letters=", ".join(q.letters)))
            return letters[0]
        return sorted(set(letters))
    if isinstance(q, Numeric):
        return _number(q, text)
    try:
        formula.parse(text, q.variables)
    except formula.FormulaError as exc:
        raise InvalidInput(t(f"quiz.formula.{exc.key}", **exc.params)) from None
    return text


def _number(q: Numeric, text: str) -> float:
    """A number, or the value of an arithmetic expression without variables."""
    try:
        value = float(formula.normalize(text))
    except ValueError:
        try:
            value = float(formula.evaluate(formula.parse(text, ()), {}))
        except formula.FormulaError:
            raise InvalidInput(t("quiz.not_a_number")) from None
    if not math.isfinite(value):
        raise InvalidInput(t("quiz.formula.not_finite"))
    return value
