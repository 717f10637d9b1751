"""The gradebook of a batch: one CSV row per student, written atomically.

Columns: `student, score, max_score`, one column per exercise (its score), then `error`
(empty when the student was graded; else why the submission could not be graded).
"""
import csv
import io

from .i18n import t

FIXED = ["student", "score", "max_score"]
LAST = "error"


class GradebookError(ValueError):
    """A gradebook that cannot be read or joined (a usage error)."""


def num(x) -> str:
    """A score as the gradebook shows it: 12, 0.5 (no trailing .0)."""
    return f"{x:g}" if isinstance(x, (int, float)) else ""


def row(student: str, report: dict | None, error: str | None = None) -> dict:
    """A gradebook row from a student's JSON report (None: not graded, see `error`)."""
    out = {"student": student, "error": error or ""}
    if report is not None:
        out.update(score=num(report["score"]), max_score=num(report["max_score"]))
        out.update({e["id"]: num(e["score"]) for e in report["exercises"]})
    return out


def columns(exercises: list[str], rows: list[dict]) -> list[str]:
    """The header: fixed columns, `exercises` in order, any other exercise seen, `error`."""
    cols = FIXED + list(exercises)
    for r in rows:
        cols += [k for k in r if k not in cols and k != LAST]
    return cols + [LAST]


def render(exercises: list[str], rows: list[dict]) -> str:
    """The CSV text of `rows`, sorted by student id."""
    return render_rows(columns(exercises, rows), rows)


def render_rows(header: list[str], rows: list[dict]) -> str:
    """The CSV text of `rows` under `header`, sorted by student id."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: r["student"]))
    return buf.getvalue()


def read(path: str) -> tuple[list[str], list[dict]]:
    """(header, rows) of a gradebook written by `render`."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GradebookError(t("batch.error.unreadable", path=path, error=exc)) from None
    if header[:len(FIXED)] != FIXED or header[-1:] != [LAST]:
        raise GradebookError(t("batch.error.not_gradebook", path=path,
                               header=",".join(header)[:200]))
    return header, rows


def join(gradebooks: list[str]) -> tuple[list[str], list[dict]]:
    """The rows of several shards' gradebooks; they must share a header and not overlap."""
    header, seen = None, {}
    for path in gradebooks:
        cols, rows = read(path)
        if header is not None and cols != header:
            raise GradebookError(t("batch.error.columns_differ", path=path, first=gradebooks[0]))
        header = cols
        for r in rows:
            if r["student"] in seen and seen[r["student"]][1] != r:
                raise GradebookError(t("batch.error.duplicate", path=path, student=r["student"],
                                       other=seen[r["student"]][0]))
            seen[r["student"]] = (path, r)
    return header or FIXED + [LAST], [r for _, r in seen.values()]
