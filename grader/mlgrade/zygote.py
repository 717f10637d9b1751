"""Warm workers: a sandbox whose zygote forks one worker per exercise.

Starting a worker the plain way (`sandbox.Process`) costs a sandbox, a Python and a numpy
import (about 150 ms on a quiet machine, 13 times per student).  Here the grading process
starts one sandbox the same way (same bwrap namespaces, uid, cgroup, mounts), early; inside
it `worker/zygote.py` imports numpy once and forks a worker per exercise in a few ms.

A forked worker is the same `worker/main.py` with the same limits, and gets a cgroup of its
own: the grader makes it and hands the zygote its `cgroup.procs` files, which the child
writes itself into before anything else; the zygote confirms the fork only then.  Before
each fork the zygote kills whatever an earlier exercise left running, and when no worker is
live it empties /scratch and /tmp: an exercise starts as in a sandbox of its own.

A grading process that grades many students (`mlgrade grade`) keeps one warm sandbox for
all of them (`start_staged`): its /workspace is a staging folder, bound read-only, that
holds one student's copy at a time.  Between students the zygote kills every process of the
sandbox and empties its scratch space (`reset`), and only then is the next student's copy
put in.  Students are graded one after another in a grading process, so no two students'
code is ever alive in the same sandbox.

Anything unexpected (no cgroup, the zygote slow, dead or stopped by a student's code) makes
`spawn` return None, and the pool falls back to a sandbox of the worker's own.  MLGRADE_WARM=0
turns warm workers off.
"""
import atexit
import json
import os
import select
import shutil
import socket
import stat
import subprocess
import tempfile
import threading
from dataclasses import asdict

from . import cgroups, sandbox

READY_WAIT = 20.0      # seconds the zygote may take to import numpy (a loaded machine)
REPLY_WAIT = 3.0       # seconds for any other answer of the zygote
STAGE_FILES = 2000     # a workspace staged for a reused sandbox: at most so many entries
STAGE_BYTES = 64 << 20  # and so many bytes; a larger one gets a sandbox of its own
STAGE_DEPTH = 32        # and folders so deep (the copy is walked and removed recursively)


def enabled(isolation: str) -> bool:
    """Warm workers: in the sandbox, where each forked worker can get a memory and a process
    cgroup of its own (the kernel's limits for all it starts), unless MLGRADE_WARM=0."""
    return (isolation == "sandbox" and os.environ.get("MLGRADE_WARM") != "0"
            and {"memory", "pids"} <= set(cgroups.parents()))


class ZygoteError(Exception):
    """The zygote did not answer as it should; it is given up."""


class StageError(Exception):
    """A workspace that cannot be staged (too large, unreadable)."""


class Zygote:
    """One warm sandbox, bound to a workspace or (staged) to a staging folder."""

    def __init__(self, workspace: str, limits: sandbox.Limits, staged: bool = False,
                 uid: int | None | str = "auto"):
        self.workspace, self.staged, self.limits = workspace, staged, limits
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = sandbox.Process("sandbox", workspace, "", limits, (theirs.fileno(),),
                                           subprocess.DEVNULL, entry="zygote.py",
                                           config={"socket": theirs.fileno()}, uid=uid)
        finally:
            theirs.close()
        self.ready = False
        self.broken = False

    def answer(self, wait: float) -> dict:
        if not select.select([self.sock], [], [], wait)[0]:
            raise ZygoteError("no answer")
        data = self.sock.recv(1 << 16)
        if not data:
            raise ZygoteError("gone")
        return json.loads(data)

    def wait_ready(self) -> bool:
        """Whether the zygote came up (imported numpy); False breaks it for good."""
        if not self.ready and not self.broken:
            try:
                self.ready = bool(self.answer(READY_WAIT).get("ready"))
            except (OSError, ValueError, ZygoteError):
                pass
            if not self.ready:
                self.close()
        return self.ready

    def request(self, message: dict, fds: tuple[int, ...] = (), wait: float = REPLY_WAIT) -> dict:
        """Send one request, return its answer; any failure breaks the zygote for good."""
        if not self.wait_ready():
            raise ZygoteError("not ready")
        try:
            socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
            reply = self.answer(wait)
        except (OSError, ValueError, ZygoteError):
            self.close()
            raise ZygoteError("the warm sandbox stopped answering") from None
        if "error" in reply:
            self.close()
            raise ZygoteError(reply["error"])
        return reply

    def spawn(self, module: str, limits: sandbox.Limits, fds: tuple[int, int],
              stdout: int) -> "Forked | None":
        """A worker forked in the warm sandbox, in a cgroup of its own; or None (then the
        caller starts one the plain way)."""
        cgroup = sandbox.make_cgroup(limits)
        if cgroup is None or not cgroup.counts_processes or cgroup.memory is None:
            if cgroup:
                cgroup.remove()
            return None
        config = {"module": module, "limits": {**asdict(limits), "nproc": False},
                  "workspace": "/workspace", "site": list(sandbox.site_dirs())}
        procs = []
        try:
            procs = [os.open(path, os.O_WRONLY) for path in cgroup.procs]
            pid = int(self.request({"op": "fork", "config": config},
                                   (*fds, stdout, *procs))["pid"])
        except (OSError, ZygoteError, KeyError, ValueError):
            cgroup.remove()
            return None
        finally:
            for fd in procs:
                os.close(fd)
        return Forked(self, pid, cgroup, limits)

    def reset(self) -> None:
        """Kill every process of the sandbox but its zygote and empty /scratch and /tmp."""
        self.request({"op": "reset"})

    def close(self) -> None:
        """Kill the sandbox and every process in it."""
        self.broken = True
        self.process.kill()
        self.sock.close()


class Forked:
    """A worker forked by the zygote: `sandbox.Process`'s interface (wait, kill, memory)."""

    isolation = "forked"       # its exit status is the worker's own (no bwrap 128 + N)

    def __init__(self, zygote: Zygote, pid: int, cgroup: cgroups.WorkerCgroup,
                 limits: sandbox.Limits):
        self.zygote, self.pid, self.cgroup, self.limits = zygote, pid, cgroup, limits

    def over_memory(self) -> bool:
        return self.cgroup.over_memory()

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
        """Kill the worker's process group; whatever else is left in its cgroup is killed as
        the cgroup is removed (in the background: nothing waits for it)."""
        try:
            self.zygote.request({"op": "kill", "pid": self.pid})
        except ZygoteError:
            pass                          # request() has killed the whole sandbox
        cgroups.remove_later(self.cgroup)


# --- the grading process's warm sandbox ------------------------------------------------

_lock = threading.Lock()
_warm: dict[str, Zygote] = {}      # "bound": for one workspace; "staged": for many
_starting: list[threading.Thread] = []


def start_early(workspace: str, limits: sandbox.Limits | None = None) -> threading.Thread:
    """Start the warm sandbox of `workspace` in a thread, e.g. while the grader imports.

    The thread also answers the sandbox probe: a zygote that comes up proves the sandbox
    works (see sandbox.sandbox_available); otherwise the probe runs as usual."""
    return _start("bound", os.path.abspath(workspace), limits)


def start_for_command(argv: list[str]) -> None:
    """`mlgrade check ...`: start a warm sandbox before the grader's own imports, staged
    since the workspace is not known yet (click has not parsed the command line).  Nothing
    for other commands, for help, or with --isolation process."""
    words = [w for arg in argv for w in arg.split("=", 1)]
    if argv[:1] != ["check"] or {"-h", "--help", "--show-inputs"} & set(words):
        return
    if "--isolation" in words and words[words.index("--isolation") + 1:][:1] == ["process"]:
        return
    start_staged()


def start_staged(limits: sandbox.Limits | None = None) -> threading.Thread:
    """Start the warm sandbox that a batch's grading process keeps for all its students.

    The staging folder lies in a folder of mode 700: no other user of the machine (another
    student on a shared server) reads the copies; the sandbox's user reaches it through
    the sandbox's own view of the folders it cannot cross (see sandbox.views)."""
    base = tempfile.mkdtemp(prefix="mlgrade-stage-")
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    folder = os.path.join(base, "workspace")
    os.mkdir(folder)
    os.chmod(folder, 0o755)
    return _start("staged", folder, limits)


def _start(kind: str, folder: str, limits: sandbox.Limits | None) -> threading.Thread:
    """Start the sandbox here (bwrap dies with the thread that started it), then wait for it
    and probe in a thread."""
    zygote = None
    if enabled("sandbox") and shutil.which("bwrap"):
        # as nobody where it may run so: the probe of that is the zygote coming up
        uid = sandbox.NOBODY if sandbox.nobody_may_run(folder) else None
        try:
            zygote = Zygote(folder, limits or sandbox.Limits(), kind == "staged", uid)
        except OSError:
            pass

    def run():
        if zygote is not None and zygote.wait_ready():
            sandbox.confirm(zygote.process.uid)
            with _lock:
                old, _warm[kind] = _warm.get(kind), zygote
            if old:
                old.close()
        sandbox.sandbox_available()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    _starting.append(thread)
    return thread


def starting() -> bool:
    """Whether a warm sandbox was started (and may still be coming up)."""
    return bool(_starting or _warm)


def wait_started() -> None:
    """Wait until the warm sandboxes started are up (or given up), and the probe is done."""
    while _starting:
        _starting.pop().join()


def for_workspace(workspace: str, limits: sandbox.Limits) -> Zygote | None:
    """A warm sandbox for grading `workspace` (absolute path), or None (start workers the
    plain way): the early one, the batch's one with this workspace staged, or a new one."""
    wait_started()
    with _lock:
        bound = _warm.pop("bound", None)
        staged = _warm.get("staged")
    if staged and staged.broken:     # given up after a student's code: a new one, so that
        _start("staged", staged.workspace, staged.limits)    # the batch stays warm
        wait_started()
        with _lock:
            staged = _warm.get("staged")
    if bound and bound.workspace == workspace and not bound.broken:
        return bound
    if bound:
        bound.close()
    if staged and not staged.broken:
        try:
            staged.reset()
            stage(workspace, staged.workspace)
            return staged
        except (ZygoteError, StageError, OSError):
            empty(staged.workspace)
    try:
        return Zygote(workspace, limits)
    except OSError:
        return None


def release(zygote: Zygote) -> None:
    """After a grading: a bound sandbox is closed; the staged one stays for the next student."""
    if not zygote.staged:
        zygote.close()
    elif not zygote.broken:
        try:
            zygote.reset()
        except ZygoteError:
            pass
        empty(zygote.workspace)


@atexit.register
def _close_all() -> None:
    for zygote in list(_warm.values()):
        zygote.close()


# --- staging: a copy of one workspace, as the sandbox would see it ----------------------

def empty(folder: str) -> None:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def stage(workspace: str, folder: str) -> None:
    """Copy `workspace` into the (emptied) `folder`: folders, regular files (mode 644, or 755
    if executable), symbolic links as links (never followed: inside the sandbox they point
    where the bound workspace's would); other special files are left out.

    Root may be copying a folder whose owner changes it meanwhile (a student on a shared
    server swapping a folder for a link to /etc): every name is opened relative to its
    folder's descriptor and no link is ever followed, on either side, so nothing is read
    from or written to outside the two trees.
    """
    empty(folder)
    budget = [0, 0]        # entries, bytes
    todo = [(os.open(workspace, os.O_RDONLY | os.O_DIRECTORY),
             os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW), 0)]
    try:
        while todo:
            source, dest, depth = todo.pop()
            try:
                _stage_folder(source, dest, depth, todo, budget)
            finally:
                os.close(source)
                os.close(dest)
    finally:
        for source, dest, _ in todo:
            os.close(source)
            os.close(dest)


def _stage_folder(source: int, dest: int, depth: int, todo: list, budget: list) -> None:
    """Copy one folder's entries (its folders are added to `todo`, opened on both sides)."""
    for name in os.listdir(source):
        budget[0] += 1
        if budget[0] > STAGE_FILES:
            raise StageError("too many files")
        st = os.stat(name, dir_fd=source, follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(name, dir_fd=source), name, dir_fd=dest)
        elif stat.S_ISDIR(st.st_mode):
            if depth + 1 >= STAGE_DEPTH:
                raise StageError("too deep")
            inner = _open_folder(name, source)
            try:
                os.mkdir(name, dir_fd=dest)
                copy = _open_folder(name, dest)
            except BaseException:
                os.close(inner)
                raise
            todo.append((inner, copy, depth + 1))     # closed by stage() whatever happens
            os.fchmod(copy, 0o755)
        elif stat.S_ISREG(st.st_mode):
            budget[1] += _copy(name, source, dest, STAGE_BYTES - budget[1])


def _open_folder(name: str, parent: int) -> int:
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)


def _copy(name: str, source: int, dest: int, room: int) -> int:
    """Copy a regular file (checked once open: it may have been replaced by another kind)
    of at most `room` bytes, however it grows meanwhile; return its size."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=source)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return 0
        if st.st_size > room:
            raise StageError("too large")
        mode = 0o755 if st.st_mode & 0o111 else 0o644
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode,
                      dir_fd=dest)
        try:
            os.fchmod(out, mode)
            size = 0
            while chunk := os.read(fd, min(1 << 20, room - size + 1)):
                size += len(chunk)
                if size > room:
                    raise StageError("too large")
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view):]
        finally:
            os.close(out)
        return size
    finally:
        os.close(fd)
