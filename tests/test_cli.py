"""The command line: exit codes, streams, formats, colour, and the installed entry point."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import click

from mlgrade import catalog
from mlgrade.cli import cli

from conftest import EXERCISES, SOLUTIONS


def test_check_solutions_json_full_marks(runner):
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "--format", "json", "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == report["max_score"] > 0 and report["seed"] == 3
    assert len(report["exercises"]) == 13
    check = report["exercises"][0]["checks"][0]
    assert set(check) >= {"name", "passed", "message", "diagnosis"}
    assert check["diagnosis"] is None


def test_check_stubs_exits_1_with_one_line_per_function_not_attempted(runner):
    result = runner.invoke(cli, ["check", str(EXERCISES), "--seed", "1"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    todo = [line for line in lines if line.strip().startswith("TODO")
            and "not answered" not in line]                  # (the quiz of answers.toml)
    functions = [f for ex in catalog.exercises() for f in ex.functions]
    assert len(todo) == len(functions) and all("not implemented" in line for line in todo)
    assert "FAIL" not in result.stdout and "stuck?" not in result.stdout
    assert "Traceback" not in result.stdout and result.stderr == ""
    assert "--seed 1" in result.stdout


def test_seed_replays_the_same_inputs(runner, workspace):
    ws = workspace(ex02_mse="""
        import numpy as np
        def mse(y_true, y_pred):
            return float(np.sum((np.asarray(y_true) - y_pred) ** 2))
        def mae(y_true, y_pred):
            return float(np.mean(np.abs(np.asarray(y_true) - y_pred)))
        """)
    runs = [runner.invoke(cli, ["check", str(ws), "-e", "ex02_mse", "--seed", seed])
            for seed in ("5", "5", "6")]
    assert runs[0].stdout == runs[1].stdout != runs[2].stdout


def test_unknown_exercise_and_bad_path_are_usage_errors(runner, tmp_path):
    bad_id = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex99_nothing"])
    missing = runner.invoke(cli, ["check", str(tmp_path / "nope")])
    empty = runner.invoke(cli, ["check", str(tmp_path)])
    for result in (bad_id, missing, empty):
        assert result.exit_code == 2
        assert "Error:" in result.stderr and result.stdout == ""


def test_output_file_gets_the_report_and_stdout_stays_empty(runner, tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex05_sigmoid", "--format",
                                 "json", "--output", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(out.read_text())
    assert [e["id"] for e in report["exercises"]] == ["ex05_sigmoid"]


def test_colour_only_when_asked(runner):
    args = ["check", str(EXERCISES), "-e", "ex01_forward"]
    assert "\x1b[" not in runner.invoke(cli, args).stdout
    assert "\x1b[" in runner.invoke(cli, args, color=True).stdout
    assert "\x1b[" not in runner.invoke(cli, args + ["--no-color"], color=True).stdout
    assert "\x1b[" not in runner.invoke(cli, args, color=True, env={"NO_COLOR": "1"}).stdout


def test_init_creates_a_workspace_of_stubs(runner, tmp_path):
    target = tmp_path / "mine"
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    stubs = sorted([*(p.name for p in EXERCISES.glob("ex*.py")), "answers.toml"])
    assert sorted(p.name for p in target.iterdir()) == stubs
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 2 and "not empty" in again.stderr


def test_stubs_check_detects_drift(runner, tmp_path):
    copy = tmp_path / "ex"
    shutil.copytree(EXERCISES, copy)
    args = ["stubs", "--solutions", str(SOLUTIONS), "--out", str(copy), "--check"]
    assert runner.invoke(cli, args).exit_code == 0
    (copy / "ex02_mse.py").write_text("# edited by hand\n")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "ex02_mse.py" in result.stdout


def test_every_command_has_help(runner):
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0


def test_installed_entry_point_runs_in_a_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("mlgrade")
    assert exe.exists(), "the mlgrade console script is not installed"
    proc = subprocess.run([str(exe), "check", str(SOLUTIONS), "-e", "ex01_forward",
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["exercises"][0]["id"] == "ex01_forward"
    piped = subprocess.run([str(exe), "check", str(EXERCISES), "-e", "ex01_forward"],
                           capture_output=True, text=True, timeout=60)
    assert piped.returncode == 1 and "\x1b[" not in piped.stdout
    assert click.unstyle(piped.stdout) == piped.stdout


INSTRUCTOR_CHECKS = '''
import pytest


@pytest.mark.mlgrade(exercise="ex05_sigmoid", points=3)
def test_sigmoid_is_symmetric(mlgrade_workspace):
    sigmoid = mlgrade_workspace["ex05_sigmoid"].sigmoid
    assert abs(sigmoid(2.0) + sigmoid(-2.0) - 1) < 1e-12


@pytest.mark.mlgrade(exercise="ex05_sigmoid")
def test_sigmoid_of_zero_is_a_third(mlgrade_workspace):
    assert mlgrade_workspace["ex05_sigmoid"].sigmoid(0.0) == 1 / 3, "sigmoid(0) should be 1/3"
'''


def test_instructor_checks_run_in_the_worker_and_count(runner, tmp_path):
    checks = tmp_path / "hidden"
    checks.mkdir()
    (checks / "test_extra.py").write_text(INSTRUCTOR_CHECKS)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex05_sigmoid", "--checks",
                                 str(checks), "--format", "json"])
    assert result.exit_code == 1
    ex = json.loads(result.stdout)["exercises"][0]
    extra = {c["name"]: c for c in ex["checks"] if c["kind"] == "custom"}
    assert extra["test_sigmoid_is_symmetric"]["passed"]
    assert extra["test_sigmoid_is_symmetric"]["max_points"] == 3
    assert not extra["test_sigmoid_of_zero_is_a_third"]["passed"]
    assert "sigmoid(0) should be 1/3" in extra["test_sigmoid_of_zero_is_a_third"]["message"]


def test_broken_instructor_checks_are_a_usage_error(runner, tmp_path):
    (tmp_path / "test_broken.py").write_text("def test_x(:\n")
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "--checks", str(tmp_path)])
    assert result.exit_code == 2 and "Error:" in result.stderr and result.stdout == ""


def test_internal_error_exits_3_with_one_line(runner, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr("mlgrade.runner.grade_workspace", broken)
    result = runner.invoke(cli, ["check", str(SOLUTIONS)])
    assert result.exit_code == 3
    assert result.stderr.strip().count("\n") == 0 and "disk full" in result.stderr
    assert result.stdout == ""


def test_a_worker_that_cannot_start_is_an_internal_error_not_a_fail(runner, monkeypatch):
    def cannot_start(*args, **kwargs):
        raise OSError("no such interpreter")
    monkeypatch.setattr("mlgrade.sandbox.subprocess.Popen", cannot_start)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex01_forward",
                                 "--isolation", "process"])
    assert result.exit_code == 3 and "no such interpreter" in result.stderr
    assert result.stdout == ""
