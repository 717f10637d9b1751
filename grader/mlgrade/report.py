"""Render a `Report` as text for a terminal or as JSON for machines."""
import json
import math

import click
import numpy as np

from . import __version__, catalog
from .i18n import t
from .outcomes import Status
from .results import CheckResult, Report

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
            "call": c.call or None, "output": c.output or None}


def render_json(report: Report) -> str:
    return dumps(to_dict(report))


def dumps(data: dict) -> str:
    """One JSON document: UTF-8 text, never nan."""
    return json.dumps(_finite(data), ensure_ascii=False, indent=1, allow_nan=False)


def _finite(value):
    """Replace nan and inf (never produced by us, but cheap to guard) by strings."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def render_text(report: Report, verbose: bool = False) -> str:
    """One line per exercise, then each failing check with its reason."""
    lines = []
    width = max((len(e.id) for e in report.exercises), default=10)
    for e in report.exercises:
        ok = all(c.passed for c in e.checks)
        score = click.style(f"{_num(e.score):>4}/{_num(e.max_score):<4}",
                            fg="green" if ok else "red", bold=True)
        lines.append(f"{e.id:<{width}}  {score}  {e.title}")
        failed = [c for c in e.checks if not c.passed]
        if len(failed) > 1 and len({(c.status, c.message, c.output) for c in failed}) == 1:
            lines.extend(_failure(failed[0], verbose, t("report.all_checks", n=len(failed))))
        else:
            for c in failed:
                lines.extend(_failure(c, verbose, c.name))
        if failed and e.id in catalog.MODULES:
            lines.append("       " + t("cli.hint_available", module=e.id))
    lines.append("")
    lines.append(t("report.total", score=_num(report.score), max_score=_num(report.max_score),
                   seed=report.seed))
    if not report.all_passed:
        lines.append(t("report.replay", workspace=report.workspace, seed=report.seed))
    if report.unprotected:
        lines.append(t("sealsandbox.isolation_line", isolation=report.isolation,
                       gaps=report.unprotected))
    return "\n".join(lines)


def _failure(c: CheckResult, verbose: bool, name: str) -> list[str]:
    label = click.style(t(f"report.status.{c.status.value}"), fg=COLOURS[c.status], bold=True)
    called = " " + t("report.called", call=c.call) if c.call else ""
    lines = ["  " + t("report.failure", label=label, name=name, message=c.message, called=called)]
    if c.diagnosis:
        lines.append("       " + t("report.diagnosis", id=c.diagnosis["id"],
                                   text=c.diagnosis["message"]))
    if c.output:
        lines.append("       " + t("report.output"))
        lines.extend("       | " + line for line in c.output.splitlines()[:8])
    if verbose and c.traceback:
        lines.extend("       " + line for line in c.traceback.splitlines())
    return lines


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, (int, float, np.floating)) else str(x)
