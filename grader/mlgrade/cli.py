"""The `mlgrade` command line: thin wrappers over the library."""
import os
import sys
import tempfile

import click

from . import catalog, i18n, report, runner, stubs
from .outcomes import ExitCode
from .sandbox import Limits


class MlgradeError(click.ClickException):
    """An error of mlgrade itself: exit code 3, never caused by a student's code."""

    exit_code = ExitCode.INTERNAL_ERROR


def set_lang(ctx, param, value):
    i18n.use(value or i18n.detect())
    return i18n.current()


def common(f):
    """--lang on every command."""
    return click.option("--lang", type=click.Choice(i18n.LANGUAGES), callback=set_lang,
                        expose_value=False, is_eager=True,
                        help="Language of the output (default: MLGRADE_LANG, else the locale).")(f)


def default_workspace() -> str:
    return "exercises" if os.path.isdir("exercises") else "."


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".mlgrade-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.replace(tmp, path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlgrade")
def cli():
    """Auto-graded numpy exercises on the basics of neural networks.

    \b
    Students:     mlgrade init my-work && mlgrade check my-work
    Instructors:  mlgrade check SUBMISSION --format json --output report.json
    """


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@common
def init(directory):
    """Create a new workspace DIRECTORY holding the exercise stubs.

    \b
    Example:  mlgrade init my-work
    """
    if os.path.exists(directory) and os.listdir(directory):
        raise click.UsageError(f"{directory} exists and is not empty")
    os.makedirs(directory, exist_ok=True)
    for name, text in stubs.packaged().items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write(text)
    click.echo(f"{directory}: {len(catalog.MODULES)} exercises; next: mlgrade check {directory}")


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("-e", "--exercise", "exercises", multiple=True, type=click.Choice(catalog.MODULES),
              help="Grade only this exercise (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1),
              help="Seed of the randomized checks (default: random, printed in the report).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=Limits.timeout,
              show_default=True, help="Wall-clock seconds for all calls of one exercise; "
              "past it the worker is killed and the exercise's remaining checks fail.")
@click.option("--memory-mb", type=click.IntRange(64, 1 << 20), default=Limits.memory_mb,
              show_default=True, help="Address-space cap of each worker process; beyond it "
              "a check fails with \"memory limit exceeded\".")
@click.option("--isolation", type=click.Choice(["auto", "sandbox", "process"]), default="auto",
              show_default=True, help="sandbox: bubblewrap namespaces (Linux); process: "
              "resource limits and a process group only; auto: the sandbox where available.")
@click.option("--checks", "checks_dirs", multiple=True, type=click.Path(exists=True),
              help="A directory or file of extra pytest checks (repeatable).")
@click.option("--color/--no-color", default=None, help="Force colours on or off.")
@click.option("-v", "--verbose", is_flag=True, help="Show the student's traceback frames.")
@common
@click.pass_context
def check(ctx, path, exercises, fmt, output, seed, timeout, memory_mb, isolation, checks_dirs,
          color, verbose):
    """Grade a workspace: every check of every exercise, or those of -e.

    PATH is a workspace directory (default: ./exercises if it exists, else .).
    Student code runs only in worker processes, one per exercise, with limits:
    --timeout, --memory-mb, 64 open files, 64 processes, files of 16 MB.

    \b
    Exit codes: 0 all passed, 1 some check failed, 2 usage error, 3 internal error.
    Example:  mlgrade check my-work -e ex05_sigmoid --seed 42
    """
    path = path or default_workspace()
    if not any(os.path.exists(os.path.join(path, m + ".py")) for m in catalog.MODULES):
        raise click.UsageError(f"{path} holds none of the exercise files (ex01_forward.py …)")
    ctx.color = False if color is None and os.environ.get("NO_COLOR") else color
    limits = Limits(timeout=timeout, memory_mb=memory_mb)
    try:
        result = runner.grade_workspace(path, list(exercises), seed, limits, list(checks_dirs),
                                        isolation)
    except runner.IsolationError as exc:
        raise click.UsageError(str(exc)) from None
    except runner.ChecksError as exc:
        raise click.UsageError(f"--checks: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - anything here is mlgrade's own failure
        if verbose:
            raise
        raise MlgradeError(f"internal error: {type(exc).__name__}: {exc}") from None
    text = report.render_json(result) if fmt == "json" else report.render_text(result, verbose)
    if output:
        write_atomically(output, click.unstyle(text))
    else:
        click.echo(text, color=False if fmt == "json" else ctx.color)
    ctx.exit(ExitCode.OK if result.all_passed else ExitCode.CHECKS_FAILED)


@cli.command("stubs")
@click.option("--solutions", default="solutions", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="The reference workspace.")
@click.option("--out", default="exercises", show_default=True, type=click.Path(file_okay=False),
              help="Where the stubs go.")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if the stubs are out of date.")
@common
def stubs_cmd(solutions, out, check_only):
    """Regenerate the student stubs from the reference solutions (maintainers).

    \b
    Example:  mlgrade stubs --check
    """
    if check_only:
        stale = stubs.drift(solutions, out)
        for name in stale:
            click.echo(f"out of date: {os.path.join(out, name)}")
        sys.exit(ExitCode.CHECKS_FAILED if stale else ExitCode.OK)
    written = stubs.write(solutions, out)
    click.echo(f"wrote {len(written)} stubs to {out}")


def main():
    cli(prog_name="mlgrade")


