"""The JSON report (`report.to_dict`) rendered for CI systems and course platforms.

Every format is computed from the JSON report alone, so a saved report converts to any of
them later (`mlgrade convert`) and the formats cannot disagree with it:

- JUnit XML (the Jenkins xunit-plugin junit-10.xsd schema): one <testsuite> per exercise,
  one <testcase> per check; a failed or not-attempted check carries <failure>, a check whose
  code raised carries <error>, each with the message, the call and the diagnosis.
- Gradescope's results.json: one test per check with score, max_score, status, number
  "exercise.check", tags and the same explanation as output.
"""
import os
import re
import xml.etree.ElementTree as ET

from . import i18n
from .output import write_atomic

# XML 1.0 allows tab, newline, carriage return and these ranges; anything else a student's
# code prints (NUL, escape sequences) is replaced, or the report would not parse.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


REPORT_KEYS = {"score": (int, float), "max_score": (int, float), "exercises": list}
EXERCISE_KEYS = {"id": str, "title": str, "score": (int, float), "max_score": (int, float),
                 "checks": list}
CHECK_KEYS = {"id": str, "name": str, "function": str, "kind": str, "passed": bool,
              "status": str, "points": (int, float), "max_points": (int, float)}


def is_report(data) -> bool:
    """Whether `data` has the shape of a JSON report, down to the keys the formats read."""
    def fits(d, keys):
        return isinstance(d, dict) and all(isinstance(d.get(k), t) for k, t in keys.items())

    def check(c):
        return fits(c, CHECK_KEYS) and (c.get("diagnosis") is None
                                        or fits(c["diagnosis"], {"id": str, "message": str}))
    return (fits(data, REPORT_KEYS)
            and all(fits(e, EXERCISE_KEYS) and all(check(c) for c in e["checks"])
                    for e in data["exercises"]))


def percent(data: dict) -> float:
    """score / max_score in percent; 100 when there is nothing to score."""
    return 100.0 * data["score"] / data["max_score"] if data["max_score"] else 100.0


def reaches(data: dict, min_percent: float) -> bool:
    """Whether score / max_score ≥ min_percent / 100, compared without rounding noise."""
    return data["score"] * 100 >= min_percent * data["max_score"]


def explain(check: dict, lang: str) -> str:
    """What a student reads about one check: message, call, diagnosis, captured output."""
    if check["passed"]:
        return ""
    status = _t("report.status." + check["status"], lang)
    lines = [f"{status}: {check['message'] or ''}"]
    if check.get("call"):
        lines.append(_t("report.called", lang, call=check["call"]))
    if check.get("diagnosis"):
        d = check["diagnosis"]
        lines.append(_t("report.diagnosis", lang, id=d["id"], text=d["message"]))
    if check.get("output"):
        lines.append(_t("report.output", lang))
        lines.extend("| " + line for line in check["output"].splitlines())
    return "\n".join(lines)


def junit(data: dict) -> str:
    """The report as a JUnit XML document (UTF-8 text, with its declaration)."""
    lang = data.get("lang", "en")
    checks = [c for e in data["exercises"] for c in e["checks"]]
    root = ET.Element("testsuites", name="mlgrade", tests=str(len(checks)),
                      failures=str(sum(_kind(c) == "failure" for c in checks)),
                      errors=str(sum(_kind(c) == "error" for c in checks)),
                      time=_seconds(sum(e.get("seconds", 0) for e in data["exercises"])))
    for e in data["exercises"]:
        suite = ET.SubElement(
            root, "testsuite", name=e["id"], tests=str(len(e["checks"])),
            failures=str(sum(_kind(c) == "failure" for c in e["checks"])),
            errors=str(sum(_kind(c) == "error" for c in e["checks"])), skipped="0",
            time=_seconds(e.get("seconds", 0)), package="mlgrade")
        props = ET.SubElement(suite, "properties")
        for name, value in (("title", e["title"]), ("score", e["score"]),
                            ("max_score", e["max_score"]), ("seed", data["seed"])):
            ET.SubElement(props, "property", name=name, value=_clean(str(value)))
        for c in e["checks"]:
            case = ET.SubElement(suite, "testcase", name=_clean(c["name"]),
                                 classname=f"{e['id']}.{c['function']}")
            kind = _kind(c)
            if kind:
                reason = ET.SubElement(case, kind, message=_clean(c["message"] or ""),
                                       type=c["diagnosis"]["id"] if c.get("diagnosis")
                                       else c["status"])
                reason.text = _clean(explain(c, lang))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _kind(check: dict) -> str | None:
    """The JUnit element of a check that lost its points: error if its code raised."""
    if check["passed"]:
        return None
    return "error" if check["status"] == "error" else "failure"


def gradescope(data: dict, visibility: str = "visible") -> dict:
    """The report as Gradescope's results.json (a dict to serialise with report.dumps)."""
    lang = data.get("lang", "en")
    tests = []
    for i, e in enumerate(data["exercises"], 1):
        for j, c in enumerate(e["checks"], 1):
            tags = [e["id"], c["function"], c["kind"]]
            if c.get("diagnosis"):
                tags.append(c["diagnosis"]["id"])
            tests.append({"name": f"{e['id']}: {c['name']}", "number": f"{i}.{j}",
                          "score": c["points"], "max_score": c["max_points"],
                          "status": "passed" if c["passed"] else "failed",
                          "output": explain(c, lang), "output_format": "text",
                          "tags": tags, "visibility": visibility})
    summary = _t("report.total", lang, score=_num(data["score"]),
                 max_score=_num(data["max_score"]), seed=data["seed"])
    return {"score": data["score"], "output": summary, "output_format": "text",
            "execution_time": round(sum(e.get("seconds", 0) for e in data["exercises"]), 3),
            "visibility": visibility, "tests": tests,
            "extra_data": {"mlgrade_version": data.get("mlgrade_version"), "seed": data["seed"],
                           "max_score": data["max_score"], "isolation": data.get("isolation")}}


def to_report(data: dict):
    """The `Report` a JSON report was written from (tracebacks and per-check times aside)."""
    from .outcomes import Status
    from .results import CheckResult, ExerciseResult, Report

    exercises = [ExerciseResult(e["id"], e["title"], [
        CheckResult(c["id"], c["name"], e["id"], c["function"], c["kind"], Status(c["status"]),
                    c["points"], c["max_points"], c["message"], c.get("diagnosis"),
                    c.get("output") or "", call=c.get("call") or "",
                    call_exact=c.get("call_exact") is not False) for c in e["checks"]])
        for e in data["exercises"]]
    return Report(data.get("workspace", "."), data["seed"], data.get("isolation", ""),
                  data.get("lang", "en"), exercises)


def _t(key: str, lang: str, **params) -> str:
    """A text in the report's own language (a converted report keeps its language)."""
    try:
        text = i18n.lookup(key, lang)
    except KeyError:
        text = i18n.lookup(key, "en")
    return text.format(**params) if params else text


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _seconds(x: float) -> str:
    return f"{x:.3f}"


def _num(x: float) -> str:
    return f"{x:g}"


EXTENSIONS = {"junit": ".xml", "gradescope": ".json"}


def render(data: dict, fmt: str) -> str:
    """The report in one of the machine formats: json, junit or gradescope."""
    from .report import dumps

    if fmt == "junit":
        return junit(data)
    return dumps(gradescope(data) if fmt == "gradescope" else data)


def write_beside(folder: str, student: str, data: dict, fmts) -> list[str]:
    """Write a student's report in other formats: folder/<fmt>/<student>.xml|.json.

    The JSON reports stay alone at the top of `folder` (class-report and resume read them);
    each other format gets its own subfolder. Each file is written atomically.
    """
    written = []
    for fmt in fmts:
        path = os.path.join(folder, fmt, student + EXTENSIONS[fmt])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, render(data, fmt) + "\n")
        written.append(path)
    return written
