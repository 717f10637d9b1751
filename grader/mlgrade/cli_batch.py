"""`mlgrade grade` (a whole class) and `mlgrade merge` (the gradebooks of shards).

Heavy modules (pytest, the catalog's checks) are imported by the grading processes only.
"""
import os
import signal
import sys
import time

import click

from . import catalog, i18n
from .cli import MlgradeError as InternalError
from .cli import lang_option
from .i18n import t
from .outcomes import ExitCode
from .sandbox import Limits

INTERRUPTED = 130


def parse_shard(ctx, param, value) -> tuple[int, int]:
    """`K/N` with 1 ≤ K ≤ N, as (K, N)."""
    if value is None:
        return (1, 1)
    try:
        k, n = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter(t("batch.bad_shard", value=value)) from None
    if not 1 <= k <= n:
        raise click.BadParameter(t("batch.bad_shard", value=value))
    return (k, n)


@click.command("grade", help=t("batch.help.grade"))
@click.argument("submissions", type=click.Path(exists=True, file_okay=False))
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help=t("batch.help.output"))
@click.option("--reports", type=click.Path(file_okay=False), help=t("batch.help.reports"))
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=os.cpu_count() or 1,
              show_default=True, help=t("batch.help.jobs"))
@click.option("--resume", is_flag=True, help=t("batch.help.resume"))
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True,
              help=t("batch.help.seed"))
@click.option("--shard", callback=parse_shard, metavar="K/N", help=t("batch.help.shard"))
@click.option("-e", "--exercise", "exercises", multiple=True, type=click.Choice(catalog.MODULES),
              help=t("cli.help.exercise"))
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=Limits.timeout,
              show_default=True, help=t("cli.help.timeout"))
@click.option("--memory-mb", type=click.IntRange(64, 1 << 20), default=Limits.memory_mb,
              show_default=True, help=t("cli.help.memory_mb"))
@click.option("--student-timeout", type=click.FloatRange(1, 24 * 3600), metavar="SECONDS",
              help=t("session.help.student_timeout"))
@click.option("--isolation", type=click.Choice(["sandbox", "process"]), default="sandbox",
              show_default=True, help=t("batch.help.isolation"))
@click.option("--checks", "checks_dirs", multiple=True, type=click.Path(exists=True),
              help=t("cli.help.checks"))
@click.option("--assignment", help=t("nbgrader.help.grade_assignment"))
@click.option("--report-format", "report_formats", multiple=True,
              type=click.Choice(["junit", "gradescope"]), help=t("ci.help.report_format"))
@lang_option
@click.pass_context
def grade(ctx, submissions, output, reports, jobs, resume, seed, shard, exercises, timeout,
          memory_mb, student_timeout, isolation, checks_dirs, assignment, report_formats):
    from . import batch, notebooks, sandbox

    if resume and not reports:
        raise click.UsageError(t("batch.resume_needs_reports"))
    if report_formats and not reports:
        raise click.UsageError(t("ci.report_format_needs_reports"))
    if not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        raise click.UsageError(t("batch.no_output_folder", path=output))
    if isolation == "sandbox" and not sandbox.sandbox_available():
        raise click.UsageError(t("batch.no_sandbox"))
    if assignment and not exercises:   # COURSE/submitted: the exercises of COURSE/source/NAME
        exercises = notebooks.course_modules(submissions, assignment)
    modules = tuple(m for m in catalog.MODULES if m in exercises) or catalog.MODULES
    settings = batch.Settings(modules, Limits(timeout=timeout, memory_mb=memory_mb),
                              tuple(checks_dirs), isolation, seed, i18n.current(), student_timeout)
    try:
        job = batch.Batch(submissions, settings, output, reports, jobs, resume, shard,
                          assignment, report_formats)
    except OSError as exc:
        raise InternalError(t("cli.internal_error", error=exc)) from None
    if not job.students:
        click.echo(t("batch.nobody", path=submissions), err=True)
    progress = Progress(len(job.todo))
    signal.signal(signal.SIGTERM, interrupt)     # a scheduler's stop: like Ctrl-C
    try:
        outcomes = job.run(progress.advance)
    except KeyboardInterrupt:
        progress.close()
        click.echo(t("batch.interrupted", n=len(job.rows), output=output), err=True)
        ctx.exit(INTERRUPTED)
    except batch.BatchError as exc:
        progress.close()
        raise click.UsageError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - e.g. the gradebook cannot be written
        progress.close()
        raise InternalError(t("cli.internal_error", error=f"{type(exc).__name__}: {exc}")) \
            from None
    progress.close()
    click.echo(summary(outcomes, output, reports))
    failed = any(not o.graded for o in outcomes)
    ctx.exit(ExitCode.CHECKS_FAILED if failed else ExitCode.OK)


def interrupt(signum, frame):
    raise KeyboardInterrupt


class Progress:
    """A progress bar with rate and time left, on a terminal only (not piped, not in CI)."""

    def __init__(self, total: int):
        self.started = time.monotonic()
        self.done = 0
        self.bar = None
        if total and sys.stderr.isatty() and not os.environ.get("CI"):
            self.bar = click.progressbar(length=total, label=t("batch.progress"),
                                         file=sys.stderr, show_eta=True, show_pos=True,
                                         item_show_func=lambda rate: rate)
            self.bar.__enter__()
            self.bar.render_progress()

    def advance(self, outcome) -> None:
        self.done += 1
        if self.bar is not None:
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            self.bar.update(1, t("batch.rate", rate=f"{rate:.1f}", student=outcome.student))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def summary(outcomes, output: str, reports: str | None) -> str:
    """Graded, failed to grade (with why), mean score; where the results are."""
    graded = [o for o in outcomes if o.graded]
    failed = [o for o in outcomes if not o.graded]
    resumed = sum(o.resumed for o in outcomes)
    lines = [t("batch.summary.graded", n=len(graded), total=len(outcomes), resumed=resumed)]
    if graded:
        mean = sum(o.report["score"] for o in graded) / len(graded)
        top = max(o.report["max_score"] for o in graded)
        lines.append(t("batch.summary.mean", mean=f"{mean:.4g}", max_score=f"{top:g}"))
    lines.append(t("batch.summary.failed", n=len(failed)))
    lines += [f"  {o.student}: {o.error}" for o in sorted(failed, key=lambda o: o.student)]
    lines.append(t("batch.summary.written", output=output) + (
        "; " + t("batch.summary.reports", reports=reports) if reports else ""))
    return "\n".join(lines)


@click.command("merge", help=t("batch.help.merge"))
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help=t("batch.help.merge_output"))
@click.option("--reports", type=click.Path(file_okay=False), help=t("batch.help.merge_reports"))
@lang_option
def merge(shards, output, reports):
    from . import merge as merging

    try:
        n, copied = merging.merge(list(shards), output, reports)
    except merging.MergeError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(t("batch.merged", n=n, output=output, reports=copied))
