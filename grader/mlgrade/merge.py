"""Join the results of shards (`mlgrade grade --shard K/N`) into one gradebook and reports."""
import json
import os

from . import gradebook
from .gradebook import GradebookError as MergeError
from .i18n import t
from .output import write_atomic

SAME_BATCH = ("mlgrade_version", "batch_seed", "checks_digest")


def merge(shards: list[str], output: str, reports: str | None) -> tuple[int, int]:
    """Write the joined gradebook to `output` and the reports into `reports`.

    Args:
        shards: gradebook files (CSV) and report folders of the shards.
    Returns:
        (students in the gradebook, reports written).
    """
    books = [p for p in shards if not os.path.isdir(p)]
    folders = [p for p in shards if os.path.isdir(p)]
    if folders and not reports:
        raise MergeError(t("batch.error.folders_need_reports"))
    found = collect_reports(folders)
    if books:
        header, rows = gradebook.join(books)
        text = gradebook.render_rows(header, rows)
    else:
        rows = [gradebook.row(s, None if "error" in r else r, r.get("error"))
                for s, (_, r, _) in found.items()]
        first = next((r for _, r, _ in found.values() if "error" not in r), {"exercises": []})
        text = gradebook.render([e["id"] for e in first["exercises"]], rows)
    write_atomic(output, text)
    if reports:
        os.makedirs(reports, exist_ok=True)
        for student, (_, _, raw) in found.items():
            write_atomic(os.path.join(reports, f"{student}.json"), raw)
    return len(rows), len(found)


def collect_reports(folders: list[str]) -> dict[str, tuple[str, dict, str]]:
    """{student: (path, report, text)} of every report in `folders`, from one batch only."""
    found: dict[str, tuple[str, dict, str]] = {}
    batch = None
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json") or name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    raw = f.read()
                report = json.loads(raw)
                student = report["student"]
            except (OSError, ValueError, KeyError, TypeError):
                raise MergeError(t("batch.error.not_report", path=path)) from None
            stamp = {k: report.get(k) for k in SAME_BATCH}
            if batch is not None and stamp != batch[1]:
                raise MergeError(t("batch.error.other_batch", path=path, first=batch[0]))
            batch = batch or (path, stamp)
            if student in found and found[student][2] != raw:
                raise MergeError(t("batch.error.duplicate", path=path, student=student,
                                   other=found[student][0]))
            found[student] = (path, report, raw)
    return found
