"""`mlgrade quiz take` driven through a real terminal: tmux new-session, send-keys, capture-pane."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from mlgrade.catalog import ex04_update
from mlgrade.quiz import answers
from mlgrade.quiz.bank import BY_ID, QUESTIONS

TMUX, BASH = shutil.which("tmux"), shutil.which("bash")
pytestmark = pytest.mark.skipif(not (TMUX and BASH),
                                reason="tmux is not installed (apt-get install tmux)")
N = len(QUESTIONS)


class Terminal:
    """One tmux server of its own (its own socket), one window running a command."""

    def __init__(self, name: str):
        self.socket = f"mlgrade-test-{os.getpid()}-{name}"

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.socket, *args], check=True, text=True,
                              capture_output=True, timeout=30).stdout

    def start(self, *args: str) -> None:
        # bash prints the exit code (a quiz stopped by Ctrl-C exits normally with 130, so
        # bash goes on); remain-on-exit keeps the pane and its text after the end.
        command = shlex.join([sys.executable, "-m", "mlgrade", *args])
        self.tmux("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                  "new-session", "-d", "-x", "160", "-y", "50", BASH, "--norc", "-c",
                  f'{command}; echo "[exit $?]"')

    def exit_code(self, timeout: float = 60) -> int:
        """The quiz's exit code, once it has ended."""
        screen = self.wait_for("[exit ", timeout)
        return int(re.search(r"\[exit (\d+)\]", screen)[1])

    def type(self, text: str) -> None:
        if text:
            self.tmux("send-keys", "-l", "--", text)
        self.tmux("send-keys", "Enter")

    def interrupt(self) -> None:
        self.tmux("send-keys", "C-c")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-2000")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The screen once `text` appears on it (generous: the machine may be busy)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture
def terminal():
    made = []

    def make(name: str) -> Terminal:
        made.append(Terminal(name))
        return made[-1]
    yield make
    for term in made:
        term.close()


def typed_key(qid: str, student: str) -> str:
    """The key's answer as a student would type it."""
    value = BY_ID[qid].key(student)
    return ",".join(value) if isinstance(value, list) else str(value)


def take(term: Terminal, path, student: str, lang: str) -> None:
    term.start("quiz", "take", "--student", student, "--answers", str(path), "--lang", lang)


def test_answers_feedback_interruption_and_resume_in_english(terminal, tmp_path):
    path = tmp_path / "answers.toml"
    term = terminal("en")
    take(term, path, "alice", "en")
    term.wait_for("[1/")
    term.type(typed_key("d000_forward", "alice"))
    term.wait_for("Right.")
    p = BY_ID["d000_gradient"].params("alice")
    term.type(str(2 * (p["y"] - p["yhat"]) * p["x1"]))          # the sign flipped
    term.wait_for("[sign-flipped]")
    term.type("not a number")
    term.wait_for("a number is expected")
    term.type("")                                              # Enter: skip d000_update
    term.wait_for("Skipped")
    term.type(str(ex04_update.PRINTED[2]["y_pred"]))           # the document's wrong 2.60
    term.wait_for("[document-erratum]")
    term.wait_for("[5/")
    term.interrupt()
    assert term.exit_code() == 130
    screen = term.screen()
    assert "Stopped. 3 of" in screen and "Traceback" not in screen
    saved, student = answers.read(str(path))
    assert student == "alice"
    assert set(saved) == {"d000_forward", "d000_gradient", "d000_epoch_2"}
    assert saved["d000_epoch_2"] == 2.6

    again = terminal("en-again")
    take(again, path, "alice", "en")
    screen = again.wait_for("[3/")                              # the skipped one comes first
    assert "3 already answered" in screen and "[1/" not in screen
    again.type(typed_key("d000_update", "alice"))
    again.wait_for("Right.")
    again.wait_for("[5/")
    again.interrupt()
    assert again.exit_code() == 130
    assert len(answers.read(str(path))[0]) == 4


def test_a_whole_quiz_typed_in_chinese_grades_full(terminal, tmp_path, runner):
    from mlgrade.cli import cli

    path = tmp_path / "answers.toml"
    term = terminal("zh")
    take(term, path, "学生42", "zh")
    screen = term.wait_for("[1/")
    assert "前向传播" in screen and "你的答案" in screen
    for q in QUESTIONS:                        # typed ahead: the terminal buffers the lines
        term.type(typed_key(q.id, "学生42"))
    assert term.exit_code() == 0
    screen = term.screen()
    assert f"得分：{N}/{N}" in screen and "不正确" not in screen
    result = runner.invoke(cli, ["quiz", "grade", str(path), "--student", "学生42"])
    assert result.exit_code == 0, result.output

    done = terminal("zh-done")
    take(done, path, "学生42", "zh")
    assert done.exit_code() == 0
    assert f"全部 {N} 题都已作答" in done.screen()


def test_a_broken_answers_file_is_left_alone(terminal, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text("[answers\n")
    term = terminal("broken")
    take(term, path, "alice", "en")
    assert term.exit_code() == 2
    screen = term.screen()
    assert "not valid TOML" in screen and "Traceback" not in screen
    assert path.read_text() == "[answers\n"
