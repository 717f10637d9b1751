"""Starting, confining and stopping worker processes.

Two isolations, reported as `"isolation"` in every report:

- "sandbox": bubblewrap (bwrap) with new user, PID, mount, network, IPC and UTS
  namespaces.  The worker sees /usr, the Python runtime, numpy, its own code and the
  workspace (all read-only) and a small private /scratch; not the grader, the
  solutions, the report path, other submissions or the network.
- "process": where bwrap is missing or cannot create namespaces (macOS, some
  containers): resource limits, a process group, and on Linux a subreaper so that
  detached children are found and killed too.

In both, the worker lowers its own resource limits before importing student code.
"""
import ctypes
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass

import numpy

from .i18n import t

WORKER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker")
SITE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(numpy.__file__)))
TOKEN_VAR = "MLGRADE_WORKER"


@dataclass(frozen=True)
class Limits:
    """Limits of one exercise's worker.

    Attributes:
        timeout: wall-clock seconds for all calls of one exercise together.
        memory_mb: address-space cap of the worker process.
        open_files: file descriptors the worker may hold.
        processes: processes the worker's user may run (not enforced for root).
        file_mb: the largest file the worker may write.
    """

    timeout: float = 10.0
    memory_mb: int = 1024
    open_files: int = 64
    processes: int = 64
    file_mb: int = 16


@functools.cache
def sandbox_available() -> bool:
    """Whether bwrap can start this Python with numpy in the sandbox the workers use."""
    if not shutil.which("bwrap") or not sys.platform.startswith("linux"):
        return False
    info_r, info_w = os.pipe()
    probe = bwrap_prefix(WORKER_DIR, info_w) + [
        os.path.realpath(sys.executable), "-I", "-S", "-c",
        "import sys; sys.path.insert(0, '/opt/mlgrade/site'); import numpy"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=20, pass_fds=(info_w,))
        return done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        os.close(info_w)
        os.close(info_r)


def choose(requested: str) -> str:
    """"sandbox" or "process" for a request of "auto", "sandbox" or "process"."""
    if requested == "auto":
        return "sandbox" if sandbox_available() else "process"
    if requested == "sandbox" and not sandbox_available():
        raise RuntimeError(t("cli.no_sandbox"))
    return requested


def _ro(src: str, dest: str | None = None) -> list[str]:
    return ["--ro-bind", src, dest or src]


def bwrap_prefix(workspace: str, info_fd: int) -> list[str]:
    """The bwrap command line up to the worker's own argv."""
    args = [shutil.which("bwrap"), "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534", "--info-fd", str(info_fd)]
    for top in ("usr", "bin", "lib", "lib64", "lib32", "sbin"):
        path = f"/{top}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += _ro(path)
    if not sys.base_prefix.startswith("/usr"):
        args += _ro(sys.base_prefix)
    for name in ("numpy", "numpy.libs"):
        if os.path.isdir(os.path.join(SITE_DIR, name)):
            args += _ro(os.path.join(SITE_DIR, name), f"/opt/mlgrade/site/{name}")
    args += _ro(WORKER_DIR, "/opt/mlgrade/worker") + _ro(workspace, "/workspace")
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(64 << 20), "--tmpfs", "/scratch",
             "--size", str(16 << 20), "--tmpfs", "/tmp", "--chdir", "/scratch"]
    return args


def worker_env(token: str) -> dict:
    """A small environment: one BLAS thread, and the worker's token."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
    # (python -I ignores PYTHON* variables: -B and -u on the command line do their work)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env[TOKEN_VAR] = token
    return env


class Process:
    """A running worker: the process we started, and how to stop all it started."""

    def __init__(self, isolation: str, workspace: str, module: str, limits: Limits,
                 fds: tuple[int, int], stdout: int):
        self.isolation = isolation
        self.token = os.urandom(8).hex()
        self.scratch = None
        self.child_pid: int | None = None
        python = os.path.realpath(sys.executable)
        config = {"module": module, "fds": list(fds), "limits": asdict(limits)}
        if isolation == "sandbox":
            info_r, info_w = os.pipe()
            config.update(workspace="/workspace", site="/opt/mlgrade/site")
            argv = bwrap_prefix(workspace, info_w) + [python, "-I", "-S", "-B", "-u",
                                                      "/opt/mlgrade/worker/main.py"]
            cwd, home, pass_fds = "/", "/scratch", (*fds, info_w)
        else:
            self.scratch = tempfile.TemporaryDirectory(prefix="mlgrade-scratch-")
            config.update(workspace=workspace, site=SITE_DIR)
            argv = [python, "-I", "-S", "-B", "-u", os.path.join(WORKER_DIR, "main.py")]
            cwd, home, pass_fds = self.scratch.name, self.scratch.name, fds
            subreaper()
        env = {**worker_env(self.token), "HOME": home}
        self.popen = subprocess.Popen(argv + [json.dumps(config)], stdin=subprocess.DEVNULL,
                                      stdout=stdout, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                      pass_fds=pass_fds, start_new_session=True)
        if isolation == "sandbox":
            os.close(info_w)
            self.child_pid = _read_child_pid(info_r)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        """Kill the worker and everything it started; return when they are gone."""
        if self.child_pid:
            # SIGKILL to the PID namespace's init kills every process in it; bwrap exits
            # only once its child, and so the whole namespace, is gone.
            _signal(self.child_pid, signal.SIGKILL, group=False)
        _signal(self.popen.pid, signal.SIGKILL, group=True)
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if self.isolation == "process":
            kill_orphans(self.token)
        if self.scratch:
            self.scratch.cleanup()


def _read_child_pid(fd: int) -> int | None:
    with os.fdopen(fd, "rb") as f:
        try:
            return int(json.loads(f.read() or b"{}").get("child-pid", 0)) or None
        except ValueError:
            return None


def _signal(pid: int, sig: int, group: bool) -> None:
    try:
        (os.killpg if group else os.kill)(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@functools.cache
def subreaper() -> bool:
    """Make this process adopt orphaned descendants (Linux), so none escapes a kill."""
    if not sys.platform.startswith("linux"):
        return False
    pr_set_child_subreaper = 36
    return ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0


def kill_orphans(token: str) -> None:
    """Kill and reap the adopted children whose environment carries the worker's token."""
    if not os.path.isdir("/proc"):
        return
    marker = f"{TOKEN_VAR}={token}".encode()
    for _ in range(50):
        found = False
        for pid in _children():
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        found = True
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
            except (OSError, ChildProcessError):
                pass
        if not found:
            return


def _children() -> list[int]:
    me, out = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                if int(stat.rsplit(b")", 1)[1].split()[1]) == me:
                    out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def explain_exit(code: int) -> str:
    """A worker's exit status in the student's terms."""
    if code >= 0:
        return t("msg.process_exit", code=code)
    try:
        sig = signal.Signals(-code)
    except ValueError:
        return t("msg.process_signal", signal=-code)
    keys = {signal.SIGKILL: "msg.process_killed", signal.SIGXCPU: "msg.process_cpu",
            signal.SIGSEGV: "msg.process_segv", signal.SIGABRT: "msg.process_abort"}
    return t(keys.get(sig, "msg.process_signal"), signal=sig.name)
