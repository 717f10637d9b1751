"""The interactive quiz: one prompt per unanswered question, feedback at once, score at the end.

Every answer is written to the answers file (atomically) before its feedback is shown,
so Ctrl-C or a closed terminal loses nothing, and the next run asks only what is left.
"""
import click

from ..i18n import t
from ..numeric import fmt
from . import answers as answers_file
from .bank import QUESTIONS
from .formula import FUNCTIONS
from .judge import InvalidInput, from_typed, judge
from .model import Choice, Numeric

INTERRUPTED = 130      # the shell's code for a run stopped by Ctrl-C


def run(path: str, student: str) -> int:
    """Ask every unanswered question; return the exit code (0, or 130 when interrupted)."""
    answers, _ = saved(path)
    total = len(QUESTIONS)
    click.echo(t("quiz.start", student=student, n=total, answered=len(answers), path=path))
    try:
        for number, q in enumerate(QUESTIONS, 1):
            if q.id not in answers:
                _ask(q, number, total, answers, path, student)
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("")
        click.echo(t("quiz.stopped", answered=len(answers), n=total, path=path))
        return INTERRUPTED
    if len(answers) == total:
        click.echo(t("quiz.all_done", n=total))
    _score(answers, student)
    return 0


def saved(path: str) -> tuple[dict, str | None]:
    """The answers saved so far (none if the file does not exist yet)."""
    try:
        return answers_file.read(path)
    except answers_file.AnswersError as exc:
        if exc.unreadable and exc.problems == [t("quiz.msg.no_answers_file", path=path)]:
            return {}, None
        raise


def _ask(q, number: int, total: int, answers: dict, path: str, student: str) -> None:
    click.echo("")
    head = f"[{number}/{total}] {t('quiz.document', doc=q.doc)}"
    if q.randomized:
        head += f" · {t('quiz.randomized_note')}"
    click.secho(head, bold=True)
    click.echo(t(f"quiz.q.{q.id}.text", **q.params(student)))
    if isinstance(q, Choice):
        for letter, option in zip(q.letters, t_list(f"quiz.q.{q.id}.options"), strict=True):
            click.echo(f"  {letter}) {option}")
    click.echo(how_to_answer(q))
    while True:
        text = click.prompt(t("quiz.prompt"), default="", show_default=False, prompt_suffix="> ")
        if not text.strip():
            click.echo(t("quiz.skipped"))
            return
        try:
            value = from_typed(q, text)
        except InvalidInput as exc:
            click.echo(t("quiz.invalid", reason=exc))
            continue
        break
    answers[q.id] = value
    answers_file.save(path, answers, student)
    _feedback(q, value, student)


def t_list(key: str) -> list[str]:
    from .. import i18n
    try:
        return i18n.lookup(key)
    except KeyError:
        return i18n.lookup(key, "en")


def how_to_answer(q) -> str:
    if isinstance(q, Choice):
        return t("quiz.how_multi" if q.multi else "quiz.how_single",
                 letters=", ".join(q.letters))
    if isinstance(q, Numeric):
        tolerance = (t("quiz.tolerance", percent=f"{q.rtol * 100:g}") if q.rtol
                     else t("quiz.exactly"))
        return t("quiz.how_numeric", tolerance=tolerance)
    functions = ", ".join(f for f in sorted(FUNCTIONS) if f.isascii())
    return t("quiz.how_formula", variables=", ".join(q.variables), functions=functions)


def right_answer(q, student: str) -> str:
    key = q.key(student)
    if isinstance(q, Choice):
        options = t_list(f"quiz.q.{q.id}.options")
        return "; ".join(f"{c}) {options[q.letters.index(c)]}" for c in sorted(q.correct))
    return fmt(key) if isinstance(key, float) else str(key)


def _feedback(q, value, student: str) -> None:
    verdict = judge(q, value, student)
    if verdict.correct:
        click.secho(t("quiz.correct"), fg="green", bold=True)
        return
    click.secho(t("quiz.wrong", message=verdict.message), fg="red")
    diagnosis = verdict.diagnosis()
    if diagnosis:
        click.echo("  " + t("report.diagnosis", id=diagnosis["id"], text=diagnosis["message"]))
    if not isinstance(q, Numeric):
        click.echo("  " + t("quiz.right_answer", answer=right_answer(q, student)))


def _score(answers: dict, student: str) -> None:
    score = sum(q.points for q in QUESTIONS
                if q.id in answers and judge(q, answers[q.id], student).correct)
    most = sum(q.points for q in QUESTIONS)
    click.echo("")
    click.secho(t("quiz.score", score=f"{score:g}", max_score=f"{most:g}",
                  answered=len(answers), n=len(QUESTIONS)), bold=True)
