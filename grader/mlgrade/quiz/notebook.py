"""The quiz in a notebook: show a question with the student's own numbers, grade one answer.

In the exported quiz notebook a student sets `STUDENT = "..."` once; each question then
has a cell that shows it (`show`), an answer cell that assigns the question's id
(`d000_forward = 5.6`, `d004_digits = "c"`, `d001_fixed_step = ["a", "b"]`,
`d003_sigmoid_grad_s = "s*(1 - s)"`) and an autograded cell (`grade_answer`) that passes
or fails with the same message and diagnosis as `mlgrade quiz grade`.
"""
import contextlib
import hashlib

from .. import i18n
from ..i18n import t
from . import answers
from .bank import BY_ID, QUESTIONS
from .judge import judge, title
from .model import Choice
from .session import how_to_answer, t_list

PLACEHOLDER = "your-id"
SCHEMA_VERSION = 3          # of nbgrader's cell metadata


class AnswerFailed(AssertionError):
    """A wrong or missing answer in a test cell; Jupyter shows its lines, not a traceback."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines

    def _render_traceback_(self) -> list[str]:   # IPython's hook for custom tracebacks
        return self.lines


@contextlib.contextmanager
def language(lang: str | None):
    """Texts in `lang` (the notebook's) for the duration, whatever the kernel's locale."""
    saved = i18n.current()
    i18n.use(lang or saved)
    try:
        yield
    finally:
        i18n.use(saved)


def question(qid: str, student: str) -> str:
    """The question as the terminal quiz shows it, with `student`'s numbers."""
    q = BY_ID[qid]
    lines = [f"[{qid}] {t('quiz.document', doc=q.doc)}",
             t(f"quiz.q.{qid}.text", **q.params(student))]
    if isinstance(q, Choice):
        lines += [f"  {c}) {o}" for c, o in zip(q.letters, t_list(f"quiz.q.{qid}.options"),
                                                strict=True)]
    lines.append(how_to_answer(q))
    return "\n".join(lines)


def show(qid: str, student: str, lang: str | None = None) -> None:
    with language(lang):
        if not student or student == PLACEHOLDER:
            raise AnswerFailed([t("quiz.notebook.set_student")])
        print(question(qid, student))


def key(qid: str, student: str):
    """The right answer of `student` (the source notebook's solution cells use it)."""
    return BY_ID[qid].key(student)


def grade_answer(qid: str, student: str, namespace: dict, lang: str | None = None) -> None:
    """Pass (printing the verdict) or raise AnswerFailed with the reason."""
    with language(lang):
        if not student or student == PLACEHOLDER:
            raise AnswerFailed([t("quiz.notebook.set_student")])
        _grade(BY_ID[qid], student, namespace)


def _grade(q, student: str, namespace: dict) -> None:
    qid = q.id
    raw = namespace.get(qid)
    try:
        value = None if raw is None else answers.coerce(q, raw, "notebook")
    except ValueError as exc:
        raise AnswerFailed([str(exc)]) from None
    if value is None:
        raise AnswerFailed([t("quiz.not_answered")])
    verdict = judge(q, value, student)
    if verdict.correct:
        print(t("quiz.correct"))
        return
    lines = [t("quiz.wrong", message=verdict.message)]
    diagnosis = verdict.diagnosis()
    if diagnosis:
        lines.append(t("report.diagnosis", id=diagnosis["id"], text=diagnosis["message"]))
    raise AnswerFailed(lines)


# ---- the notebook of the nbgrader export ----------------------------------------------

def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = int(points) if float(points).is_integer() else float(points)
    return {"nbgrader": meta}


def _cell(kind: str, source: str, grade_id: str, **meta):
    import nbformat

    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source, metadata=_meta(grade_id, **meta) if meta else {})
    cell.id = grade_id if len(grade_id) <= 64 else hashlib.sha256(grade_id.encode()).hexdigest()
    return cell


def answer_source(q, lang: str) -> str:
    """The answer cell: how to answer, then the solution region (the key)."""
    with language(lang):
        how = how_to_answer(q)
    if q.randomized:
        solution = ["from mlgrade.quiz.notebook import key", f'{q.id} = key("{q.id}", STUDENT)']
    else:
        solution = [f"{q.id} = {answers.toml_value(q.key(''))}"]
    return "\n".join([f"# {how}", "### BEGIN SOLUTION", *solution, "### END SOLUTION"])


def build(lang: str):
    """The quiz as an nbgrader source notebook: per question, its text, a cell that shows
    the student's numbers, an answer cell and an autograded test cell worth its points."""
    import nbformat

    with language(lang):
        intro = t("quiz.notebook.intro", placeholder=PLACEHOLDER)
    cells = [_cell("markdown", intro, "quiz-intro", locked=True),
             _cell("code", f'STUDENT = "{PLACEHOLDER}"', "quiz-student")]
    call = f'"{lang}"'
    for number, q in enumerate(QUESTIONS, 1):
        with language(lang):
            head = f"### {number}. {title(q)}"
        cells += [
            _cell("markdown", head, f"quiz-{q.id}-title", locked=True),
            _cell("code", f'from mlgrade.quiz.notebook import show\nshow("{q.id}", STUDENT, '
                          f'{call})', f"quiz-{q.id}-show", locked=True),
            _cell("code", answer_source(q, lang), f"quiz-{q.id}-answer", solution=True),
            _cell("code", "from mlgrade.quiz.notebook import grade_answer\n"
                          f'grade_answer("{q.id}", STUDENT, globals(), {call})', f"quiz-{q.id}",
                  grade=True, locked=True, points=q.points),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"},
                   "language_info": {"name": "python"}, "mlgrade": {"exercise": "quiz"}}
    nbformat.validate(nb)
    return nb
