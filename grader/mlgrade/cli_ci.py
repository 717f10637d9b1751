"""Commands for CI and courses: convert, ci-template, class-report, export gradescope."""
import json
import os

import click

from .cli import MlgradeError, emit, lang_option
from .i18n import t

CI_FORMATS = ("junit", "gradescope")
TEMPLATES = {"github": "github.yml", "gitlab": "gitlab.yml"}


def render(data: dict, fmt: str) -> str:
    """A JSON report (report.to_dict) as JUnit XML or Gradescope's results.json."""
    from . import formats

    return formats.render(data, fmt)


def load_report(path: str) -> dict:
    """A JSON report written by `mlgrade check --format json`; UsageError if it is not one."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.UsageError(t("ci.not_a_report", path=path, error=exc)) from None
    from .formats import is_report

    if not is_report(data):
        raise click.UsageError(t("ci.not_a_report", path=path, error=t("ci.bad_shape")))
    return data


@click.command("convert", help=t("ci.help.convert"))
@click.argument("report_file", metavar="REPORT", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", *CI_FORMATS]), required=True,
              help=t("ci.help.format"))
@click.option("--output", type=click.Path(dir_okay=False), help=t("cli.help.output"))
@lang_option
def convert(report_file, fmt, output):
    data = load_report(report_file)
    if fmt == "text":
        from . import formats, i18n, report
        i18n.use(data.get("lang", i18n.current()))
        emit(report.render_text(formats.to_report(data)), output)
    else:
        emit(render(data, fmt), output)


@click.command("ci-template", help=t("ci.help.ci_template"))
@click.argument("system", type=click.Choice(sorted(TEMPLATES)))
@click.option("--min-score", type=click.FloatRange(0, 100), default=100, show_default=True,
              metavar="PERCENT",
              help=t("ci.help.template_min_score"))
@click.option("-e", "--exercise", "exercises", multiple=True, help=t("cli.help.exercise"))
@click.option("--install", help=t("ci.help.install"))
@lang_option
def ci_template(system, min_score, exercises, install):
    from importlib import resources

    from . import __version__, catalog

    unknown = sorted(set(exercises) - set(catalog.MODULES))
    if unknown:
        raise click.UsageError(t("ci.gs.unknown", ids=", ".join(unknown)))
    text = resources.files("mlgrade").joinpath("templates", TEMPLATES[system]).read_text("utf-8")
    text = (text.replace("@INSTALL@", install or f"mlgrade=={__version__}")
            .replace("@MIN_SCORE@", f"{min_score:g}")
            .replace("@EXERCISES@", "".join(f"-e {m} " for m in exercises)))
    click.echo(text, nl=False)


@click.command("class-report", help=t("ci.help.class_report"))
@click.argument("reports_dir", metavar="REPORTS_DIR", type=click.Path(file_okay=False))
@click.option("--output", type=click.Path(dir_okay=False), help=t("ci.help.class_output"))
@click.option("--format", "fmt", type=click.Choice(["html", "json", "md"]), default=None,
              help=t("ci.help.class_format"))
@lang_option
def class_report(reports_dir, output, fmt):
    from . import classreport

    fmt = fmt or _format_of(output)
    try:
        summary = classreport.summarize(*classreport.load(reports_dir))
    except classreport.ClassReportError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        emit(classreport.render_json(summary), output)
    elif fmt == "md":
        emit(classreport.render_md(summary), output)
    else:
        from .classhtml import NoMatplotlib, render_html
        try:
            page, notes = render_html(summary)
        except NoMatplotlib as exc:
            raise click.UsageError(str(exc)) from None
        for note in notes:
            click.echo(note, err=True)
        emit(page, output)
    if output:
        click.echo(t("cli.plot_written", path=output), err=True)


def _format_of(output: str | None) -> str:
    """The format named by the output file's extension: .json, .md, else html."""
    ext = os.path.splitext(output or "")[1].lower()
    return {".json": "json", ".md": "md"}.get(ext, "html")


@click.command("gradescope", help=t("ci.help.gradescope"))
@click.argument("zip_path", metavar="ZIP", type=click.Path(dir_okay=False))
@click.option("-e", "--exercise", "exercises", multiple=True, help=t("cli.help.exercise"))
@click.option("--checks", "checks_dirs", multiple=True, type=click.Path(exists=True),
              help=t("ci.help.export_checks"))
@click.option("--visibility", type=click.Choice(["visible", "hidden", "after_due_date",
                                                  "after_published"]),
              default="visible", show_default=True, help=t("ci.help.visibility"))
@lang_option
def export_gradescope(zip_path, exercises, checks_dirs, visibility):
    from . import catalog, gradescope, i18n

    unknown = sorted(set(exercises) - set(catalog.MODULES))
    if unknown:
        raise click.UsageError(t("ci.gs.unknown", ids=", ".join(unknown)))
    try:
        names = gradescope.write_zip(zip_path, list(exercises), i18n.current(),
                                     list(checks_dirs), visibility)
    except OSError as exc:
        raise MlgradeError(t("ci.gs.cannot_write", path=zip_path, error=exc.strerror or exc)) \
            from None
    click.echo(t("ci.gs.written", path=zip_path, files=", ".join(names),
                 n=len(exercises) or len(catalog.MODULES)))
