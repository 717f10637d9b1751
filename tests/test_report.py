"""The text report: readable when tired, exact about failing calls, impossible to forge."""
import json
import os
import re
import struct
import subprocess
import sys

import click
import numpy as np

from mlgrade import catalog, i18n
from mlgrade.calls import exact_call, literal
from mlgrade.cli import cli
from mlgrade.outcomes import Status
from mlgrade.report import render_text
from mlgrade.results import CheckResult, ExerciseResult, Report

from conftest import EXERCISES, SOLUTIONS

# A sigmoid that raises with a digest of what it received: the report's message then says
# which inputs the graded call had, and a replayed call must give the same digest.
DIGEST_SIGMOID = """
import hashlib
import numpy as np
def digest(z):
    z = np.asarray(z)
    return hashlib.sha256(z.tobytes()).hexdigest()[:16] + f" {z.dtype} {z.shape}"
def sigmoid(z):
    raise ValueError("digest " + digest(z))
def sigmoid_grad(z):
    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return s * (1 - s)
"""

FORGE = "fine\nTotal: 94/94 points (seed 4)\r\x1b[2K\x1b[32mTotal: 94/94\x1b[0m\u202e"
FORGER = r"""
import numpy as np
def sigmoid(z):
    print("fine\nTotal: 94/94 points (seed 4)\r\x1b[2K\x1b[32mTotal: 94/94\x1b[0m\u202e")
    raise ValueError("oops\nTotal: 94/94 points (seed 4)\r\n\x1b[1A\x1b[2K\u202e")
def sigmoid_grad(z):
    raise ValueError("lone \ud800 surrogate\u2028and a line separator")
"""


def test_printed_output_and_tracebacks_are_escaped_line_by_line():
    check = CheckResult("ex05_sigmoid.sigmoid.x", "a check", "ex05_sigmoid", "sigmoid",
                        "random", Status.FAILED, 0.0, 1.0, message="bad\x1b[2J",
                        output=FORGE + "\n\ud800", traceback='File "ws\x1b[8m/x.py"\n' + FORGE)
    exercise = ExerciseResult("ex05_sigmoid", "Sigmoid", [check])
    text = render_text(Report("ws", 4, "sandbox", "en", [exercise]), verbose=True)
    text = re.sub(r"\x1b\[(0|1|31|32|33)m", "", text)    # the report's own colours
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("Total")] == ["Total: 0/1 points (seed 4)"]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e\ud800-\udfff]", text)
    assert "       | Total: 94/94 points (seed 4)\\r\\x1b[2K\\x1b[32mTotal" in text
    assert "\\ud800" in text and "\\x1b[8m" in text and "bad\\x1b[2J" in text


def run(runner, ws, *args, **kwargs):
    return runner.invoke(cli, ["check", str(ws), *args], **kwargs)


def test_student_text_cannot_forge_report_lines(runner, workspace):
    ws = workspace(ex05_sigmoid=FORGER)
    result = run(runner, ws, "-e", "ex05_sigmoid", "--seed", "4", "--no-color")
    assert result.exit_code == 1
    out = result.stdout
    totals = [line for line in out.splitlines() if "Total" in line]
    assert len([line for line in totals if line.startswith("Total")]) == 1
    assert re.fullmatch(r"Total: 0/\d+ points \(seed 4\)", totals[-1])
    assert all(not line.lstrip().startswith("Total") for line in totals[:-1])
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u2028\u202e\ud800-\udfff]", out)
    assert "\\x1b[2K" in out and "\\n" in out and "\\r" in out and "\\u202e" in out
    assert "\\ud800" in out and "\\u2028" in out


def test_lone_surrogates_reach_json_text_and_files_without_a_crash(runner, workspace, tmp_path):
    ws = workspace(ex05_sigmoid=FORGER)
    args = ["-e", "ex05_sigmoid", "--seed", "4"]
    as_json = run(runner, ws, *args, "--format", "json")
    assert as_json.exit_code == 1, as_json.stderr
    checks = json.loads(as_json.stdout)["exercises"][0]["checks"]
    assert any("lone \ud800 surrogate" in (c["message"] or "") for c in checks)
    for fmt in ("json", "text"):
        target = tmp_path / f"report.{fmt}"
        result = run(runner, ws, *args, "--format", fmt, "--output", str(target))
        assert result.exit_code == 1 and result.stdout == "", result.stderr
        assert "\\ud800" in target.read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".mlgrade")) == []


def test_a_workspace_path_that_is_not_utf8_is_reported(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"ws-\xff\xfe")
    os.mkdir(folder)
    for m in ("ex01_forward",):
        with open(os.path.join(folder, m.encode() + b".py"), "wb") as f:
            f.write((SOLUTIONS / f"{m}.py").read_bytes().replace(b"+ b", b"- b"))
    out = os.path.join(os.fsencode(tmp_path), b"out-\xff.json")
    exe = os.path.join(os.path.dirname(sys.executable), "mlgrade")
    proc = subprocess.run([exe, "check", folder, "-e", "ex01_forward", "--seed", "2"],
                          capture_output=True, timeout=60)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert b"ws-\\udcff\\udcfe" in proc.stdout      # in the replay command, escaped
    proc = subprocess.run([exe, "check", folder, "-e", "ex01_forward", "--format", "json",
                           "--output", out], capture_output=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout == b"", proc.stderr
    report = json.loads(open(out, "rb").read())
    assert report["workspace"].endswith("ws-\udcff\udcfe") and report["score"] < 6


def test_not_attempted_functions_are_one_yellow_line_each(runner):
    result = run(runner, EXERCISES, "-e", "ex02_mse", "-e", "ex06_relu", color=True)
    lines = result.stdout.splitlines()
    todo = [click.unstyle(line).strip() for line in lines if "TODO" in line]
    expected = []
    for m in ("ex02_mse", "ex06_relu"):
        checks = catalog.get(m).all_checks()
        for f in catalog.get(m).functions:
            mine = [c for c in checks if c.function == f]
            points = f"{sum(c.points for c in mine):g}"
            expected.append(f"TODO {f}: not implemented yet ({len(mine)} checks, {points} points)")
    assert todo == expected
    assert "\x1b[31m" not in result.stdout      # red is for failures only
    assert "\x1b[33m" in result.stdout


def test_all_n_checks_only_when_all_n_failed(runner, workspace):
    broken_import = workspace(ex05_sigmoid="import numpy as np\nraise RuntimeError('boom')\n")
    n = len(catalog.get("ex05_sigmoid").all_checks())
    out = run(runner, broken_import, "-e", "ex05_sigmoid").stdout
    assert f"all {n} checks" in out
    one_function_broken = workspace(ex05_sigmoid="""
        import numpy as np
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        def sigmoid_grad(z):
            raise ValueError("always")
        """)
    out = run(runner, one_function_broken, "-e", "ex05_sigmoid").stdout
    assert "all " not in out and re.search(rf"\d of {n} checks: sigmoid_grad", out)


def test_quiet_shows_totals_and_the_first_failure_of_each_exercise(runner, workspace):
    ws = workspace(ex05_sigmoid=DIGEST_SIGMOID, ex02_mse="""
        def mse(y_true, y_pred):
            return 0.0
        def mae(y_true, y_pred):
            return 0.0
        """)
    args = ["-e", "ex02_mse", "-e", "ex05_sigmoid", "-e", "ex01_forward", "--seed", "3"]
    full = run(runner, ws, *args).stdout.splitlines()
    quiet = run(runner, ws, *args, "--quiet").stdout.splitlines()
    assert len(full) > len(quiet)
    assert quiet[0].startswith("ex02_mse") and quiet[1].startswith("  FAIL ")
    assert quiet[2].startswith("ex05_sigmoid") and quiet[3].startswith("  ERROR ")
    assert quiet[4].startswith("ex01_forward") and quiet[5] == ""
    assert quiet[6].startswith("Total:") and quiet[7].startswith("Replay")
    assert quiet[1] in full and quiet[3] in full


def _shown_call_and_digest(report_json: dict, check_id: str) -> tuple[str, str, bool]:
    checks = {c["id"]: c for e in report_json["exercises"] for c in e["checks"]}
    c = checks[check_id]
    return c["call"], re.search(r"digest (.+)", c["message"])[1], c["call_exact"]


def test_pasting_the_failing_call_reproduces_its_inputs(runner, workspace):
    ws = workspace(ex05_sigmoid=DIGEST_SIGMOID)
    for seed in ("1", "2"):
        report = json.loads(run(runner, ws, "-e", "ex05_sigmoid", "--seed", seed,
                                "--format", "json").stdout)
        call, digest, exact = _shown_call_and_digest(report,
                                                     "ex05_sigmoid.sigmoid.random_shapes")
        assert exact and call.startswith("sigmoid(")
        proc = subprocess.run([sys.executable, "-c", f"import numpy as np\n"
                               f"from ex05_sigmoid import sigmoid\n{call}"], cwd=ws,
                              capture_output=True, text=True, timeout=60)
        assert f"ValueError: digest {digest}" in proc.stderr, call


def test_show_inputs_prints_runnable_python_for_large_inputs(runner, workspace, monkeypatch):
    monkeypatch.setattr("mlgrade.calls.CALL_WIDTH", 40)   # every array counts as large
    ws = workspace(ex05_sigmoid=DIGEST_SIGMOID)
    check_id = "ex05_sigmoid.sigmoid.large_inputs_no_overflow"
    text = run(runner, ws, "-e", "ex05_sigmoid", "--seed", "5", "--no-color").stdout
    assert re.search(r"sigmoid\(<float64 array of shape \(\d+,\)>\)", text)
    command = f"mlgrade check {ws} --seed 5 --show-inputs {check_id}"
    assert f"exact inputs: {command}" in text
    report = json.loads(run(runner, ws, "-e", "ex05_sigmoid", "--seed", "5", "--format",
                            "json").stdout)
    _, digest, exact = _shown_call_and_digest(report, check_id)
    assert not exact
    script = runner.invoke(cli, command.split()[1:])
    assert script.exit_code == 0, script.stderr
    (ws / "inputs.py").write_text(script.stdout)
    proc = subprocess.run([sys.executable, "inputs.py"], cwd=ws, capture_output=True, text=True,
                          timeout=60)
    assert proc.stderr.splitlines()[-1] == f"ValueError: digest {digest}", proc.stderr


NUMERICAL_GRADIENT_SHOWING_F = """
import numpy as np
def numerical_gradient(f, x, eps=1e-5):
    raise ValueError("f(x) = " + repr(f(np.array(x, dtype=float))))
def relative_error(a, b):
    return 0.0
"""


def test_functions_passed_as_arguments_are_described_and_replayable(runner, workspace):
    ws = workspace(ex10_gradcheck=NUMERICAL_GRADIENT_SHOWING_F)
    check_id = "ex10_gradcheck.numerical_gradient.random_smooth_function"
    report = json.loads(run(runner, ws, "-e", "ex10_gradcheck", "--seed", "8",
                            "--format", "json").stdout)
    check = next(c for e in report["exercises"] for c in e["checks"] if c["id"] == check_id)
    assert i18n.lookup("feedback.fn.smooth", "en") in check["call"]
    assert "smooth" not in check["call"].replace(i18n.lookup("feedback.fn.smooth", "en"), "")
    assert "Callable" not in check["call"] and not check["call_exact"]
    printed = re.search(r"f\(x\) = (.+)", check["message"])[1]
    script = runner.invoke(cli, ["check", str(ws), "--seed", "8", "--show-inputs", check_id])
    (ws / "inputs.py").write_text(script.stdout)
    proc = subprocess.run([sys.executable, "inputs.py"], cwd=ws, capture_output=True, text=True,
                          timeout=60)
    assert proc.stderr.splitlines()[-1] == f"ValueError: f(x) = {printed}", proc.stderr


def test_show_inputs_usage_errors(runner):
    unknown = runner.invoke(cli, ["check", str(SOLUTIONS), "--seed", "1", "--show-inputs",
                                  "ex05_sigmoid.sigmoid.nope"])
    no_seed = runner.invoke(cli, ["check", str(SOLUTIONS), "--show-inputs",
                                  "ex05_sigmoid.sigmoid.random_shapes"])
    for result in (unknown, no_seed):
        assert result.exit_code == 2 and result.stdout == "" and "Error:" in result.stderr


def same(a, b) -> bool:
    """Equal in type, dtype, shape and every bit (nan included)."""
    if isinstance(a, np.ndarray) or isinstance(a, np.generic):
        return (type(a) is type(b) and a.dtype == b.dtype and np.shape(a) == np.shape(b)
                and np.asarray(a).tobytes() == np.asarray(b).tobytes())
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return type(b) is float and struct.pack("d", a) == struct.pack("d", b)
    return type(a) is type(b) and a == b


def test_literals_rebuild_every_value_bit_for_bit():
    rng = np.random.default_rng(0)
    values = [0.1, -0.0, 5e-324, 1e308, float("nan"), float("-inf"), 3, True, None, "relu",
              np.float64(1 / 3), np.int64(-7), np.array(2.5), np.zeros((0, 3)),
              rng.normal(size=(3, 2)), np.array([np.nan, np.inf, -np.inf, -0.0]),
              np.array([2, 0, 1]), rng.normal(size=4).astype(np.float32),
              [(rng.normal(size=(2, 2)), rng.normal(size=2), "sigmoid")], (1.5,),
              {"w": np.array([1e-17, 1 + 2**-52])}]
    for value in values:
        text, exact = literal(value)
        assert exact, text
        assert same(value, eval(text, {"np": np})), text


def test_a_long_call_shows_large_arguments_by_shape():
    text, exact = exact_call("softmax", (np.ones((40, 10)), 3), width=200)
    assert text == "softmax(<float64 array of shape (40, 10)>, 3)" and not exact
    text, exact = exact_call("softmax", (np.ones((2, 3)), 3))
    assert text == "softmax(np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], dtype=np.float64), 3)"
    assert exact
