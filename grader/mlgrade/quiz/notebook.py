"""The quiz in a notebook: show a question with the student's own numbers, grade one answer.

In the exported quiz notebook a student sets `STUDENT = "..."` once; each question then
has a cell that shows it (`show`), an answer cell that assigns the question's id
(`d000_forward = 5.6`, `d004_digits = "c"`, `d001_fixed_step = ["a", "b"]`,
`d003_sigmoid_grad_s = "s*(1 - s)"`) and an autograded cell (`grade_answer`) that passes
or fails with the same message and diagnosis as `mlgrade quiz grade`.
"""
from ..i18n import t
from . import answers
from .bank import BY_ID
from .judge import judge
from .model import Choice
from .session import how_to_answer, t_list


class AnswerFailed(AssertionError):
    """A wrong or missing answer in a test cell; Jupyter shows its lines, not a traceback."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines

    def _render_traceback_(self) -> list[str]:   # IPython's hook for custom tracebacks
        return self.lines


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


def show(qid: str, student: str) -> None:
    print(question(qid, student))


def grade_answer(qid: str, student: str, namespace: dict) -> None:
    """Pass silently (printing the verdict) or raise AnswerFailed with the reason."""
    q = BY_ID[qid]
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
