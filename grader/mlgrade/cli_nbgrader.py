"""`mlgrade export nbgrader COURSE_DIR`: the exercises as an nbgrader assignment."""
import os

import click

from . import catalog, i18n
from .i18n import t
from .stubs import StubError


@click.command("nbgrader", help=t("nbgrader.help.command"))
@click.argument("course", type=click.Path(file_okay=False))
@click.option("--assignment", default="ml-basics", show_default=True,
              help=t("nbgrader.help.assignment"))
@click.option("-e", "--exercise", "exercises", multiple=True, type=click.Choice(catalog.MODULES),
              help=t("nbgrader.help.exercise"))
@click.option("--lang", type=click.Choice(i18n.LANGUAGES), help=t("nbgrader.help.lang"))
@click.option("--solutions", type=click.Path(file_okay=False), help=t("nbgrader.help.solutions"))
@click.option("--force", is_flag=True, help=t("nbgrader.help.force"))
def export_nbgrader(course, assignment, exercises, lang, solutions, force):
    from . import nbgrader

    lang = lang or i18n.detect()
    i18n.use(lang)
    if not assignment or os.sep in assignment or assignment in (".", ".."):
        raise click.BadParameter(assignment, param_hint="--assignment")
    modules = [m for m in catalog.MODULES if m in exercises] or list(catalog.MODULES)
    solutions = solutions or nbgrader.default_solutions()
    for module in modules:
        if not os.path.isfile(os.path.join(solutions, module + ".py")):
            raise click.UsageError(t("nbgrader.cli.no_solutions", path=solutions, module=module))
    try:
        paths, wrote_config = nbgrader.export(course, assignment, modules, lang, solutions, force)
    except nbgrader.ExportError as exc:
        raise click.UsageError(t("nbgrader.cli.exists", path=exc)) from None
    except (StubError, SyntaxError) as exc:
        raise click.UsageError(f"{solutions}: {exc}") from None
    except OSError as exc:
        raise click.UsageError(f"{exc.filename or course}: {exc.strerror or exc}") from None
    click.echo(t("nbgrader.cli.written", n=len(paths),
                 folder=os.path.join(course, "source", assignment)))
    config = os.path.join(course, nbgrader.CONFIG)
    click.echo(t("nbgrader.cli.config_written" if wrote_config else "nbgrader.cli.config_kept",
                 path=config))
    if not nbgrader.installed():
        click.echo(t("nbgrader.cli.not_installed"))
    click.echo(t("nbgrader.cli.next", course=course, assignment=assignment))
