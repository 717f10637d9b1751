"""A student graded in a batch's warm sandbox cannot reach the next student graded in it.

Each test grades a hostile student, then a correct one, in the same staged sandbox (as a
grading process of `mlgrade grade` does): the second must get full marks and find nothing
of the first.  What a worker can change outside itself: the zygote's inherited state
(it runs as the same user), the scratch folders' own mode and attributes, POSIX message
queues and keys (which outlive processes), and the workspace copied into the stage.
"""
import json
import os
import platform
import subprocess
import sys
import textwrap
import time

import pytest

from mlgrade import sandbox, zygote
from mlgrade.sandbox import Limits

from conftest import SOLUTIONS, failing, grade

LIMITS = Limits(timeout=3, memory_mb=512)
CORRECT = """
    import ctypes, os
    import numpy as np
    def predict(w, x, b):
        {}
        return np.asarray(x) @ np.asarray(w) + b
    """


def first_then_second(tmp_path, first: str, second: str):
    """Grade two students' ex01 one after the other; the second's report."""
    for name, source in (("first", first), ("second", second)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ex01_forward.py").write_text(textwrap.dedent(source))
    grade(tmp_path / "first", modules=["ex01_forward"], limits=LIMITS, isolation="sandbox")
    return grade(tmp_path / "second", modules=["ex01_forward"], limits=LIMITS,
                 isolation="sandbox")


def full_marks(report) -> None:
    ex = report.exercises[0]
    assert ex.score == ex.max_score, failing(report)


SETS_THE_ZYGOTE = """
    import os, resource
    zygote = os.getppid()
    {}
    def predict(w, x, b):
        return 0.0
    """
INHERITS_NOTHING = CORRECT.format(
    "assert (os.getpriority(os.PRIO_PROCESS, 0), os.sched_getscheduler(0)) == (0, 0)\n"
    "        assert os.sched_getaffinity(0) == {cpus}")


@pytest.mark.parametrize("attack", [
    "resource.prlimit(zygote, resource.RLIMIT_AS, (100 << 20, 100 << 20))",
    "resource.prlimit(zygote, resource.RLIMIT_CPU, (2, 2))",
    "os.setpriority(os.PRIO_PROCESS, zygote, 19)",
    "os.sched_setscheduler(zygote, os.SCHED_IDLE, os.sched_param(0))",
    "os.sched_setaffinity(zygote, {min(os.sched_getaffinity(0))})",
])
def test_what_a_student_sets_on_the_zygote_is_not_inherited_by_the_next(
        tmp_path, staged, attack):
    cpus = os.sched_getaffinity(0)
    report = first_then_second(tmp_path, SETS_THE_ZYGOTE.format(attack),
                               INHERITS_NOTHING.replace("{cpus}", repr(cpus)))
    full_marks(report)


LOCKS_THE_SCRATCH = r"""
    import os, struct
    for folder in ("/scratch", "/tmp"):
        os.makedirs(f"{folder}/locked/deeper")
        open(f"{folder}/locked/deeper/answers", "w").write("the first student's")
        os.chmod(f"{folder}/locked/deeper", 0)
        os.chmod(f"{folder}/locked", 0o500)
    os.setxattr("/scratch", "user.answers", b"the first student's")
    # a default ACL of no permissions: the files the next student makes there are unusable
    acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, 0, 0xffffffff)
                                          for tag in (1, 4, 0x20))
    try:
        os.setxattr("/tmp", "system.posix_acl_default", acl)
    except OSError:
        pass                               # a tmpfs without ACLs
    os.chmod("/scratch", 0o500)
    def predict(w, x, b):
        return 0.0
    """
WRITES_SCRATCH = CORRECT.format("""for folder in ("/scratch", "/tmp"):
            assert "locked" not in os.listdir(folder) and not os.listxattr(folder), folder
            os.makedirs(f"{folder}/cache", exist_ok=True)     # as matplotlib does on import
            open(f"{folder}/cache/fonts", "w").write("x")""")


def test_the_scratch_folders_come_back_as_new_for_the_next_student(tmp_path, staged):
    report = first_then_second(tmp_path, LOCKS_THE_SCRATCH, WRITES_SCRATCH)
    full_marks(report)
    assert not staged.broken           # restored, not given up


KEEPS_A_QUEUE_AND_KEYS = """
    import ctypes, os
    libc = ctypes.CDLL(None)
    rt = ctypes.CDLL("librt.so.1")
    assert rt.mq_open(b"/answers", os.O_CREAT | os.O_RDWR, 0o666, None) >= 0
    for keyring in (-3, -4, -5):           # session, user and user-session keyrings
        assert libc.syscall(248, b"user", b"answers", b"x", 1, keyring) > 0    # add_key
    persistent = libc.syscall(250, 22, -1, -4)                                # get_persistent
    if persistent > 0:
        libc.syscall(248, b"user", b"answers", b"x", 1, persistent)
    os.chmod("/dev/mqueue", 0)
    def predict(w, x, b):
        return 0.0
    """
FINDS_NO_QUEUE_OR_KEY = CORRECT.format("""libc = ctypes.CDLL(None)
        assert ctypes.CDLL("librt.so.1").mq_open(b"/answers", os.O_RDONLY) == -1, "queue"
        persistent = libc.syscall(250, 22, -1, -3)
        for keyring in (-3, -4, -5, persistent):
            if keyring != -1:                                                 # keyctl_search
                assert libc.syscall(250, 10, keyring, b"user", b"answers", 0) == -1, keyring""")


MQUEUE = "mqueue" in open("/proc/filesystems").read()


@pytest.mark.skipif(platform.machine() != "x86_64" or not MQUEUE,
                    reason="system call numbers of x86_64; POSIX message queues")
def test_queues_and_keys_of_a_student_are_gone_for_the_next(tmp_path, staged):
    report = first_then_second(tmp_path, KEEPS_A_QUEUE_AND_KEYS, FINDS_NO_QUEUE_OR_KEY)
    full_marks(report)
    assert not staged.broken           # removed, not given up


def test_a_workspace_too_deep_to_stage_costs_only_its_own_student(tmp_path, staged):
    deep = tmp_path / "first"
    deep.mkdir()
    (deep / "ex01_forward.py").write_text("def predict(w, x, b):\n    return 0.0\n")
    folders = [str(deep)]
    for _ in range(1100):              # deeper than Python's recursion limit
        folders.append(os.path.join(folders[-1], "d"))
        os.mkdir(folders[-1])
    try:
        first = grade(deep, modules=["ex01_forward"], limits=LIMITS, isolation="sandbox")
    finally:
        for folder in reversed(folders[1:]):     # (too deep for pytest's rmtree too)
            os.rmdir(folder)
    assert first.exercises[0].score == 0
    (tmp_path / "second").mkdir()
    (tmp_path / "second" / "ex01_forward.py").write_text(textwrap.dedent(CORRECT.format("")))
    full_marks(grade(tmp_path / "second", modules=["ex01_forward"], limits=LIMITS,
                     isolation="sandbox"))


def test_the_staged_copy_is_readable_by_no_other_user_of_the_machine(tmp_path, staged):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "ex01_forward.py").write_text(textwrap.dedent(CORRECT.format("")))
    zygote.stage(str(tmp_path / "ws"), staged.workspace)
    copy = os.path.join(staged.workspace, "ex01_forward.py")
    assert open(copy).read() == (tmp_path / "ws" / "ex01_forward.py").read_text()
    another_user = os.getuid() + 4321 if os.getuid() else 4321
    assert not sandbox.reachable(copy, another_user)      # e.g. a classmate on the server
    full_marks(grade(tmp_path / "ws", modules=["ex01_forward"], limits=LIMITS,
                     isolation="sandbox"))                # while the sandbox's user reads it
    assert not staged.broken and staged.process.uid == (sandbox.NOBODY if os.getuid() == 0
                                                         else None)


def test_a_staged_sandbox_given_up_is_replaced_for_the_next_students(tmp_path, staged):
    report = first_then_second(tmp_path, SETS_THE_ZYGOTE.format(
        "resource.prlimit(zygote, resource.RLIMIT_NOFILE, (16, 16))"), CORRECT.format(""))
    full_marks(report)
    assert staged.broken
    assert zygote._warm["staged"] is not staged and not zygote._warm["staged"].broken
    (tmp_path / "third").mkdir()
    (tmp_path / "third" / "ex01_forward.py").write_text(textwrap.dedent(CORRECT.format("")))
    full_marks(grade(tmp_path / "third", modules=["ex01_forward"], limits=LIMITS,
                     isolation="sandbox"))
    assert not zygote._warm["staged"].broken


def test_signals_of_a_student_do_not_reach_the_zygote(tmp_path, staged):
    """kill(-1), SIGSTOP and SIGKILL of the zygote: the staged sandbox stays in use."""
    report = first_then_second(tmp_path, SETS_THE_ZYGOTE.format(
        "import signal\n"
        "    for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):\n"
        "        os.kill(zygote, sig)\n"
        "    os.kill(-1, signal.SIGKILL)"), CORRECT.format(""))
    full_marks(report)
    assert not staged.broken and zygote._warm["staged"] is staged


PINS_SHARED_MEMORY = """
import ctypes
_libc = ctypes.CDLL(None)
_libc.shmat.restype = ctypes.c_void_p
_segment = _libc.shmget(0, 150 << 20, 0o1600)          # IPC_PRIVATE, IPC_CREAT
_address = _libc.shmat(_segment, None, 0)
ctypes.memset(_address, 1, 150 << 20)                   # charged to this worker's cgroup
_libc.shmdt(ctypes.c_void_p(_address))                  # and left when the worker ends
"""
FINDS_NO_SEGMENT = """
def mse_grad_pred(*args):
    left = open("/proc/sysvipc/shm").read().splitlines()[1:]
    raise RuntimeError(f"{len(left)} segments left")
"""


def test_shared_memory_of_ended_workers_does_not_add_up_past_the_memory_limit(workspace):
    """Two exercises each leave 150 MB of System V shared memory (their limit: 256 MB):
    the third finds none, rather than 300 MB held outside every worker's limit."""
    ws = workspace(**{m: (SOLUTIONS / f"{m}.py").read_text() + PINS_SHARED_MEMORY
                      for m in ("ex01_forward", "ex02_mse")})
    with open(ws / "ex03_chain_rule.py", "a") as f:
        f.write(FINDS_NO_SEGMENT)
    report = grade(ws, modules=["ex01_forward", "ex02_mse", "ex03_chain_rule"],
                   limits=Limits(timeout=3, memory_mb=256), isolation="sandbox")
    messages = [c.message for c in report.exercises[2].checks if not c.passed]
    assert messages and all(m.endswith(": 0 segments left") for m in messages), messages
    assert [e.score for e in report.exercises[:2]] == [5, 9], failing(report)


SWAPS = """
import ctypes, sys
libc = ctypes.CDLL(None)
while True:            # renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
    libc.syscall(316, -100, sys.argv[1].encode(), -100, sys.argv[2].encode(), 2)
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="system call number of x86_64")
def test_staging_follows_no_link_swapped_in_while_it_copies(tmp_path):
    """A user of the machine (the student, on a shared server) swaps a folder of the
    workspace with a link to a folder of root's while root stages it: no copy may write
    into that folder or read from it."""
    victim, ws, copy = tmp_path / "victim", tmp_path / "ws", tmp_path / "copy"
    for folder in (victim, ws / "sub", copy):
        folder.mkdir(parents=True)
    (victim / "secret").write_text("root's")
    (ws / "sub" / "secret").write_text("the student's")
    (ws / "sub" / "written").write_text("the student's")
    for i in range(50):                      # time between the folder's listing and its copy
        (ws / f"f{i:02}.py").write_text("x" * 1000)
    os.symlink(victim, ws / "alt")
    swapper = subprocess.Popen([sys.executable, "-c", SWAPS, ws / "sub", ws / "alt"])
    try:
        for _ in range(60):
            try:
                zygote.stage(str(ws), str(copy))
            except (OSError, zygote.StageError):
                continue                     # refused: the student's own loss
            assert sorted(os.listdir(victim)) == ["secret"]
            for secret in (copy / "sub" / "secret", copy / "alt" / "secret"):
                if not secret.parent.is_symlink() and secret.exists():
                    assert secret.read_text() == "the student's"
    finally:
        swapper.kill()
        swapper.wait()


HIDES = """
import ctypes, threading, time
threading.Thread(target=time.sleep, args=(60,)).start()
ctypes.CDLL(None).syscall(60, 0)       # exit(2) of the main thread only: the leader is a zombie
"""
ZYGOTE_SEES = """
import json, runpy, sys
sys.argv = ["zygote.py", json.dumps({"site": sys.argv[2:]})]
print(json.dumps(runpy.run_path(sys.argv_path, run_name="zygote")["others"]()))
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="system call number of x86_64")
def test_the_zygote_kills_a_process_whose_main_thread_has_ended():
    """Its leader shows as a zombie while its other threads run on: `clean` must not take
    it for a zombie and leave it to the next exercise."""
    hidden = subprocess.Popen([sys.executable, "-c", HIDES])
    try:
        for _ in range(500):
            with open(f"/proc/{hidden.pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            time.sleep(0.01)
        script = ZYGOTE_SEES.replace("sys.argv_path", repr(zygote.sandbox.WORKER_DIR
                                                            + "/zygote.py"))
        seen = subprocess.run([sys.executable, "-c", script, *zygote.sandbox.site_dirs()],
                              capture_output=True, text=True, timeout=60, check=True)
        assert hidden.pid in json.loads(seen.stdout.splitlines()[-1])
    finally:
        hidden.kill()
        hidden.wait()


CHANGES_THE_ZYGOTE_LATER = """
import os, resource, threading, time
def _later(zygote=os.getppid()):
    time.sleep(0.3)
    resource.prlimit(zygote, resource.RLIMIT_NOFILE, (32, 32))
threading.Thread(target=_later, daemon=True).start()
"""
IN_TURN = """
import time
import pytest

@pytest.mark.mlgrade(exercise="ex02_mse", points=1)
def test_first(mlgrade_workspace):
    assert mlgrade_workspace["ex02_mse"].mse([1.0], [1.0]) == 0.0

@pytest.mark.mlgrade(exercise="ex03_chain_rule", points=1)
def test_second(mlgrade_workspace):
    mlgrade_workspace["ex03_chain_rule"].mse_grad_pred([1.0], [1.0])
    time.sleep(0.5)                   # ex02's code changes the zygote meanwhile

@pytest.mark.mlgrade(exercise="ex01_forward", points=1)
def test_third(mlgrade_workspace):    # its fork is refused: the warm sandbox is given up
    assert mlgrade_workspace["ex01_forward"].predict([1.0], [2.0], 0.5) == 2.5

@pytest.mark.mlgrade(exercise="ex03_chain_rule", points=1)
def test_fourth(mlgrade_workspace):   # ex03's kept worker died with it
    mlgrade_workspace["ex03_chain_rule"].mse_grad_pred([1.0], [1.0])
"""


def test_a_worker_lost_with_a_sandbox_mlgrade_gave_up_is_not_charged(workspace, tmp_path):
    """An instructor's check comes back to ex03 (correct) after mlgrade gave up the warm
    sandbox because of ex02's code: ex03 keeps its points."""
    ws = workspace(ex02_mse=(SOLUTIONS / "ex02_mse.py").read_text() + CHANGES_THE_ZYGOTE_LATER)
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "test_turns.py").write_text(IN_TURN)
    report = grade(ws, modules=["ex01_forward", "ex02_mse", "ex03_chain_rule"],
                   checks_dirs=[str(tmp_path / "checks")], limits=LIMITS, isolation="sandbox")
    assert [e.score for e in report.exercises] == [e.max_score for e in report.exercises], (
        failing(report))
