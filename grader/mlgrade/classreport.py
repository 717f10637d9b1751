"""What a class got wrong: a summary of a folder of students' JSON reports.

Input: one file per student, the JSON of `mlgrade check --format json` (optionally with a
"student" key; else the file name is the student). A file that is not such a report, or a
report with an "error" key and no "exercises" (a submission that could not be graded), puts
the student among those who failed to grade; they count in no rate. Exercise titles,
check names and mistakes are shown in the current language when the catalog knows them.
"""
import json
import os

from . import report
from .formats import is_report
from .i18n import lookup, t

BINS = 10   # the score histogram: 0–10 %, 10–20 %, …, 90–100 %


class ClassReportError(Exception):
    """The folder cannot be summarised (missing, or holds no JSON file)."""


def load(folder: str) -> tuple[list[tuple[str, dict]], list[dict]]:
    """(student, report) for every graded report; {student, file, reason} for the others."""
    if not os.path.isdir(folder):
        raise ClassReportError(t("ci.class.no_folder", folder=folder))
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    if not names:
        raise ClassReportError(t("ci.class.no_reports", folder=folder))
    graded, failed = [], []
    for name in names:
        student, data, reason = os.path.splitext(name)[0], None, None
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = t("ci.class.unreadable", error=exc)
        if isinstance(data, dict):
            student = str(data.get("student") or student)
            if is_report(data):
                graded.append((student, data))
                continue
            reason = str(data.get("error") or t("ci.class.not_a_report"))
        failed.append({"student": student, "file": name,
                       "reason": reason or t("ci.class.not_a_report")})
    return graded, failed


def summarize(graded: list[tuple[str, dict]], failed: list[dict]) -> dict:
    """The class summary: students, scores, histogram, exercises, checks, diagnoses.

    A check's pass_rate is passed / students whose report holds that check; an exercise's
    mean_percent is the mean over those students of score / max_score. `diagnoses` counts,
    per named mistake, the students with at least one check failing with it.
    """
    scores = [{"student": s, "score": d["score"], "max_score": d["max_score"],
               "percent": _percent(d["score"], d["max_score"])} for s, d in graded]
    return {"students": len(graded), "failed_students": len(failed), "failed": failed,
            "scores": sorted(scores, key=lambda r: (-r["percent"], r["student"])),
            "mean_percent": _mean([r["percent"] for r in scores]),
            "histogram": histogram([r["percent"] for r in scores]),
            "exercises": _exercises(graded), "checks": _checks(graded),
            **_mistakes(graded)}


def histogram(percents: list[float]) -> dict:
    """Counts of scores in BINS equal bins of [0, 100]; 100 % falls in the last bin."""
    counts = [0] * BINS
    for p in percents:
        counts[min(int(p * BINS // 100), BINS - 1)] += 1
    return {"edges": [100 * i / BINS for i in range(BINS + 1)], "counts": counts}


def _exercises(graded) -> list[dict]:
    rows: dict[str, dict] = {}
    for _, data in graded:
        for e in data["exercises"]:
            title = _localized(f"{e['id']}.title", e["title"])
            row = rows.setdefault(e["id"], {"id": e["id"], "title": title, "scores": [],
                                            "max_score": e["max_score"]})
            row["scores"].append(_percent(e["score"], e["max_score"]))
    return [{"id": r["id"], "title": r["title"], "max_score": r["max_score"],
             "students": len(r["scores"]), "mean_percent": _mean(r["scores"])}
            for r in rows.values()]


def _checks(graded) -> list[dict]:
    """Every check with its pass rate, the hardest first."""
    from . import catalog

    titles = {c.id: c.title() for e in catalog.exercises() for c in e.all_checks()}
    rows: dict[str, dict] = {}
    for _, data in graded:
        for e in data["exercises"]:
            for c in e["checks"]:
                name = titles.get(c["id"], c["name"])
                row = rows.setdefault(c["id"], {"id": c["id"], "name": name,
                                                "exercise": e["id"], "students": 0,
                                                "passed": 0, "not_attempted": 0})
                row["students"] += 1
                row["passed"] += bool(c["passed"])
                row["not_attempted"] += c["status"] == "not_attempted"
    for row in rows.values():
        row["pass_rate"] = row["passed"] / row["students"]
    return sorted(rows.values(), key=lambda r: (r["pass_rate"], r["id"]))


def _mistakes(graded) -> dict:
    """diagnoses: {mistake id: students}; mistakes: the same with messages, commonest first."""
    rows: dict[str, dict] = {}
    for student, data in graded:
        for e in data["exercises"]:
            for c in e["checks"]:
                d = c.get("diagnosis")
                if d and not c["passed"]:
                    message = _localized(f"diagnosis.{d['id']}", d["message"])
                    row = rows.setdefault(d["id"], {"id": d["id"], "message": message,
                                                    "students": set(), "checks": 0})
                    row["students"].add(student)
                    row["checks"] += 1
    ordered = sorted(rows.values(), key=lambda r: (-len(r["students"]), r["id"]))
    return {"diagnoses": {r["id"]: len(r["students"]) for r in ordered},
            "mistakes": [{"id": r["id"], "message": r["message"],
                          "students": len(r["students"]), "checks": r["checks"]}
                         for r in ordered]}


def _localized(key: str, fallback: str) -> str:
    """The catalog's text in the current language (reports may be in another), if it has one."""
    try:
        text = lookup(key)
    except (KeyError, TypeError):
        return fallback
    return text if isinstance(text, str) and "{" not in text else fallback


def _percent(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 100.0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def render_json(summary: dict) -> str:
    return report.dumps(summary)


def render_md(summary: dict) -> str:
    """The summary as Markdown: headline, then one table per part."""
    lines = [f"# {t('ci.class.title')}", "", headline(summary), ""]
    lines += [f"## {t('ci.class.distribution')}", "", "| % | n |", "|---|---|"]
    h = summary["histogram"]
    lines += [f"| {bin_label(h, i)} | {n} |" for i, n in enumerate(h["counts"])]
    lines += ["", f"## {t('ci.class.exercises')}", "",
              f"| {t('ci.class.exercise')} | {t('ci.class.mean')} | {t('ci.class.n')} |",
              "|---|---|---|"]
    lines += [f"| {e['id']} {_md(e['title'])} | {pct(e['mean_percent'])} | {e['students']} |"
              for e in summary["exercises"]]
    lines += ["", f"## {t('ci.class.checks')}", "",
              f"| {t('ci.class.check')} | {t('ci.class.pass_rate')} | {t('ci.class.passed')} |",
              "|---|---|---|"]
    lines += [f"| {c['exercise']}: {_md(c['name'])} | {pct(100 * c['pass_rate'])} | "
              f"{c['passed']}/{c['students']} |" for c in summary["checks"] if c["pass_rate"] < 1]
    if any(c["pass_rate"] == 1 for c in summary["checks"]):
        lines += ["", all_passed_line(summary)]
    lines += ["", f"## {t('ci.class.mistakes')}", ""]
    lines += [f"- **{m['id']}** — {t('ci.class.mistake_count', n=m['students'], k=m['checks'])}"
              f": {_md(m['message'])}" for m in summary["mistakes"]] or [t("ci.class.none")]
    lines += ["", f"## {t('ci.class.failed')}", ""]
    lines += [f"- {_md(f['student'])} ({f['file']}): {_md(f['reason'])}"
              for f in summary["failed"]] or [t("ci.class.none")]
    return "\n".join(lines)


def headline(summary: dict) -> str:
    return t("ci.class.headline", n=summary["students"], failed=summary["failed_students"],
             mean=pct(summary["mean_percent"]))


def all_passed_line(summary: dict) -> str:
    return t("ci.class.all_passed", n=sum(c["pass_rate"] == 1 for c in summary["checks"]))


def bin_label(h: dict, i: int) -> str:
    return f"{h['edges'][i]:g}–{h['edges'][i + 1]:g}"


def pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f} %"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
