"""The command line: exit codes, streams, formats, colour, and the installed entry point."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import click

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


def test_check_stubs_exits_1_with_one_line_per_failing_check(runner):
    result = runner.invoke(cli, ["check", str(EXERCISES), "--seed", "1"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    todo = [line for line in lines if line.strip().startswith("TODO")]
    assert len(todo) >= 60 and all("not implemented" in line for line in todo)
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
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in EXERCISES.glob("ex*.py"))
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
