"""JUnit and Gradescope formats: valid against their schemas, in agreement with the JSON report."""
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from mlgrade.cli import cli

from conftest import SOLUTIONS

DATA = Path(__file__).parent / "data"
MODULES = ["ex01_forward", "ex02_mse", "ex05_sigmoid", "ex06_relu"]
SEED = "11"

# mse sums instead of averaging (a named mistake); sigmoid prints bytes no XML may hold, then
# raises; sigmoid_grad is still a stub; ex01 and ex06 are the reference.
MIXED = {
    "ex02_mse": """
        import numpy as np
        def mse(y_true, y_pred):
            return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))
        def mae(y_true, y_pred):
            return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))
        """,
    "ex05_sigmoid": """
        def sigmoid(z):
            print("bell\\x07 nul\\x00 esc\\x1b[31m ]]> <b>&amp; 激活函数")
            raise ValueError("no sigmoid today")
        def sigmoid_grad(z):
            raise NotImplementedError
        """,
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The same grading run (one seed) in the three machine formats."""
    import shutil
    import textwrap

    ws = tmp_path_factory.mktemp("mixed")
    for m in MODULES:
        shutil.copy(SOLUTIONS / f"{m}.py", ws / f"{m}.py")
    for m, source in MIXED.items():
        (ws / f"{m}.py").write_text(textwrap.dedent(source))
    from click.testing import CliRunner
    runner = CliRunner()
    # a generous time budget: the three runs must not differ by a timeout on a loaded machine
    args = ["check", str(ws), "--seed", SEED, "--timeout", "120"] + [
        a for m in MODULES for a in ("-e", m)]
    out = {}
    for fmt in ("json", "junit", "gradescope"):
        result = runner.invoke(cli, args + ["--format", fmt])
        assert result.exit_code == 1, result.output
        out[fmt] = result.stdout
    return out


def test_junit_is_valid_against_the_jenkins_schema(mixed):
    schema = xmlschema.XMLSchema(DATA / "junit-10.xsd")
    schema.validate(mixed["junit"])      # raises with the reason if not valid


def test_gradescope_is_valid_against_the_documented_format(mixed):
    schema = json.loads((DATA / "gradescope-results.schema.json").read_text())
    jsonschema.validate(json.loads(mixed["gradescope"]), schema)


def test_junit_agrees_with_the_json_report(mixed):
    report = json.loads(mixed["json"])
    root = ET.fromstring(mixed["junit"].encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [e["id"] for e in report["exercises"]]
    statuses = [c["status"] for e in report["exercises"] for c in e["checks"]]
    assert int(root.get("tests")) == len(statuses)
    assert int(root.get("errors")) == statuses.count("error") > 0
    assert int(root.get("failures")) == (statuses.count("failed")
                                         + statuses.count("not_attempted")) > 0
    for suite, exercise in zip(suites, report["exercises"], strict=True):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert float(props["score"]) == exercise["score"]
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [c["name"] for c in exercise["checks"]]
        for case, check in zip(cases, exercise["checks"], strict=True):
            lost = [el for el in case if el.tag in ("failure", "error")]
            assert bool(lost) != check["passed"]
            if lost:
                assert lost[0].tag == ("error" if check["status"] == "error" else "failure")
                assert lost[0].get("message") == check["message"]
                if check["diagnosis"]:
                    assert lost[0].get("type") == check["diagnosis"]["id"]
                    assert check["diagnosis"]["message"] in lost[0].text


def test_gradescope_agrees_with_the_json_report(mixed):
    report = json.loads(mixed["json"])
    results = json.loads(mixed["gradescope"])
    checks = [(e, c) for e in report["exercises"] for c in e["checks"]]
    assert results["score"] == report["score"] < report["max_score"]
    assert sum(t["max_score"] for t in results["tests"]) == report["max_score"]
    assert len(results["tests"]) == len(checks)
    for test, (exercise, check) in zip(results["tests"], checks, strict=True):
        assert test["score"] == check["points"] and test["max_score"] == check["max_points"]
        assert test["status"] == ("passed" if check["passed"] else "failed")
        assert check["name"] in test["name"] and exercise["id"] in test["tags"]
        assert (test["output"] == "") == check["passed"]
        if check["diagnosis"]:
            assert check["diagnosis"]["id"] in test["tags"]
            assert check["diagnosis"]["message"] in test["output"]
    assert f"seed {report['seed']}" in results["output"]


def test_named_mistake_and_hostile_output_survive_in_both_formats(mixed):
    root = ET.fromstring(mixed["junit"].encode())
    texts = "\n".join(el.text or "" for el in root.iter() if el.tag in ("failure", "error"))
    assert "mse-sum-not-mean" in texts and "no sigmoid today" in texts
    assert "]]> <b>&amp; 激活函数" in texts and "\x00" not in texts and "\x1b" not in texts
    outputs = [t["output"] for t in json.loads(mixed["gradescope"])["tests"]]
    assert any("]]> <b>&amp; 激活函数" in o for o in outputs)


@pytest.fixture(scope="module")
def half(tmp_path_factory):
    """A workspace where ex01 is right and ex02 is a stub: some of the points, not all."""
    import shutil
    ws = tmp_path_factory.mktemp("half")
    shutil.copy(SOLUTIONS / "ex01_forward.py", ws)
    (ws / "ex02_mse.py").write_text("def mse(y_true, y_pred):\n    raise NotImplementedError\n")
    return ws


def test_min_score_sets_the_exit_code(runner, half):
    args = ["check", str(half), "-e", "ex01_forward", "-e", "ex02_mse", "--format", "json",
            "--seed", "3"]
    plain = runner.invoke(cli, args)
    report = json.loads(plain.stdout)
    percent = 100 * report["score"] / report["max_score"]
    assert 0 < percent < 100 and plain.exit_code == 1         # not every check passes
    below, above = math.floor(percent * 100) / 100, math.ceil(percent * 100) / 100
    for min_score, code in [(0, 0), (below, 0), (above, 1), (100, 1)]:
        result = runner.invoke(cli, args + ["--min-score", str(min_score)])
        assert json.loads(result.stdout)["score"] == report["score"]
        assert result.exit_code == code, (min_score, percent)


def test_min_score_100_passes_the_reference_and_bad_values_are_usage_errors(runner):
    ok = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex06_relu", "--min-score", "100"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(cli, ["check", str(SOLUTIONS), "--min-score", "101"])
    assert bad.exit_code == 2 and "Error:" in bad.stderr and "Traceback" not in bad.output


def test_convert_a_saved_report_gives_the_formats(runner, mixed, tmp_path):
    saved = tmp_path / "report.json"
    saved.write_text(mixed["json"])
    for fmt in ("junit", "gradescope"):
        result = runner.invoke(cli, ["convert", str(saved), "--format", fmt])
        assert result.exit_code == 0, result.output
        if fmt == "gradescope":
            converted, direct = json.loads(result.stdout), json.loads(mixed["gradescope"])
            differ = [(a, b) for a, b in zip(converted["tests"], direct["tests"], strict=True)
                      if a != b]
            assert not differ, differ                         # the same seed, the same checks
        else:
            assert ET.fromstring(result.stdout.encode()).get("tests") == \
                ET.fromstring(mixed["junit"].encode()).get("tests")
    (tmp_path / "bad.json").write_text("{not json")
    bad = runner.invoke(cli, ["convert", str(tmp_path / "bad.json"), "--format", "junit"])
    assert bad.exit_code == 2 and "is not an mlgrade JSON report" in bad.stderr
    assert bad.stdout == ""


def test_write_beside_puts_each_format_in_its_subfolder(mixed, tmp_path):
    from mlgrade.formats import write_beside

    data = json.loads(mixed["json"])
    paths = write_beside(str(tmp_path), "li lei", data, ["junit", "gradescope"])
    assert paths == [str(tmp_path / "junit" / "li lei.xml"),
                     str(tmp_path / "gradescope" / "li lei.json")]
    xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(paths[0])
    assert json.loads(Path(paths[1]).read_text())["score"] == data["score"]
    assert not list(tmp_path.glob("*.json"))      # the top level stays the JSON reports'
