"""Render a `Report` as text for a terminal or as JSON for machines.

Student-controlled text (exception messages, printed output, tracebacks, paths) is
escaped in the text report, so that it can neither draw report lines of its own
(newlines, carriage returns, ANSI sequences) nor crash the writer (lone surrogates).
"""
import json
import math
import re
import shlex
import unicodedata

import click
import numpy as np

from . import __version__, catalog
from .i18n import t
from .outcomes import Status
from .results import CheckResult, ExerciseResult, Report

SCHEMA_VERSION = 1
COLOURS = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "red",
           Status.NOT_ATTEMPTED: "yellow"}


def to_dict(report: Report) -> dict:
    """The JSON report: score, max_score, seed, exercises[].checks[] and more."""
    statuses = [c.status for e in report.exercises for c in e.checks]
    return {
        "schema_version": SCHEMA_VERSION, "mlgrade_version": __version__,
        "workspace": report.workspace, "seed": report.seed, "isolation": report.isolation,
        "isolation_does_not_protect": report.unprotected, "limits": report.limits,
        "lang": report.lang, "score": report.score, "max_score": report.max_score,
        "summary": {s.value: statuses.count(s) for s in Status},
        "exercises": [{"id": e.id, "title": e.title, "score": e.score,
                       "max_score": e.max_score, "seconds": round(e.seconds, 3),
                       "checks": [_check(c) for c in e.checks]}
                      for e in report.exercises],
    }


def _check(c: CheckResult) -> dict:
    return {"id": c.id, "name": c.name, "function": c.function, "kind": c.kind,
            "passed": c.passed, "status": c.status.value, "points": c.points,
            "max_points": c.max_points, "message": c.message, "diagnosis": c.diagnosis,
            "call": c.call or None, "call_exact": c.call_exact if c.call else None,
            "output": c.output or None}


def render_json(report: Report) -> str:
    return dumps(to_dict(report))


SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data: dict) -> str:
    """One JSON document: UTF-8 text, never nan; lone surrogates as JSON escapes."""
    text = json.dumps(_finite(data), ensure_ascii=False, indent=1, allow_nan=False)
    # a surrogate can only occur inside a JSON string, where \udXXX reads back as itself
    return SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _finite(value):
    """Replace nan and inf (never produced by us, but cheap to guard) by strings."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# Control characters, format characters (bidi overrides), surrogates, line separators.
UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def escape(text: str | None, keep_newlines: bool = False) -> str:
    """`text` with every unsafe character shown as a visible escape, e.g. \\x1b, \\n."""
    if not text:
        return ""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) in UNSAFE:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                       if ord(ch) < 0xD800 or ord(ch) > 0xDFFF else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def escaped_lines(text: str | None) -> list[str]:
    """The lines of a student's multi-line text, each escaped."""
    return escape(text, keep_newlines=True).splitlines()


def shell_path(path: str) -> str:
    """A path for a command line to copy: quoted for the shell, escaped if unprintable."""
    return escape(shlex.quote(path))


def render_text(report: Report, verbose: bool = False, quiet: bool = False,
                replay: str | None = None) -> str:
    """One line per exercise, then its failures: each failing check with its reason,
    one line per function not attempted yet.  `quiet`: the first failure only.

    `replay`: the line that replays a failing run, when it is not `mlgrade check …`
    (a notebook's `check(…)`; "" for none, e.g. a quiz)."""
    lines = []
    width = max((len(e.id) for e in report.exercises), default=10)
    for e in report.exercises:
        lines.append(_exercise_line(e, width))
        failures = _failures(e, report, verbose)
        if quiet:
            lines.extend(failures[0][:1] if failures else [])
            continue
        lines.extend(line for failure in failures for line in failure)
        if e.id in catalog.MODULES and any(c.status in (Status.FAILED, Status.ERROR)
                                           for c in e.checks):
            lines.append("       " + t("cli.hint_available", module=e.id))
    lines.append("")
    lines.append(t("report.total", score=_num(report.score), max_score=_num(report.max_score),
                   seed=report.seed))
    if not report.all_passed and replay is None:
        graded = [e.id for e in report.exercises if e.id in catalog.MODULES]
        only = "" if set(graded) >= set(catalog.MODULES) else "".join(f" -e {m}" for m in graded)
        lines.append(t("report.replay", workspace=shell_path(report.workspace) + only,
                       seed=report.seed))
    elif not report.all_passed and replay:
        lines.append(replay)
    if report.unprotected:
        lines.append(t("sealsandbox.isolation_line", isolation=report.isolation,
                       gaps=report.unprotected))
    return "\n".join(lines)


def _exercise_line(e: ExerciseResult, width: int) -> str:
    statuses = {c.status for c in e.checks}
    colour = ("red" if statuses & {Status.FAILED, Status.ERROR} else
              "yellow" if Status.NOT_ATTEMPTED in statuses else "green")
    score = click.style(f"{_num(e.score):>4}/{_num(e.max_score):<4}", fg=colour, bold=True)
    return f"{escape(e.id):<{width}}  {score}  {escape(e.title)}"


def _failures(e: ExerciseResult, report: Report, verbose: bool) -> list[list[str]]:
    """The exercise's failures, each a list of lines: the failing checks (identical
    failures once), then the functions not attempted yet, one line each."""
    todo: dict[str, list[CheckResult]] = {}
    for c in e.checks:
        if c.status is Status.NOT_ATTEMPTED and c.function:
            todo.setdefault(c.function, []).append(c)
    groups: dict[tuple, list[CheckResult]] = {}
    for c in e.checks:
        if not c.passed and c.function not in todo:
            key = (c.status, c.message, c.output, (c.diagnosis or {}).get("id"))
            groups.setdefault(key, []).append(c)
    out = []
    for same in groups.values():
        c = same[0]
        if len(same) == 1:
            name = escape(c.name)
        elif len(same) == len(e.checks):
            name = t("report.all_checks", n=len(same))
        else:
            name = t("feedback.n_of_checks", n=len(same), total=len(e.checks))
        out.append(_failure(c, verbose, name, report))
    label = click.style(t("report.status.not_attempted"), fg=COLOURS[Status.NOT_ATTEMPTED])
    for function, checks in todo.items():
        text = t("feedback.todo_function", function=escape(function), n=len(checks),
                 points=_num(sum(c.max_points for c in checks)))
        out.append([f"  {label} {text}"])
    return out


def _failure(c: CheckResult, verbose: bool, name: str, report: Report) -> list[str]:
    label = click.style(t(f"report.status.{c.status.value}"), fg=COLOURS[c.status], bold=True)
    called = " " + t("report.called", call=escape(c.call)) if c.call else ""
    lines = ["  " + t("report.failure", label=label, name=name, message=escape(c.message),
                      called=called)]
    if c.call and not c.call_exact:
        command = (f"mlgrade check {shell_path(report.workspace)} --seed {report.seed} "
                   f"--show-inputs {escape(c.id)}")
        lines.append("       " + t("feedback.show_inputs", command=command))
    if c.diagnosis:
        lines.append("       " + t("report.diagnosis", id=escape(c.diagnosis["id"]),
                                   text=escape(c.diagnosis["message"])))
    if c.output:
        lines.append("       " + t("report.output"))
        lines.extend("       | " + line for line in escaped_lines(c.output)[:8])
    if verbose and c.traceback:
        lines.extend("       " + line for line in escaped_lines(c.traceback))
    return lines


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, (int, float, np.floating)) else str(x)
