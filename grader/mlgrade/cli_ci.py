"""Commands for CI and courses: convert, ci-template, class-report, export gradescope."""
import json
import os

import click

from .cli import emit, lang_option
from .i18n import t

CI_FORMATS = ("junit", "gradescope")


def render(data: dict, fmt: str) -> str:
    """A JSON report (report.to_dict) as JUnit XML or Gradescope's results.json."""
    from . import formats, report

    if fmt == "junit":
        return formats.junit(data)
    return report.dumps(formats.gradescope(data))


def load_report(path: str) -> dict:
    """A JSON report written by `mlgrade check --format json`; UsageError if it is not one."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.UsageError(t("ci.not_a_report", path=path, error=exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        raise click.UsageError(t("ci.not_a_report", path=path, error=t("ci.no_exercises")))
    return data


@click.command("convert", help=t("ci.help.convert"))
@click.argument("report_file", metavar="REPORT", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(CI_FORMATS), required=True,
              help=t("ci.help.format"))
@click.option("--output", type=click.Path(dir_okay=False), help=t("cli.help.output"))
@lang_option
def convert(report_file, fmt, output):
    emit(render(load_report(report_file), fmt), output)


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
@lang_option
def export_gradescope(zip_path, exercises):
    from . import catalog, gradescope, i18n

    unknown = sorted(set(exercises) - set(catalog.MODULES))
    if unknown:
        raise click.UsageError(t("ci.gs.unknown", ids=", ".join(unknown)))
    names = gradescope.write_zip(zip_path, list(exercises), i18n.current())
    click.echo(t("ci.gs.written", path=zip_path, files=", ".join(names),
                 n=len(exercises) or len(catalog.MODULES)))
