"""Warm workers: one sandbox per student whose zygote forks a worker per exercise.

Starting a worker the plain way (`sandbox.Process`) costs a sandbox, a Python and a numpy
import (about 70 ms of CPU on a quiet machine, 13 times per student).  Here one sandbox is
started per workspace, as soon as its grading begins; inside it `worker/zygote.py` imports
numpy once and forks a worker for each exercise (a few ms).  The workers are the same
`worker/main.py` with the same limits; only one exercise's worker is started at a time,
and before each start the zygote kills whatever an earlier exercise left running and empties
/scratch and /tmp.

Anything unexpected (no sandbox, the zygote slow, dead or stopped by the student's code)
makes `spawn` return None, and the pool falls back to a sandbox of the worker's own.
Off unless MLGRADE_WARM=1 (see `enabled`).
"""
import atexit
import json
import os
import select
import shutil
import socket
import subprocess
import sys
from dataclasses import asdict

from . import sandbox

READY_WAIT = 20.0      # seconds the zygote may take to import numpy (a loaded machine)
REPLY_WAIT = 3.0       # seconds for any other answer of the zygote


def enabled(isolation: str) -> bool:
    """Opt-in (MLGRADE_WARM=1) until the zygote's sandbox gets what `sandbox.Process` now
    gives each worker (its own cgroup, an unprivileged uid, the site folders as mounted)."""
    return isolation == "sandbox" and os.environ.get("MLGRADE_WARM") == "1"


_early: dict[str, "Zygote"] = {}


def start_early(workspace: str) -> None:
    """Start the warm sandbox of `workspace` now, e.g. while the grader's modules import."""
    path = os.path.abspath(workspace)
    if enabled("sandbox") and shutil.which("bwrap") and path not in _early:
        try:
            _early[path] = Zygote(path)
        except OSError:
            pass


def for_workspace(workspace: str) -> "Zygote":
    """The warm sandbox of `workspace` (absolute path): the early one, or a new one."""
    return _early.pop(workspace, None) or Zygote(workspace)


@atexit.register
def _close_unused() -> None:
    for early in _early.values():
        early.close()


class ZygoteError(Exception):
    """The zygote did not answer as it should; it is given up for this workspace."""


class Zygote:
    """The warm sandbox of one workspace."""

    def __init__(self, workspace: str):
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        info_r, info_w = os.pipe()
        config = {"site": "/opt/mlgrade/site", "socket": theirs.fileno()}
        argv = sandbox.bwrap_prefix(workspace, info_w) + [
            os.path.realpath(sys.executable), "-I", "-S", "-B", "-u",
            "/opt/mlgrade/worker/zygote.py", json.dumps(config)]
        env = {**sandbox.worker_env(os.urandom(8).hex()), "HOME": "/scratch"}
        try:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          cwd="/", env=env, pass_fds=(theirs.fileno(), info_w),
                                          start_new_session=True)
        finally:
            theirs.close()
            os.close(info_w)
        self.info_r = info_r
        self.child_pid: int | None = None
        self.ready = False
        self.broken = False

    def answer(self, wait: float) -> dict:
        if not select.select([self.sock], [], [], wait)[0]:
            raise ZygoteError("no answer")
        data = self.sock.recv(1 << 16)
        if not data:
            raise ZygoteError("gone")
        return json.loads(data)

    def request(self, message: dict, fds: tuple[int, ...] = (), wait: float = REPLY_WAIT) -> dict:
        """Send one request, return its answer; any failure breaks the zygote for good."""
        if self.broken:
            raise ZygoteError("broken")
        try:
            if not self.ready:
                self.ready = bool(self.answer(READY_WAIT).get("ready"))
                with os.fdopen(self.info_r, "rb") as f:
                    self.child_pid = int(json.loads(f.read() or b"{}").get("child-pid") or 0)
                if not self.ready:
                    raise ZygoteError("not ready")
            socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
            reply = self.answer(wait)
            if "error" in reply:
                raise ZygoteError(reply["error"])
            return reply
        except (OSError, ValueError, ZygoteError):
            self.close()
            raise ZygoteError("the warm sandbox stopped answering") from None

    def spawn(self, module: str, limits: sandbox.Limits, fds: tuple[int, int],
              stdout: int) -> "Forked | None":
        """A worker forked in the warm sandbox, or None (then start one the plain way)."""
        config = {"module": module, "limits": asdict(limits), "workspace": "/workspace",
                  "site": "/opt/mlgrade/site"}
        try:
            pid = self.request({"op": "fork", "config": config}, (*fds, stdout))["pid"]
        except (ZygoteError, KeyError):
            return None
        return Forked(self, int(pid))

    def close(self) -> None:
        """Kill the sandbox and every process in it."""
        self.broken = True
        if self.child_pid:
            try:
                os.kill(self.child_pid, 9)   # the PID namespace's init: all of it goes
            except OSError:
                pass
        try:
            os.killpg(self.popen.pid, 9)
        except OSError:
            pass
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if not self.ready:
            try:
                os.close(self.info_r)
            except OSError:
                pass
        self.sock.close()


class Forked:
    """A worker forked by the zygote: `sandbox.Process`'s interface (wait, kill)."""

    isolation = "forked"       # its exit status is the worker's own (no bwrap 128 + N)

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid = zygote, pid

    def wait(self, timeout: float) -> int:
        try:
            status = self.zygote.request({"op": "wait", "pid": self.pid, "timeout": timeout},
                                         wait=timeout + REPLY_WAIT)["status"]
        except ZygoteError:
            return -9                     # the sandbox is gone, and the worker with it
        if status is None:
            raise subprocess.TimeoutExpired("worker", timeout)
        return status

    def kill(self) -> None:
        try:
            self.zygote.request({"op": "kill", "pid": self.pid})
        except ZygoteError:
            pass                          # request() has killed the whole sandbox
