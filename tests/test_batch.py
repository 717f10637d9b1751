"""`mlgrade grade` and `mlgrade merge`: small classes graded by the real CLI in subprocesses.

Each class is a few copies of solutions/ (some with a mistaken or hostile module), graded
on two or three exercises with a short timeout, so that each test takes seconds.
"""
import csv
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mlgrade import sandbox
from mlgrade.batch import shard_of, student_seed, tree_digest
from mlgrade.cli import cli

from conftest import SOLUTIONS

ISOLATION = "sandbox" if sandbox.sandbox_available() else "process"
EXERCISES = ["-e", "ex01_forward", "-e", "ex02_mse"]
FAST = [*EXERCISES, "--timeout", "2", "--isolation", ISOLATION]

FORGOT_BIAS = """
    import numpy as np
    def predict(w, x, b):
        y = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
        return float(y) if np.ndim(y) == 0 else y
    """
LOOPS = """
    def mse(y_true, y_pred):
        while True: pass
    def mae(y_true, y_pred):
        while True: pass
    """
HOSTILE = """
    import os, signal
    def fill(folder):
        try:
            with open(os.path.join(folder, "fill"), "wb") as f:
                while True:
                    f.write(b"x" * (1 << 20))
        except OSError:
            pass
    fill("/tmp"); fill(os.getcwd())
    for _ in range(3):
        if os.fork() == 0:
            signal.pause()
    def mse(y_true, y_pred):
        os.killpg(0, signal.SIGKILL)
    def mae(y_true, y_pred):
        os.kill(os.getpid(), signal.SIGKILL)
    """


def make_class(root: Path, **students: dict[str, str]) -> Path:
    """root/subs/<student>: a copy of solutions/ with some modules replaced by source."""
    subs = root / "subs"
    for student, modules in students.items():
        shutil.copytree(SOLUTIONS, subs / student)
        for module, source in modules.items():
            (subs / student / f"{module}.py").write_text(textwrap.dedent(source))
    return subs


def mlgrade(*args, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlgrade", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=240, **kwargs)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def checks_of(report: dict) -> dict[str, tuple]:
    return {c["id"]: (c["status"], c["points"]) for e in report["exercises"]
            for c in e["checks"]}


def test_grade_writes_gradebook_and_reports_that_replay_with_check(tmp_path, runner):
    subs = make_class(tmp_path, ann={}, ben={"ex01_forward": FORGOT_BIAS},
                      cat={"ex02_mse": LOOPS}, dan={"ex02_mse": HOSTILE})
    before = {s: tree_digest(str(subs / s)) for s in ("ann", "ben")}
    done = mlgrade("grade", "subs", "--output", "grades.csv", "--reports", "reports",
                   "--jobs", "2", "--seed", "5", *FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in read_csv(tmp_path / "grades.csv")}
    assert list(read_csv(tmp_path / "grades.csv")[0]) == [
        "student", "score", "max_score", "ex01_forward", "ex02_mse", "error"]
    assert sorted(rows) == ["ann", "ben", "cat", "dan"]
    assert rows["ann"]["score"] == rows["ann"]["max_score"] and rows["ann"]["error"] == ""
    assert rows["ben"]["ex01_forward"] == "0" and rows["ben"]["ex02_mse"] != "0"
    assert rows["cat"]["ex02_mse"] == "0" and rows["dan"]["ex02_mse"] == "0"
    assert rows["cat"]["ex01_forward"] == rows["dan"]["ex01_forward"] == rows["ann"]["ex01_forward"]
    assert {s: tree_digest(str(subs / s)) for s in ("ann", "ben")} == before
    assert "mean score" in done.stdout and "failed to grade: 0" in done.stdout
    seeds = set()
    for student, row in rows.items():
        report = json.loads((tmp_path / "reports" / f"{student}.json").read_text())
        assert report["student"] == student and report["workspace"] == f"subs/{student}"
        assert report["seed"] == student_seed(student, 5)
        seeds.add(report["seed"])
        single = runner.invoke(cli, ["check", str(subs / student), "--seed", str(report["seed"]),
                                     "--format", "json", *FAST])
        alone = json.loads(single.output)
        assert checks_of(alone) == checks_of(report), student
        assert float(row["score"]) == alone["score"] == report["score"]
    assert len(seeds) == 4


CRASH_GRADER = """
import os
import signal

import pytest


@pytest.mark.mlgrade(exercise="ex01_forward", points=1)
def test_crashes_the_grading_process_on_666(mlgrade_workspace):
    if mlgrade_workspace["ex01_forward"].predict([1.0], [1.0], 0.0) == 666:
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_submission_that_kills_its_grading_process_is_recorded_and_the_batch_goes_on(
        tmp_path):
    make_class(tmp_path, ann={}, bob={"ex01_forward": "def predict(w, x, b):\n    return 666\n"},
               cat={})
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "test_crash.py").write_text(CRASH_GRADER)
    done = mlgrade("grade", "subs", "--output", "g.csv", "--reports", "r", "--jobs", "1",
                   "--checks", "checks", *FAST, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    rows = {r["student"]: r for r in read_csv(tmp_path / "g.csv")}
    assert rows["bob"]["score"] == "" and "grading process ended" in rows["bob"]["error"]
    assert rows["ann"]["score"] == rows["ann"]["max_score"] != ""
    assert rows["cat"]["score"] == rows["cat"]["max_score"] != ""
    assert "failed to grade: 1" in done.stdout and "bob: the grading process ended" in done.stdout
    assert "error" in json.loads((tmp_path / "r" / "bob.json").read_text())


def test_resume_regrades_only_what_changed(tmp_path):
    subs = make_class(tmp_path, ann={}, ben={}, cat={})
    args = ["grade", "subs", "--output", "g.csv", "--reports", "r", "--jobs", "2", *FAST]
    assert mlgrade(*args, cwd=tmp_path).returncode == 0
    stats = {s: os.stat(tmp_path / "r" / f"{s}.json").st_ino for s in ("ann", "ben", "cat")}
    (subs / "ben" / "ex01_forward.py").write_text(textwrap.dedent(FORGOT_BIAS))
    again = mlgrade(*args, "--resume", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "(2 kept from earlier runs)" in again.stdout
    assert os.stat(tmp_path / "r" / "ann.json").st_ino == stats["ann"]
    assert os.stat(tmp_path / "r" / "cat.json").st_ino == stats["cat"]
    assert os.stat(tmp_path / "r" / "ben.json").st_ino != stats["ben"]
    rows = {r["student"]: r for r in read_csv(tmp_path / "g.csv")}
    assert rows["ben"]["ex01_forward"] == "0" and rows["ann"]["ex01_forward"] != "0"
    other_seed = mlgrade(*args, "--resume", "--seed", "9", cwd=tmp_path)
    assert "(0 kept from earlier runs)" in other_seed.stdout


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if entry.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    return out


def test_ctrl_c_keeps_the_finished_students_and_exits_130(tmp_path):
    make_class(tmp_path, a1={}, a2={}, z9={"ex01_forward": "while True: pass\n",
                                           "ex02_mse": "while True: pass\n"})
    args = [sys.executable, "-m", "mlgrade", "grade", "subs", "--output", "g.csv",
            "--reports", "r", "--jobs", "1", *EXERCISES, "--timeout", "20",
            "--isolation", ISOLATION]
    # Ctrl-C's default action, even where this test runs with SIGINT ignored (e.g. started
    # in the background by a shell without job control, which children inherit)
    batch = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (tmp_path / "r" / "a2.json").exists():
        time.sleep(0.1)
    time.sleep(0.5)     # z9 is being graded now: its imports loop
    slots = children(batch.pid)
    assert slots and batch.poll() is None
    batch.send_signal(signal.SIGINT)
    out, err = batch.communicate(timeout=30)
    assert batch.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert [r["student"] for r in read_csv(tmp_path / "g.csv")] == ["a1", "a2"]
    assert not [p for p in tmp_path.rglob(".mlgrade-*")]
    time.sleep(0.5)
    assert not [p for p in slots if Path(f"/proc/{p}").exists()
                and "Z" not in Path(f"/proc/{p}/stat").read_text().split(")")[1][:3]]
    for module in ("ex01_forward", "ex02_mse"):    # z9 mends the loops; a1, a2 are kept
        shutil.copy(SOLUTIONS / f"{module}.py", tmp_path / "subs" / "z9" / f"{module}.py")
    resumed = mlgrade(*args[3:], "--resume", cwd=tmp_path)
    assert "graded 3 of 3 students (2 kept from earlier runs)" in resumed.stdout, resumed.stderr
    assert [r["student"] for r in read_csv(tmp_path / "g.csv")] == ["a1", "a2", "z9"]


def test_shards_are_disjoint_and_stable():
    ids = [f"s{i:03d}" for i in range(200)]
    parts = [{s for s in ids if shard_of(s, 3) == k} for k in range(3)]
    assert set.union(*parts) == set(ids) and sum(map(len, parts)) == len(ids)
    assert all(len(p) > 40 for p in parts)
    assert parts[0] == {s for s in ids if shard_of(s, 3) == 0}


def without_seconds(report: dict) -> dict:
    for e in report["exercises"]:
        e.pop("seconds")
    return report


def test_merged_shards_equal_one_unsharded_run(tmp_path):
    make_class(tmp_path, ann={}, ben={"ex01_forward": FORGOT_BIAS}, cat={}, dan={}, eve={})
    base = ["grade", "subs", "--jobs", "2", "--seed", "3", *FAST]
    assert mlgrade(*base, "--output", "all.csv", "--reports", "all", cwd=tmp_path).returncode == 0
    for k in (1, 2):
        done = mlgrade(*base, "--shard", f"{k}/2", "--output", f"g{k}.csv", "--reports", f"r{k}",
                       cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert len(read_csv(tmp_path / "g1.csv")) + len(read_csv(tmp_path / "g2.csv")) == 5
    merged = mlgrade("merge", "g1.csv", "g2.csv", "r1", "r2", "--output", "merged.csv",
                     "--reports", "merged", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "merged.csv").read_text() == (tmp_path / "all.csv").read_text()
    for student in ("ann", "ben", "cat", "dan", "eve"):
        one = json.loads((tmp_path / "all" / f"{student}.json").read_text())
        joined = json.loads((tmp_path / "merged" / f"{student}.json").read_text())
        assert without_seconds(joined) == without_seconds(one)
    from_reports = mlgrade("merge", "r1", "r2", "--output", "fromreports.csv", "--reports",
                           "joined", cwd=tmp_path)
    assert from_reports.returncode == 0, from_reports.stderr
    assert (tmp_path / "fromreports.csv").read_text() == (tmp_path / "all.csv").read_text()
    other = json.loads((tmp_path / "r1" / os.listdir(tmp_path / "r1")[0]).read_text())
    other["checks_digest"] = "0" * 64
    (tmp_path / "r3").mkdir()
    (tmp_path / "r3" / "zed.json").write_text(json.dumps({**other, "student": "zed"}))
    mixed = mlgrade("merge", "r1", "r2", "r3", "--output", "x.csv", "--reports", "x",
                    cwd=tmp_path)
    assert mixed.returncode == 2 and "another batch" in mixed.stderr
    clash = mlgrade("merge", "g1.csv", "all.csv", "--output", "x.csv", cwd=tmp_path)
    assert clash.returncode == 0      # same rows twice are the same grades
    text = (tmp_path / "all.csv").read_text()
    (tmp_path / "bad.csv").write_text(text.replace("\nann,", "\nann,1"))   # ann: other grades
    bad = mlgrade("merge", "bad.csv", "all.csv", "--output", "x.csv", cwd=tmp_path)
    assert bad.returncode == 2 and "student ann is also in" in bad.stderr


@pytest.mark.parametrize("args, says", [
    (["--resume"], "--resume needs --reports"),
    (["--shard", "3/2"], "not a shard K/N"),
    (["--shard", "x"], "not a shard K/N"),
    (["--output", "missing/g.csv"], "does not exist"),
])
def test_usage_errors_are_one_line(tmp_path, runner, args, says):
    make_class(tmp_path, ann={})
    out = ["--output", str(tmp_path / "g.csv")] if "--output" not in args else []
    result = runner.invoke(cli, ["grade", str(tmp_path / "subs"), *out, *args])
    assert result.exit_code == 2 and says in result.output, result.output
    assert not (tmp_path / "g.csv").exists() or "--resume" not in args


def test_progress_bar_on_a_terminal_only(tmp_path):
    make_class(tmp_path, ann={}, ben={})
    args = [sys.executable, "-m", "mlgrade", "grade", "subs", "--output", "g.csv", "--jobs", "2",
            *FAST]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    piped = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert piped.returncode == 0 and "grading" not in piped.stderr and "\r" not in piped.stderr
    leader, follower = pty.openpty()
    shown = subprocess.run(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, env=env,
                           timeout=120)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert shown.returncode == 0
    text = screen.decode()
    assert "grading" in text and "2/2" in text and "/s, last" in text


LAZY = """
import sys
from mlgrade.cli import main
sys.argv = ["mlgrade", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = [m for m in sys.modules if m == "pytest" or m.startswith("mlgrade.catalog.ex")
          or m in ("mlgrade.runner", "mlgrade.plugin")]
print("LOADED", loaded, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["hint", "ex05_sigmoid"], ["grade", "--help"],
                                  ["merge", "--help"], ["check", "--help"]])
def test_commands_that_grade_nothing_import_neither_pytest_nor_the_checks(args):
    done = subprocess.run([sys.executable, "-c", LAZY, *args], capture_output=True, text=True,
                          env={**os.environ, "MLGRADE_LANG": "en"})
    assert "LOADED []" in done.stderr, done.stderr[-500:]


def test_a_gradebook_that_cannot_be_written_is_an_internal_error_in_one_line(tmp_path, runner):
    make_class(tmp_path, ann={})
    result = runner.invoke(cli, ["grade", str(tmp_path / "subs"), "--output", "/proc/g.csv",
                                 *FAST])
    assert result.exit_code == 3 and "internal error of mlgrade" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["list"], ["errata"]])
def test_list_and_errata_read_the_catalog_but_never_import_pytest(args):
    """Their rows come from the catalog's declarations (the single source), not from pytest."""
    done = subprocess.run([sys.executable, "-c", LAZY, *args], capture_output=True, text=True,
                          env={**os.environ, "MLGRADE_LANG": "en"})
    loaded = done.stderr.split("LOADED", 1)[1]
    assert "pytest" not in loaded and "runner" not in loaded and "plugin" not in loaded, loaded


def test_grade_includes_the_quiz_of_a_workspace_with_answers(tmp_path, runner):
    """Graded on every exercise, a workspace's answers.toml is graded as the quiz, under the
    student id of the folder: alice's own key scores full, the same key in bob's folder
    does not (his randomized numbers differ), and each equals a single `mlgrade check`."""
    subs = make_class(tmp_path, alice={}, bob={})
    key = runner.invoke(cli, ["quiz", "key", "--student", "alice"])
    assert key.exit_code == 0, key.output
    for student in ("alice", "bob"):
        (subs / student / "answers.toml").write_text(key.stdout)
    done = mlgrade("grade", "subs", "--output", "grades.csv", "--reports", "reports",
                   "--jobs", "2", "--isolation", ISOLATION, "--report-format", "gradescope",
                   "--report-format", "junit", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in read_csv(tmp_path / "grades.csv")}
    for student in ("alice", "bob"):        # the CI formats beside each JSON report
        results = json.loads((tmp_path / "reports/gradescope" / f"{student}.json").read_text())
        assert results["score"] == float(rows[student]["score"])
        assert (tmp_path / "reports/junit" / f"{student}.xml").read_text().startswith("<?xml")
    quiz = {}
    for student in ("alice", "bob"):
        report = json.loads((tmp_path / "reports" / f"{student}.json").read_text())
        quiz[student] = next(e for e in report["exercises"] if e["id"] == "quiz")
        assert rows[student]["quiz"] == f"{quiz[student]['score']:g}"
        single = runner.invoke(cli, ["check", str(subs / student), "--seed", str(report["seed"]),
                                     "--format", "json", "--isolation", ISOLATION])
        assert json.loads(single.stdout)["score"] == report["score"], student
    assert quiz["alice"]["score"] == quiz["alice"]["max_score"]
    assert 0 < quiz["bob"]["score"] < quiz["bob"]["max_score"]
