"""answers.toml: read and check it, write it atomically, make the blank template and keys.

The file holds an optional `student = "..."` and an `[answers]` table of
question id = answer: a letter ("b"), a list of letters (["a", "c"]), a number, or a
formula in quotes ("s*(1 - s)").  Every question is listed, the unanswered ones as
comments, so the file doubles as the list of question ids.
"""
import json
import numbers
import tomllib

from .. import i18n
from ..i18n import t
from ..output import write_atomic
from .bank import QUESTIONS, BY_ID
from .model import Choice, Numeric

FILE_NAME = "answers.toml"
MAX_BYTES = 1 << 20          # a full answers file is about 6 kB


class AnswersError(Exception):
    """The answers file has problems: one message per problem.

    Attributes:
        unreadable: the file could not be read at all (missing, not UTF-8, not TOML).
    """

    def __init__(self, problems: list[str], unreadable: bool = False):
        super().__init__("\n".join(problems))
        self.problems, self.unreadable = problems, unreadable


def load(path: str) -> dict:
    """The parsed TOML document; AnswersError(unreadable=True) if it cannot be read."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise AnswersError([t("quiz.msg.no_answers_file", path=path)], True) from None
    except OSError as exc:
        raise AnswersError([t("quiz.msg.unreadable", path=path, error=exc.strerror or exc)],
                           True) from None
    if len(data) > MAX_BYTES:
        raise AnswersError([t("quiz.msg.too_large", path=path, limit=MAX_BYTES // 1024)], True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError([t("quiz.msg.not_utf8", path=path)], True) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnswersError([t("quiz.msg.bad_toml", path=path, error=exc)], True) from None


def read(path: str) -> tuple[dict, str | None]:
    """({question id: answer}, the student named in the file); AnswersError on any problem."""
    doc = load(path)
    problems = []
    for key in doc:
        if key not in ("student", "answers"):
            problems.append(t("quiz.msg.unknown_top", path=path, name=key))
    student = doc.get("student")
    if student is not None and not isinstance(student, str):
        problems.append(t("quiz.msg.student_type", path=path))
        student = None
    table = doc.get("answers", {})
    if not isinstance(table, dict):
        problems.append(t("quiz.msg.not_table", path=path))
        table = {}
    answers = {}
    for qid, raw in table.items():
        if qid not in BY_ID:
            problems.append(t("quiz.msg.unknown_id", path=path, id=qid))
            continue
        try:
            value = coerce(BY_ID[qid], raw, path)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if value is not None:
            answers[qid] = value
    if problems:
        raise AnswersError(problems)
    return answers, student


def _kind(q) -> str:
    if isinstance(q, Choice):
        return t("quiz.kind.multi" if q.multi else "quiz.kind.single")
    return t("quiz.kind.numeric" if isinstance(q, Numeric) else "quiz.kind.formula")


def _shown(raw) -> str:
    text = json.dumps(raw, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def coerce(q, raw, path: str):
    """The stored form of a raw TOML value, None for a blank answer; ValueError if mistyped."""
    def wrong():
        return ValueError(t("quiz.msg.wrong_type", path=path, id=q.id, kind=_kind(q),
                            got=_shown(raw)))
    if isinstance(q, Numeric):
        if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
            raise wrong()
        return float(raw)
    if not isinstance(q, Choice):
        if not isinstance(raw, str):
            raise wrong()
        return raw.strip() or None
    if q.multi:
        if isinstance(raw, str):
            raw = [c for c in raw if c not in " ,;"]
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
            raise wrong()
        letters = [c.strip().lower() for c in raw if c.strip()]
    else:
        if not isinstance(raw, str):
            raise wrong()
        letters = [raw.strip().lower()] if raw.strip() else []
        if letters and len(letters[0]) != 1:
            raise ValueError(t("quiz.msg.one_letter", path=path, id=q.id, got=raw))
    for c in letters:
        if c not in q.letters:
            raise ValueError(t("quiz.msg.bad_letter", path=path, id=q.id, letter=c,
                               letters=", ".join(q.letters)))
    if not letters:
        return None
    return sorted(set(letters)) if q.multi else letters[0]


def toml_value(value) -> str:
    """A TOML literal for a stored answer (a string, a list of strings or a number)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(float(value)) if isinstance(value, float) else str(value)


def dumps(answers: dict, student: str | None) -> str:
    """The whole file: header, student, then every question in bank order."""
    lines = [i18n.lookup("quiz.template_header", "en"), i18n.lookup("quiz.template_header", "zh"),
             ""]
    lines.append(f"student = {toml_value(student)}" if student else '# student = "your-id"')
    lines += ["", "[answers]"]
    for q in QUESTIONS:
        lines.append(f"# {_describe(q)}")
        if q.id in answers:
            lines.append(f"{q.id} = {toml_value(answers[q.id])}")
        else:
            lines.append(f"# {q.id} =")
    return "\n".join(lines) + "\n"


def _describe(q) -> str:
    """One comment line: the question's title in both languages and the form of its answer."""
    titles = " / ".join(i18n.lookup(f"quiz.q.{q.id}.title", lang) for lang in i18n.LANGUAGES)
    kinds = " / ".join(_kind_in(q, lang) for lang in i18n.LANGUAGES)
    return f"{titles}: {kinds}"


def _kind_in(q, lang: str) -> str:
    saved = i18n.current()
    i18n.use(lang)
    try:
        kind = _kind(q)
        return f"{kind} ({t('quiz.randomized_note')})" if q.randomized else kind
    finally:
        i18n.use(saved)


def template() -> str:
    """The blank answers file that `mlgrade init` writes: it grades 0."""
    return dumps({}, None)


def key(student: str) -> str:
    """The answer key of one student, as an answers file that grades full."""
    return dumps({q.id: q.key(student) for q in QUESTIONS}, student)


def save(path: str, answers: dict, student: str | None) -> None:
    """Write the file atomically: the old file stays whole until the new one replaces it."""
    write_atomic(path, dumps(answers, student))


