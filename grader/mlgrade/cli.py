"""The `mlgrade` command line: thin wrappers over the library.

Help texts come from the locale catalogs, in the language of MLGRADE_LANG or the
locale (click renders help before any --lang option is read).
"""
import os
import sys

import click

from . import catalog, i18n, notebooks, report
from . import output as out
from .cli_export import export
from .cli_nbgrader import export_nbgrader
from .i18n import t
from .outcomes import ExitCode
from .sandbox import Limits

i18n.use(i18n.detect())
SETTINGS = {"help_option_names": ["-h", "--help"]}


class MlgradeError(click.ClickException):
    """An error of mlgrade itself: exit code 3, never caused by a student's code."""

    exit_code = ExitCode.INTERNAL_ERROR


def set_lang(ctx, param, value):
    i18n.use(value or i18n.detect())


def lang_option(f):
    """--lang, on every command."""
    return click.option("--lang", type=click.Choice(i18n.LANGUAGES), callback=set_lang,
                        expose_value=False, is_eager=True, help=t("cli.help.lang"))(f)


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help=t("cli.help.format"))(f)


def emit(text: str, output: str | None = None) -> None:
    """The product goes to `output` (written atomically) or to stdout; exit 3 if it cannot."""
    try:
        if output:
            out.write_file(output, text)
        else:
            out.write_stdout(text)
    except out.OutputError as exc:
        raise MlgradeError(t("feedback.write_failed", path=report.escape(output or "stdout"),
                             reason=exc.args[0])) from None


@click.group(context_settings=SETTINGS, help=t("cli.help.group"))
@click.version_option(package_name="mlgrade")
def cli():
    pass


@cli.command(help=t("cli.help.init"))
@click.argument("directory", type=click.Path(file_okay=False))
@lang_option
def init(directory):
    if os.path.exists(directory) and os.listdir(directory):
        raise click.UsageError(t("cli.not_empty", directory=directory))
    from . import stubs

    os.makedirs(directory, exist_ok=True)
    for name, text in stubs.packaged().items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write(text)
    click.echo(t("cli.init_done", directory=directory, n=len(catalog.MODULES)))


@cli.command(help=t("cli.help.check"))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("-e", "--exercise", "exercises", multiple=True, type=click.Choice(catalog.MODULES),
              help=t("cli.help.exercise"))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "gradescope"]),
              default="text", show_default=True, help=t("ci.help.format"))
@click.option("--min-score", type=click.FloatRange(0, 100), metavar="PERCENT",
              help=t("ci.help.min_score"))
@click.option("--output", type=click.Path(dir_okay=False), help=t("cli.help.output"))
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help=t("cli.help.seed"))
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=Limits.timeout,
              show_default=True, help=t("cli.help.timeout"))
@click.option("--memory-mb", type=click.IntRange(64, 1 << 20), default=Limits.memory_mb,
              show_default=True, help=t("cli.help.memory_mb"))
@click.option("--isolation", type=click.Choice(["auto", "sandbox", "process"]), default="auto",
              show_default=True, help=t("cli.help.isolation"))
@click.option("--checks", "checks_dirs", multiple=True, type=click.Path(exists=True),
              help=t("cli.help.checks"))
@click.option("--color/--no-color", default=None, help=t("cli.help.color"))
@click.option("-v", "--verbose", is_flag=True, help=t("cli.help.verbose"))
@click.option("-q", "--quiet", is_flag=True, help=t("feedback.help_quiet"))
@click.option("--show-inputs", "show_inputs", metavar="CHECK_ID",
              help=t("feedback.help_show_inputs"))
@click.option("--student", help=t("quiz.help.check_student"))
@lang_option
@click.pass_context
def check(ctx, path, exercises, fmt, min_score, output, seed, timeout, memory_mb, isolation,
          checks_dirs, color, verbose, quiet, show_inputs, student):
    path = path or ("exercises" if os.path.isdir("exercises") else ".")
    if not any(os.path.exists(os.path.join(path, m + ".py")) for m in catalog.MODULES) \
            and not notebooks.notebook_modules(path):
        raise click.UsageError(t("cli.no_exercises", path=report.escape(path)))
    warm_up(path, isolation)
    exercises = exercises or notebooks.assignment_modules(path)   # an nbgrader submission
    ctx.color = False if color is None and os.environ.get("NO_COLOR") else color
    limits = Limits(timeout=timeout, memory_mb=memory_mb)
    from . import runner, zygote     # pytest: imported only by the commands that grade

    zygote.wait_started()

    if output:
        try:
            out.ensure_writable(output)
        except out.OutputError as exc:
            raise click.UsageError(t("feedback.output_unwritable", path=report.escape(output),
                                     reason=exc.args[0])) from None
    from . import replay

    try:
        if show_inputs:
            emit(replay.show_inputs(path, show_inputs, seed, limits, isolation), output)
            return
        # the CI formats are grades of record: "auto" may not fall back to process isolation
        result = runner.grade_workspace(path, list(exercises), seed, limits, list(checks_dirs),
                                        isolation, for_record=fmt in ("junit", "gradescope"))
    except (runner.IsolationError, runner.ChecksError, replay.ReplayError) as exc:
        raise click.UsageError(report.escape(str(exc))) from None
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - anything here is mlgrade's own failure
        if verbose:
            raise
        raise MlgradeError(report.escape(t("cli.internal_error",
                                           error=f"{type(exc).__name__}: {exc}"))) from None
    from .quiz.grading import for_workspace
    quiz_part = None if exercises else for_workspace(path, student)
    result.exercises += [quiz_part] if quiz_part else []
    if fmt == "json":
        emit(report.render_json(result), output)
    elif fmt in ("junit", "gradescope"):
        from .cli_ci import render
        emit(render(report.to_dict(result), fmt), output)
    else:
        emit(report.render_text(result, verbose, quiet), output)
    if min_score is not None:
        from .formats import reaches
        ctx.exit(ExitCode.OK if reaches(report.to_dict(result), min_score)
                 else ExitCode.CHECKS_FAILED)
    ctx.exit(ExitCode.OK if result.all_passed else ExitCode.CHECKS_FAILED)


def warm_up(workspace: str, isolation: str) -> None:
    """Start the warm sandbox (which also answers the sandbox probe) while the grading
    modules import, unless `python -m mlgrade` started one already (zygote.py)."""
    from . import zygote

    if isolation != "process" and not zygote.starting():
        zygote.start_early(workspace)


@cli.command(help=t("cli.help.hint"))
@click.argument("exercise", type=click.Choice(catalog.MODULES))
@click.option("--level", type=click.IntRange(1, None), default=1, show_default=True,
              help=t("cli.help.level"))
@lang_option
def hint(exercise, level):
    hints = i18n.lookup(f"hints.{exercise}")
    level = min(level, len(hints))
    click.echo(t("cli.hint_header", level=level, levels=len(hints), module=exercise,
                 title=t(f"{exercise}.title")))
    click.echo(f"  {hints[level - 1]}")
    click.echo(t("cli.hint_more", module=exercise, next=level + 1) if level < len(hints)
               else t("cli.hint_last"))


@cli.command("errata", help=t("cli.help.errata"))
@format_option
@lang_option
def errata_cmd(fmt):
    from . import errata

    table = errata.rows()
    if fmt == "json":
        emit(report.dumps({"errata": table}))
    else:
        emit(errata.render_text(table))


class PlotChoice(click.Choice):
    """The exercises `mlgrade plot` draws, read from plot.PLOTS only when asked for."""

    def __init__(self):
        super().__init__([])

    @property
    def choices(self):
        from . import plot
        return sorted(plot.PLOTS)

    @choices.setter
    def choices(self, value):
        pass


@cli.command("plot", help=t("cli.help.plot"))
@click.argument("exercise", type=PlotChoice())
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help=t("cli.help.plot_output"))
@click.option("--workspace", type=click.Path(exists=True, file_okay=False),
              help=t("cli.help.workspace"))
@lang_option
def plot_cmd(exercise, output, workspace):
    from . import plot

    workspace = workspace or ("exercises" if os.path.isdir("exercises") else ".")
    try:
        notes = plot.draw(exercise, workspace, output)
    except plot.PlotError as exc:
        raise click.UsageError(str(exc)) from None
    for note in notes:     # may quote the student's exception: escaped like the report
        click.echo(report.escape(note), err=True)
    click.echo(t("cli.plot_written", path=output))


@cli.command("stubs", help=t("cli.help.stubs"))
@click.option("--solutions", default="solutions", show_default=True,
              type=click.Path(exists=True, file_okay=False), help=t("cli.help.solutions"))
@click.option("--out", default="exercises", show_default=True, type=click.Path(file_okay=False),
              help=t("cli.help.out"))
@click.option("--check", "check_only", is_flag=True, help=t("cli.help.check_only"))
@lang_option
def stubs_cmd(solutions, out, check_only):
    from . import stubs

    if check_only:
        stale = stubs.drift(solutions, out)
        for name in stale:
            click.echo(t("cli.stubs_stale", path=os.path.join(out, name)))
        sys.exit(ExitCode.CHECKS_FAILED if stale else ExitCode.OK)
    written = stubs.write(solutions, out)
    click.echo(t("cli.stubs_written", n=len(written), out=out))


from .cli_batch import grade, merge  # noqa: E402 - the group is defined above
from .cli_ci import ci_template, class_report, convert, export_gradescope  # noqa: E402
from .cli_feedback import list_cmd  # noqa: E402 - a command of its own module

cli.add_command(grade)
cli.add_command(merge)
cli.add_command(list_cmd)
cli.add_command(export)
export.add_command(export_nbgrader)
export.add_command(export_gradescope)
cli.add_command(convert)
cli.add_command(ci_template)
cli.add_command(class_report)

from .cli_quiz import quiz  # noqa: E402  (uses the options defined above)

cli.add_command(quiz)


def main():
    cli(prog_name="mlgrade")
