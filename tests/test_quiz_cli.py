"""`mlgrade quiz grade|key`, answers.toml problems, and the quiz in `mlgrade init` and `check`."""
import json
import shutil

from mlgrade.cli import cli
from mlgrade.quiz.bank import QUESTIONS

from conftest import EXERCISES, SOLUTIONS

N = len(QUESTIONS)


def key_file(runner, tmp_path, student: str):
    path = tmp_path / f"{student}.toml"
    result = runner.invoke(cli, ["quiz", "key", "--student", student, "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


def grade(runner, path, student, *more):
    return runner.invoke(cli, ["quiz", "grade", str(path), "--student", student, *more])


def test_each_key_grades_full_only_for_its_own_student(runner, tmp_path):
    alice, bob = key_file(runner, tmp_path, "alice"), key_file(runner, tmp_path, "bob")
    assert alice.read_text() != bob.read_text()
    ok = grade(runner, alice, "alice", "--format", "json")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["score"] == report["max_score"] == N
    crossed = grade(runner, alice, "bob", "--format", "json")
    assert crossed.exit_code == 1
    assert json.loads(crossed.stdout)["score"] < N
    assert "alice" in crossed.stderr and "bob" in crossed.stderr    # says whose answers they are


def test_key_to_stdout_is_an_answers_file(runner, tmp_path):
    result = runner.invoke(cli, ["quiz", "key", "--student", "carol"])
    assert result.exit_code == 0
    path = tmp_path / "k.toml"
    path.write_text(result.stdout)
    assert grade(runner, path, "carol").exit_code == 0


def test_text_report_names_the_wrong_answers_and_no_check_replay(runner, tmp_path):
    path = key_file(runner, tmp_path, "alice")
    text = path.read_text().replace('d000_update_sign = "a"', 'd000_update_sign = "b"')
    path.write_text(text)
    result = grade(runner, path, "alice")
    assert result.exit_code == 1
    assert f"{N - 1}/{N}" in result.stdout
    assert "update-wrong-direction" in result.stdout
    assert "mlgrade check" not in result.stdout and "Traceback" not in result.output


def test_json_report_has_the_schema_of_mlgrade_check(runner, tmp_path):
    path = key_file(runner, tmp_path, "alice")
    out = tmp_path / "report.json"
    result = grade(runner, path, "alice", "--format", "json", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(out.read_text())
    checked = json.loads(runner.invoke(cli, ["check", str(SOLUTIONS), "-e", "ex01_forward",
                                             "--format", "json"]).stdout)
    assert set(report) == set(checked)
    assert set(report["exercises"][0]) == set(checked["exercises"][0])
    assert set(report["exercises"][0]["checks"][0]) == set(checked["exercises"][0]["checks"][0])
    assert report["exercises"][0]["id"] == "quiz"


def test_the_blank_template_of_init_grades_zero(runner, tmp_path):
    ws = tmp_path / "work"
    assert runner.invoke(cli, ["init", str(ws)]).exit_code == 0
    assert (ws / "answers.toml").read_text() == (EXERCISES / "answers.toml").read_text()
    result = grade(runner, ws / "answers.toml", "alice", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["score"] == 0 and report["summary"]["not_attempted"] == N


def bad(runner, tmp_path, text: str | bytes):
    path = tmp_path / "answers.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return grade(runner, path, "alice")


def test_malformed_toml_is_one_clear_line_and_exit_2(runner, tmp_path):
    result = bad(runner, tmp_path, "[answers]\nd004_digits = \"c\nd000_forward = 1\n")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not valid TOML" in lines[0] and "line 2" in lines[0]
    assert "Traceback" not in result.stderr


def test_unreadable_files_exit_2(runner, tmp_path):
    not_utf8 = bad(runner, tmp_path, b"[answers]\nd004_digits = \"\xff\"\n")
    assert not_utf8.exit_code == 2 and "UTF-8" in not_utf8.stderr
    missing = grade(runner, tmp_path / "nope.toml", "alice")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    folder = grade(runner, tmp_path, "alice")
    assert folder.exit_code == 2 and "Traceback" not in folder.output


def test_one_message_per_problem_unknown_ids_and_wrong_types(runner, tmp_path):
    result = bad(runner, tmp_path, "\n".join([
        "student = 3", "extra = 1", "[answers]",
        'd000_forward = "0.4"',            # a number in quotes
        "d004_digits = 3",                 # not a letter
        'd004_two_relus = "z"',            # not an option
        'd004_overfitting = "ab"',         # two letters for one choice
        "d004_relu_pros = [1, 2]",         # not letters
        "d003_sigmoid_grad_s = 0.25",      # a formula must be text
        "d003_sigmoid = true",             # a boolean is not a number
        "no_such_question = 1", ""]))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 10, lines
    for expected in ("student", "extra", "d000_forward", "d004_digits", "d004_two_relus",
                     "d004_overfitting", "d004_relu_pros", "d003_sigmoid_grad_s",
                     "d003_sigmoid", "no_such_question"):
        assert sum(expected in line for line in lines) >= 1, expected
    assert "Traceback" not in result.stderr


def test_problems_are_reported_in_chinese_too(runner, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text("[answers]\nno_such_question = 1\n")
    result = runner.invoke(cli, ["quiz", "grade", str(path), "--student", "a", "--lang", "zh"])
    assert result.exit_code == 2 and "未知的题号" in result.stderr


def test_a_wrong_formula_is_a_wrong_answer_not_a_file_problem(runner, tmp_path):
    path = key_file(runner, tmp_path, "alice")
    text = path.read_text().replace('d003_sigmoid_grad_s = "s*(1 - s)"',
                                    'd003_sigmoid_grad_s = "__import__(\'os\')"')
    path.write_text(text)
    result = grade(runner, path, "alice")
    assert result.exit_code == 1 and f"{N - 1}/{N}" in result.stdout


def test_check_includes_the_quiz_of_a_workspace(runner, tmp_path):
    ws = tmp_path / "alice"
    shutil.copytree(SOLUTIONS, ws)
    key_file(runner, tmp_path, "bob").rename(ws / "answers.toml")
    result = runner.invoke(cli, ["check", str(ws), "--student", "bob", "--format", "json"])
    assert result.exit_code == 0, result.output
    quiz = json.loads(result.stdout)["exercises"][-1]
    assert quiz["id"] == "quiz" and quiz["score"] == quiz["max_score"] == N
    assert "bob" in quiz["title"] and "--student" not in quiz["title"]
    only = runner.invoke(cli, ["check", str(ws), "-e", "ex01_forward", "--format", "json"])
    assert [e["id"] for e in json.loads(only.stdout)["exercises"]] == ["ex01_forward"]


def test_without_student_the_workspace_folder_names_the_student(runner, tmp_path):
    from mlgrade.quiz.grading import for_workspace

    ws = tmp_path / "alice"
    ws.mkdir()
    assert for_workspace(str(ws)) is None                       # no answers.toml, no quiz
    key_file(runner, tmp_path, "alice").rename(ws / "answers.toml")
    quiz = for_workspace(str(ws))
    assert quiz.score == quiz.max_score == N
    assert "alice" in quiz.title and "--student" in quiz.title  # says where the id came from
    assert for_workspace(str(ws), "bob").score < N


def test_a_broken_answers_file_is_the_quizs_error_in_check(tmp_path):
    from mlgrade.quiz.grading import for_workspace

    (tmp_path / "answers.toml").write_text("[answers\n")
    quiz = for_workspace(str(tmp_path), "alice")
    (check,) = quiz.checks
    assert check.status.value == "error" and "not valid TOML" in check.message
    assert quiz.score == 0 and quiz.max_score == N


def test_take_needs_a_student_and_keeps_to_the_files_student(runner, tmp_path):
    missing = runner.invoke(cli, ["quiz", "take", "--answers", str(tmp_path / "a.toml")])
    assert missing.exit_code == 2 and "--student" in missing.stderr
    path = key_file(runner, tmp_path, "alice")
    other = runner.invoke(cli, ["quiz", "take", "--answers", str(path), "--student", "bob"])
    assert other.exit_code == 2 and "--student alice" in other.stderr
    before = path.read_text()
    done = runner.invoke(cli, ["quiz", "take", "--answers", str(path)])   # the file's student
    assert done.exit_code == 0 and f"{N}/{N}" in done.stdout
    assert path.read_text() == before


def test_take_without_a_terminal_stops_at_the_end_of_input(runner, tmp_path):
    path = tmp_path / "a.toml"
    from mlgrade.quiz.bank import BY_ID
    first = BY_ID["d000_forward"].key("alice")
    result = runner.invoke(cli, ["quiz", "take", "--student", "alice", "--answers", str(path)],
                           input=f"{first}\n")
    assert result.exit_code == 130 and "Stopped. 1 of" in result.stdout
    assert "d000_forward = " in path.read_text()


def test_ci_formats_where_the_package_has_them(runner, tmp_path):
    from mlgrade.cli_quiz import CI_FORMATS

    if not CI_FORMATS:
        import pytest
        pytest.skip("this mlgrade has no junit/gradescope formats")
    path = key_file(runner, tmp_path, "alice")
    junit = grade(runner, path, "alice", "--format", "junit")
    assert junit.exit_code == 0 and "<testsuite" in junit.stdout
    assert junit.stdout.count("<testcase ") == N and 'failures="0"' in junit.stdout
    gradescope = grade(runner, path, "bob", "--format", "gradescope")
    data = json.loads(gradescope.stdout)
    assert gradescope.exit_code == 1 and 0 < data["score"] < N
