"""Grade a student's answers into the report of `mlgrade check`: the quiz is exercise `quiz`."""
import os

from .. import i18n
from ..i18n import t
from ..outcomes import Status
from ..results import CheckResult, ExerciseResult, Report
from . import answers as answers_file
from .bank import QUESTIONS
from .judge import judge, title
from .model import student_seed

EXERCISE_ID = "quiz"


def max_points() -> float:
    return sum(q.points for q in QUESTIONS)


def exercise_title(student: str, from_folder: bool = False) -> str:
    source = t("quiz.source_folder") if from_folder else t("quiz.source_option")
    return t("quiz.title", student=student, source=source)


def grade(answers: dict, student: str, from_folder: bool = False) -> ExerciseResult:
    """One CheckResult per question, in bank order; a blank answer is not attempted."""
    result = ExerciseResult(EXERCISE_ID, exercise_title(student, from_folder))
    for q in QUESTIONS:
        # no student function is tested: function "" (the report then groups unanswered
        # questions as one line, not as functions "not implemented")
        check = CheckResult(f"{EXERCISE_ID}.{q.id}", title(q), EXERCISE_ID, "",
                            "random" if q.randomized else "fixed", Status.NOT_ATTEMPTED, 0.0,
                            q.points)
        if q.id not in answers:
            check.message = t("quiz.not_answered")
        else:
            verdict = judge(q, answers[q.id], student)
            check.status = Status.PASSED if verdict.correct else Status.FAILED
            check.points = q.points if verdict.correct else 0.0
            check.message, check.diagnosis = verdict.message, verdict.diagnosis()
        result.checks.append(check)
    return result


def report(answers: dict, student: str, path: str) -> Report:
    """The report of `mlgrade quiz grade`, with the schema of `mlgrade check`."""
    return Report(path, student_seed(student), "none", i18n.current(), [grade(answers, student)])


def problems_result(problems: list[str], student: str, from_folder: bool) -> ExerciseResult:
    """The quiz as one error when its answers file has problems (inside `mlgrade check`)."""
    check = CheckResult(f"{EXERCISE_ID}.answers_file", t("quiz.check_title"), EXERCISE_ID,
                        "", "fixed", Status.ERROR, 0.0, max_points(),
                        message="; ".join(problems))
    return ExerciseResult(EXERCISE_ID, exercise_title(student, from_folder), [check])


def for_workspace(workspace: str, student: str | None = None) -> ExerciseResult | None:
    """The quiz of a workspace that holds answers.toml (None if it holds none).

    The student id is `student`, else the workspace folder's name (the title says so).
    """
    path = os.path.join(workspace, answers_file.FILE_NAME)
    if not os.path.isfile(path):
        return None
    from_folder = not student
    student = student or os.path.basename(os.path.abspath(workspace))
    try:
        answers, _ = answers_file.read(path)
    except answers_file.AnswersError as exc:
        return problems_result(exc.problems, student, from_folder)
    return grade(answers, student, from_folder)
