"""`mlgrade quiz take|grade|key`: the quiz from the command line (thin; logic in mlgrade.quiz)."""
import sys

import click

import importlib.util

from .cli import SETTINGS, emit, lang_option
from .i18n import t
from .output import write_atomic
from .outcomes import ExitCode

# the CI formats where the package has them (mlgrade.cli_ci renders a report's dict)
CI_FORMATS = ["junit", "gradescope"] if importlib.util.find_spec("mlgrade.cli_ci") else []


def student_option(required: bool):
    return click.option("--student", required=required, help=t("quiz.help.student"))


@click.group("quiz", context_settings=SETTINGS, help=t("quiz.help.group"))
def quiz():
    pass


@quiz.command("take", help=t("quiz.help.take"))
@student_option(required=False)
@click.option("--answers", "path", default="answers.toml", show_default=True,
              type=click.Path(dir_okay=False), help=t("quiz.help.answers"))
@lang_option
@click.pass_context
def take(ctx, student, path):
    from .quiz import answers, session

    try:
        _, saved_for = session.saved(path)
    except answers.AnswersError as exc:
        fail(exc.problems)
    student = (student or saved_for or "").strip()
    if not student:
        raise click.UsageError(t("quiz.no_student"))
    if saved_for and saved_for != student:
        raise click.UsageError(t("quiz.msg.other_student_take", path=path, file=saved_for))
    ctx.exit(session.run(path, student))


@quiz.command("grade", help=t("quiz.help.grade"))
@click.argument("path", metavar="ANSWERS", type=click.Path(dir_okay=False))
@student_option(required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", *CI_FORMATS]), default="text",
              show_default=True, help=t("cli.help.format"))
@click.option("--output", type=click.Path(dir_okay=False), help=t("cli.help.output"))
@lang_option
@click.pass_context
def grade(ctx, path, student, fmt, output):
    from . import report as render
    from .quiz import answers, grading

    try:
        given, saved_for = answers.read(path)
    except answers.AnswersError as exc:
        fail(exc.problems)
    if saved_for and saved_for != student:
        click.echo(t("quiz.msg.other_student", path=path, file=saved_for, student=student),
                   err=True)
    result = grading.report(given, student.strip(), path)
    if fmt == "json":
        emit(render.render_json(result), output)
    elif fmt in CI_FORMATS:
        from .cli_ci import render as render_ci
        emit(render_ci(render.to_dict(result), fmt), output)
    else:
        emit(render.render_text(result, replay=""), output)  # no `mlgrade check` to replay
    ctx.exit(ExitCode.OK if result.all_passed else ExitCode.CHECKS_FAILED)


@quiz.command("key", help=t("quiz.help.key"))
@student_option(required=True)
@click.option("--output", type=click.Path(dir_okay=False), help=t("quiz.help.key_output"))
@lang_option
def key(student, output):
    from .quiz import answers

    text = answers.key(student.strip())
    if output:
        write_atomic(output, text)
        click.echo(t("quiz.key_written", student=student, path=output), err=True)
    else:
        click.echo(text, nl=False)


def fail(problems: list[str]):
    """One line per problem on stderr, then exit 2."""
    for line in problems:
        click.echo(line, err=True)
    sys.exit(ExitCode.USAGE_ERROR)
