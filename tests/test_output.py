"""Writing the report: refused before grading if impossible, exit 3 if it fails, nothing left."""
import json
import os
import resource
import stat
import subprocess
import sys

import pytest

from mlgrade.cli import cli

from conftest import SOLUTIONS

MLGRADE = os.path.join(os.path.dirname(sys.executable), "mlgrade")


def not_called(*args, **kwargs):
    raise AssertionError("grading started although the report could not be written")


@pytest.mark.parametrize("where", ["missing/report.json", "is_a_dir"])
def test_output_that_cannot_be_written_is_refused_before_grading(runner, tmp_path, monkeypatch,
                                                                 where):
    (tmp_path / "is_a_dir").mkdir()
    monkeypatch.setattr("mlgrade.runner.grade_workspace", not_called)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "--output", str(tmp_path / where)])
    assert result.exit_code == 2 and result.stdout == ""
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert where.split("/")[0] in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is_a_dir"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_report_files_get_the_umasks_permissions(runner, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        result = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex01_forward",
                                     "--output", str(tmp_path / "r.txt")])
    finally:
        os.umask(old)
    assert result.exit_code == 0
    assert stat.S_IMODE((tmp_path / "r.txt").stat().st_mode) == mode


def small_files():
    resource.setrlimit(resource.RLIMIT_FSIZE, (300, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def test_a_write_failure_after_grading_is_exit_3_with_one_line_and_no_temporary_file(tmp_path):
    # the probe of --output (an empty file) passes; the report itself exceeds RLIMIT_FSIZE
    out = tmp_path / "report.json"
    proc = subprocess.run([MLGRADE, "check", str(SOLUTIONS), "-e", "ex01_forward", "--format",
                           "json", "--output", str(out)], capture_output=True, text=True,
                          timeout=60, preexec_fn=small_files)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("\n") == 1 and "could not write the report" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_write_failure_on_stdout_is_exit_3(tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([MLGRADE, "check", str(SOLUTIONS), "-e", "ex01_forward"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "could not write the report" in proc.stderr and "Traceback" not in proc.stderr


def test_an_existing_report_is_replaced_whole(runner, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old and much longer than the new report " * 1000)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex01_forward", "--format",
                                 "json", "--output", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text())["score"] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
