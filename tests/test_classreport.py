"""`mlgrade class-report`: its rates and counts agree with the students' own reports."""
import base64
import json
import shutil
import subprocess
import textwrap
from html.parser import HTMLParser

import pytest

from mlgrade import report
from mlgrade.cli import cli

from conftest import EXERCISES, SOLUTIONS, grade
from test_mutants import MUTANTS

MODULES = ["ex01_forward", "ex02_mse", "ex03_chain_rule"]
HOSTILE = "<script>alert('x')</script> & 同学"
CLASS = {"alice": [], "bob": ["forgot-bias"], "carol": ["forgot-bias", "mse-sum-not-mean"],
         "erin": ["mse-sum-not-mean", "missing-factor-2"], HOSTILE: ["missing-factor-2"]}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """A folder of six graded reports (one of stubs), one failed submission, one broken file."""
    root = tmp_path_factory.mktemp("class")
    folder = root / "reports"
    folder.mkdir()
    for i, (student, mistakes) in enumerate(CLASS.items()):
        ws = root / f"ws{i}"
        ws.mkdir()
        for m in MODULES:
            shutil.copy(SOLUTIONS / f"{m}.py", ws)
        for mistake in mistakes:
            module, source = MUTANTS[mistake]
            (ws / f"{module}.py").write_text(textwrap.dedent(source))
        data = report.to_dict(grade(ws, modules=MODULES))
        (folder / f"s{i}.json").write_text(report.dumps({"student": student, **data}))
    (folder / "dave.json").write_text(report.render_json(grade(EXERCISES, modules=MODULES)))
    (folder / "frank.json").write_text(json.dumps({"student": "frank", "error": "no files"}))
    (folder / "junk.json").write_text("{not json")
    return folder


def graded(folder) -> dict:
    out = {}
    for path in folder.glob("*.json"):
        try:
            data = json.loads(path.read_text())
        except json.JSONDecodeError:
            continue
        if "exercises" in data:
            out[data.get("student", path.stem)] = data
    return out


def summary_of(runner, folder, *args) -> dict:
    result = runner.invoke(cli, ["class-report", str(folder), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counts_and_rates_agree_with_the_reports(runner, reports):
    summary = summary_of(runner, reports)
    students = graded(reports)
    assert summary["students"] == len(students) == 6
    assert {f["student"] for f in summary["failed"]} == {"frank", "junk"}
    checks = {}
    for data in students.values():
        for e in data["exercises"]:
            for c in e["checks"]:
                checks.setdefault(c["id"], []).append(c["passed"])
    rates = [c["pass_rate"] for c in summary["checks"]]
    assert rates == sorted(rates) and len(rates) == len(checks)
    for row in summary["checks"]:
        assert row["pass_rate"] == pytest.approx(sum(checks[row["id"]]) / len(checks[row["id"]]))
    assert min(rates) < 1
    mistakes = {}
    for student, data in students.items():
        for e in data["exercises"]:
            for c in e["checks"]:
                if c["diagnosis"] and not c["passed"]:
                    mistakes.setdefault(c["diagnosis"]["id"], set()).add(student)
    assert summary["diagnoses"] == {k: len(v) for k, v in mistakes.items()}
    # the class was built with these mistakes: each must be recognised in its students
    assert summary["diagnoses"]["forgot-bias"] == 2
    assert summary["diagnoses"]["mse-sum-not-mean"] == 2
    assert summary["diagnoses"]["missing-factor-2"] == 2


def test_scores_histogram_and_exercise_means_agree(runner, reports):
    summary = summary_of(runner, reports)
    percents = sorted(100 * d["score"] / d["max_score"] for d in graded(reports).values())
    assert sorted(r["percent"] for r in summary["scores"]) == pytest.approx(percents)
    assert sum(summary["histogram"]["counts"]) == 6
    assert summary["histogram"]["counts"][-1] == percents.count(100) + sum(
        90 <= p < 100 for p in percents)
    assert summary["histogram"]["counts"][0] == sum(p < 10 for p in percents) >= 1  # the stubs
    for row in summary["exercises"]:
        values = [100 * e["score"] / e["max_score"] for d in graded(reports).values()
                  for e in d["exercises"] if e["id"] == row["id"]]
        assert row["mean_percent"] == pytest.approx(sum(values) / len(values))


def test_markdown_lists_the_hardest_check_and_the_failed_students(runner, reports):
    result = runner.invoke(cli, ["class-report", str(reports), "--format", "md"])
    summary = summary_of(runner, reports)
    assert result.exit_code == 0
    hardest = summary["checks"][0]
    assert f"{hardest['passed']}/{hardest['students']}" in result.stdout
    assert "frank" in result.stdout and "**forgot-bias**" in result.stdout


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.external, self.cells, self.scripts = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "script":
            self.scripts += 1
        for key in ("href", "src"):
            if attrs.get(key, "data:").split(":")[0] != "data":
                self.external.append(attrs[key])

    def handle_data(self, data):
        self.cells.append(data)


def render_page(runner, reports, path, lang):
    result = runner.invoke(cli, ["class-report", str(reports), "--output", str(path),
                                 "--lang", lang])
    assert result.exit_code == 0, result.output
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.parametrize("lang, title", [("en", "Class report"), ("zh", "全班报告")])
def test_html_is_one_self_contained_page_with_plots(runner, reports, tmp_path, lang, title):
    page = render_page(runner, reports, tmp_path / "class.html", lang)
    assert len(page.images) == 4 and not page.external
    for src in page.images:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    text = "".join(page.cells)
    assert title in text and HOSTILE in text and page.scripts == 0   # escaped, not run
    summary = summary_of(runner, reports, "--lang", lang)
    hardest = summary["checks"][0]
    assert f"{hardest['exercise']}: {hardest['name']}" in text
    assert f"{100 * hardest['pass_rate']:.1f} %" in text


def test_chinese_report_names_checks_in_chinese(runner, reports):
    summary = summary_of(runner, reports, "--lang", "zh")
    names = {c["id"]: c["name"] for c in summary["checks"]}
    assert "房价" in names["ex01_forward.predict.doc000_forward"]


def test_html_in_a_headless_browser(runner, reports, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    import matplotlib.image

    render_page(runner, reports, tmp_path / "class.html", "zh")
    shot = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1000,1400", f"--screenshot={shot}",
                    (tmp_path / "class.html").as_uri()],
                   capture_output=True, timeout=180, check=True)
    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (1400, 1000)
    # the histogram's bars (C0 blue) and the exercise bars (C1 orange) were drawn by the browser
    blue = ((abs(pixels - [0.12, 0.47, 0.71]) < 0.05).all(axis=2)).mean()
    orange = ((abs(pixels - [1.0, 0.5, 0.05]) < 0.05).all(axis=2)).mean()
    assert blue > 0.002 and orange > 0.005, (blue, orange)


def test_missing_or_empty_folder_is_a_usage_error(runner, tmp_path):
    for folder in (tmp_path / "nope", tmp_path):
        result = runner.invoke(cli, ["class-report", str(folder)])
        assert result.exit_code == 2 and "Error:" in result.stderr
        assert "Traceback" not in result.output


def test_malformed_reports_count_as_failed_not_as_a_crash(runner, tmp_path):
    shutil.copytree(SOLUTIONS, tmp_path / "unused")         # any folder content is ignored
    good = report.render_json(grade(SOLUTIONS, modules=["ex06_relu"]))
    (tmp_path / "good.json").write_text(good)
    (tmp_path / "list.json").write_text(json.dumps({"score": 1, "max_score": 2,
                                                    "exercises": [1, 2]}))
    bad_check = json.loads(good)
    bad_check["exercises"][0]["checks"][0]["diagnosis"] = "forgot-bias"
    (tmp_path / "diag.json").write_text(json.dumps(bad_check))
    (tmp_path / "array.json").write_text("[]")
    summary = summary_of(runner, tmp_path)
    assert summary["students"] == 1
    assert sorted(f["student"] for f in summary["failed"]) == ["array", "diag", "list"]
    converted = runner.invoke(cli, ["convert", str(tmp_path / "diag.json"), "--format", "junit"])
    assert converted.exit_code == 2 and "Traceback" not in converted.output
