"""Instructors' own checks: mistakes in them are usage errors naming the file and the test."""
import json

import pytest

from mlgrade.cli import cli

from conftest import SOLUTIONS

NO_MARKER = '''
def test_forgot_the_marker(mlgrade_workspace):
    assert mlgrade_workspace["ex05_sigmoid"].sigmoid(0.0) == 0.5
'''

UNKNOWN_EXERCISE = '''
import pytest

@pytest.mark.mlgrade(exercise="ex05_sigmiod")
def test_typo_in_the_id(mlgrade_workspace):
    assert mlgrade_workspace["ex05_sigmoid"].sigmoid(0.0) == 0.5
'''

OTHER_EXERCISES = '''
import pytest

@pytest.mark.mlgrade(exercise="ex07_network", points=2)
def test_dense_is_sigmoid_of_predict(mlgrade_workspace):
    ws = mlgrade_workspace
    w, x, b = [0.5, -0.3], [1.0, 1.0], 0.2
    z = ws["ex01_forward"].predict(w, x, b)
    a = ws["ex07_network"].dense(x, [w], [b], "sigmoid")
    assert abs(float(a[0]) - ws["ex05_sigmoid"].sigmoid(z)) < 1e-12
'''


@pytest.mark.parametrize("source, test, says", [
    (NO_MARKER, "test_forgot_the_marker", "no @pytest.mark.mlgrade"),
    (UNKNOWN_EXERCISE, "test_typo_in_the_id", "unknown exercise 'ex05_sigmiod'"),
])
@pytest.mark.parametrize("only", [[], ["-e", "ex05_sigmoid"], ["-e", "ex01_forward"]])
def test_a_check_without_a_valid_marker_is_a_usage_error(runner, tmp_path, source, test, says,
                                                         only):
    checks = tmp_path / "hidden"
    checks.mkdir()
    # one name per file: pytest in one process keeps the modules of earlier runs
    name = f"test_{tmp_path.name}.py"
    (checks / name).write_text(source)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "--checks", str(checks), *only])
    assert result.exit_code == 2 and result.stdout == ""
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert str(checks / name) in error and test in error and says in error


def test_a_check_may_use_other_exercises_functions_under_e(runner, tmp_path):
    checks = tmp_path / "hidden"
    checks.mkdir()
    (checks / "test_other_exercises.py").write_text(OTHER_EXERCISES)
    result = runner.invoke(cli, ["check", str(SOLUTIONS), "--checks", str(checks), "-e",
                                 "ex07_network", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    [ex] = json.loads(result.stdout)["exercises"]
    mine = [c for c in ex["checks"] if c["kind"] == "custom"]
    assert [c["name"] for c in mine] == ["test_dense_is_sigmoid_of_predict"]
    assert mine[0]["passed"] and mine[0]["points"] == 2
