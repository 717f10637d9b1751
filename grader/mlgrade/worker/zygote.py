"""A warm process inside one student's sandbox that forks a worker per exercise.

Usage: python -I -S zygote.py CONFIG_JSON   (run in the sandbox, as main.py is)
    CONFIG_JSON: {"site": [package folders], "socket": fd}

It imports numpy and the worker's wire module once, says {"ready": true} on its socket, then
serves requests (one JSON message each, SOCK_SEQPACKET):
    {"op": "fork", "config": {...}} + fds (request, reply, output, cgroup.procs files...):
        fork a worker that writes itself into those cgroups, then runs main.py with that
        config (as a new process would); reply {"pid": pid} once it has joined them.
    {"op": "kill", "pid": pid}: kill the worker's process group; reply {} at once (it is
        reaped later, and `clean` waits for it before the next fork).
    {"op": "wait", "pid": pid, "timeout": s}: reply {"status": code or null}.
    {"op": "reset"}: kill every process but this one, empty /scratch and /tmp, remove System
        V IPC objects, POSIX message queues and keys (before another student's workspace is
        put in); reply {}.

It is the sandbox's PID namespace's init (bwrap --as-pid-1): no worker can kill or stop it
with a signal, so one exercise's code cannot end another's worker with the sandbox.
Before each fork it kills every process of the sandbox that is not in the process group of
a worker still in use (what an earlier exercise left behind), removes the IPC objects left
(a shared memory segment outlives its worker's cgroup limit) and, when no worker is in
use, empties /scratch and /tmp.  (The grader keeps one forked worker alive at a time, so
each exercise starts with nothing of the last one.)
It runs no student code itself and cannot be traced (not dumpable).  It imports nothing
from mlgrade.

A worker runs as the same user as the zygote, so it can change what a later worker would
inherit from the zygote (resource limits, nice value, scheduling policy, CPU affinity, I/O
priority: prlimit(2), setpriority(2) ...) and the scratch folders' own mode and extended
attributes.  The scratch folders are restored; a zygote whose own state changed refuses to
fork or reset (the grader then gives up this sandbox), and each forked child checks that
state again before it says it has joined its cgroups.
"""
import ctypes
import gc
import json
import os
import platform
import resource
import select
import signal
import socket
import stat
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.join(HERE, "main.py")
CONFIG = json.loads(sys.argv[1])
sys.path.insert(0, HERE)
sys.path.extend(CONFIG["site"])

import numpy as np  # noqa: E402,F401 - imported once, for every worker forked
import wire  # noqa: E402,F401
import importlib.util, traceback, warnings  # noqa: E401,E402,F401 - main.py's

gc.freeze()   # what is imported stays out of the collector: forked workers share its pages

PR_SET_DUMPABLE = 4
with open(MAIN, encoding="utf-8") as _f:
    MAIN_CODE = compile(_f.read(), MAIN, "exec")     # compiled once, run by every worker
JOIN_WAIT = 2.0      # seconds a forked worker may take to join its cgroups
SCRATCH = {folder: stat.S_IMODE(os.stat(folder).st_mode)     # the tmpfs folders, their mode
           for folder in ("/scratch", "/tmp") if os.path.isdir(folder)}
MQUEUE = "/dev/mqueue"      # POSIX message queues, where the sandbox mounts their file system
# system calls Python has no function for, by machine: (keyctl, ioprio_get)
SYSCALLS = {"x86_64": (250, 252), "aarch64": (219, 31)}.get(platform.machine())
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR, KEYCTL_GET_PERSISTENT = 1, 7, 22
USER_KEYRING, USER_SESSION_KEYRING = -4, -5
libc = ctypes.CDLL(None, use_errno=True)
statuses: dict[int, int] = {}
live: set[int] = set()


def own_state() -> tuple:
    """What a forked worker inherits from this process that another process of the same
    user can change from outside: resource limits, nice value, scheduling policy and
    priority, CPU affinity, I/O priority."""
    limits = tuple(resource.getrlimit(getattr(resource, name))
                   for name in sorted(dir(resource)) if name.startswith("RLIMIT_"))
    ioprio = libc.syscall(SYSCALLS[1], 1, 0) if SYSCALLS else None    # IOPRIO_WHO_PROCESS
    return (limits, os.getpriority(os.PRIO_PROCESS, 0), os.sched_getscheduler(0),
            os.sched_getparam(0).sched_priority, sorted(os.sched_getaffinity(0)), ioprio)


STATE = own_state()


def status_code(status: int) -> int:
    """A wait status as subprocess reports it: the exit code, or −signal."""
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def reap() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        statuses[pid] = status_code(status)


def others() -> list[int]:
    """Processes of the sandbox to kill: not pid 1, not us, not in a live worker's group, not
    zombies (a zombie leader whose other threads still run is no zombie: it is killed)."""
    me, out = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (1, me):
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            zombie = fields[0] == b"Z" and len(os.listdir(f"/proc/{entry}/task")) == 1
            if not zombie and int(fields[2]) not in live:
                out.append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    return out


def clean() -> bool:
    """Kill what earlier exercises left behind; empty the scratch space if no worker is live.

    Returns:
        False if something survived a second of killing (the grader then gives up this
        sandbox, and everything in it, for one of the worker's own).
    """
    deadline = time.monotonic() + 1.0
    while True:
        left = others()
        if not left:
            break
        if time.monotonic() > deadline:
            return False
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
        reap()
    if not live:
        return all([wipe(folder) for folder in SCRATCH])
    return True


def wipe(top: str) -> bool:
    """Empty a scratch folder and give it back its mode and no extended attributes (ACLs
    among them), whatever a worker did to it: folders it made unwritable, trees of any
    depth.  Everything in it belongs to this process's user.  Returns whether it is empty."""
    try:
        try:
            os.chmod(top, SCRATCH[top])
        except PermissionError:
            pass                     # not the sandbox user's: no worker changed it either
        for name in os.listxattr(top):   # user.*, and the ACLs (security.*: not the worker's)
            if name.startswith(("user.", "system.")):
                os.removexattr(top, name)
    except OSError:
        return False
    todo, seen = [top], set()
    while todo:                  # depth first; a folder is visited again once its folders
        path = todo.pop()        # are gone, then removed
        subdirs = []
        try:
            if path != top:
                os.chmod(path, 0o700)
            for name in os.listdir(path):
                try:
                    os.unlink(os.path.join(path, name))
                except IsADirectoryError:
                    subdirs.append(os.path.join(path, name))
        except OSError:
            continue
        if subdirs and path not in seen:
            seen.add(path)
            todo += [path, *subdirs]
        elif path != top:
            try:
                os.rmdir(path)
            except OSError:
                pass
    try:
        return not os.listdir(top)
    except OSError:
        return False


def reseed() -> None:
    """Fresh random state in each worker, as a new process would have.

    numpy.random is not imported here (a worker that uses it imports it and seeds it from
    the OS); should it ever be, its state is reseeded.  Python's random reseeds itself in a
    forked child.
    """
    if "numpy.random" in sys.modules:
        np.random.seed()


def become_worker(sock: socket.socket, config: dict, fds: list[int], joined: int) -> None:
    """In the forked child: join the worker's cgroups, say so on `joined`, set up as a fresh
    worker process would be, then run main.py."""
    code = 1
    try:
        sock.close()
        request, reply, output, *procs = fds
        for fd in procs:
            os.write(fd, b"0")          # 0: the writing process itself
            os.close(fd)
        if own_state() != STATE:        # changed from outside between the check and the fork
            os._exit(1)
        if SYSCALLS:                    # keys it adds are its own, not the next worker's
            libc.syscall(SYSCALLS[0], KEYCTL_JOIN_SESSION_KEYRING, None)
        os.write(joined, b"1")
        os.close(joined)
        os.setsid()
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        reseed()
        sys.argv = [MAIN, json.dumps({**config, "fds": [request, reply]})]
        exec(MAIN_CODE, {"__name__": "__main__", "__file__": MAIN, "__builtins__": __builtins__})
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a worker that fails says so on its output
        import traceback
        traceback.print_exc()
    finally:
        os._exit(code)


def fork(sock: socket.socket, config: dict, fds: list[int]) -> dict:
    """Fork a worker; reply once it is in its cgroups (else kill it and say why)."""
    reap()
    if not clean():
        return {"error": "processes or files of an earlier exercise survived"}
    if own_state() != STATE:
        return {"error": "the warm sandbox's limits or scheduling were changed"}
    # even with a worker live: a shared memory segment left by a worker that has ended is
    # memory outside every worker's cgroup limit (it was charged to a cgroup now removed);
    # what cannot be removed here is left to `reset`, which gives the sandbox up for it
    try:
        remove_ipc()
    except OSError:
        pass
    joined_r, joined_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(joined_r)
        become_worker(sock, config, fds, joined_w)
    os.close(joined_w)
    for fd in fds:
        os.close(fd)
    try:
        ok = select.select([joined_r], [], [], JOIN_WAIT)[0] and os.read(joined_r, 1) == b"1"
    finally:
        os.close(joined_r)
    if not ok:
        kill(pid)
        return {"error": "the worker could not join its cgroups"}
    live.add(pid)
    return {"pid": pid}


def kill(pid: int) -> None:
    live.discard(pid)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)      # not yet the leader of its own group
    except OSError:
        pass


def remove_ipc() -> None:
    """Remove the System V shared memory, queues and semaphores, the POSIX message queues
    and the keys (of the user's keyrings: the sandbox's user namespace has its own) left in
    the sandbox."""
    for kind, remove in (("shm", libc.shmctl), ("msg", libc.msgctl), ("sem", libc.semctl)):
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                ids = [int(line.split()[1]) for line in list(f)[1:] if line.strip()]
        except (OSError, ValueError, IndexError):
            continue
        for ipc_id in ids:            # IPC_RMID is 0; semctl has a semaphore number first
            if kind == "sem":
                remove(ipc_id, 0, 0, None)
            else:
                remove(ipc_id, 0, None)
    if os.path.isdir(MQUEUE):
        try:
            os.chmod(MQUEUE, 0o1777)    # as mounted, should a worker (its owner) change it
        except PermissionError:
            pass                        # not the sandbox user's: no worker changed it either
        for name in os.listdir(MQUEUE):
            os.unlink(os.path.join(MQUEUE, name))
    if SYSCALLS:
        keyctl = SYSCALLS[0]
        persistent = libc.syscall(keyctl, KEYCTL_GET_PERSISTENT, -1, USER_KEYRING)
        for ring in (persistent, USER_SESSION_KEYRING, USER_KEYRING):
            if ring != -1:
                libc.syscall(keyctl, KEYCTL_CLEAR, ring)


def reset() -> dict:
    """Before another student: nothing of the last one is left in the sandbox."""
    for pid in list(live):
        kill(pid)
    if not clean():
        return {"error": "processes or files of the last student survived"}
    if own_state() != STATE:
        return {"error": "the warm sandbox's limits or scheduling were changed"}
    remove_ipc()
    statuses.clear()
    return {}


def handle(sock: socket.socket, message: dict, fds: list[int]) -> dict:
    op = message.get("op")
    if op == "fork":
        return fork(sock, message["config"], fds)
    for fd in fds:
        os.close(fd)
    if op == "reset":
        return reset()
    pid = int(message.get("pid", 0))
    if op == "kill":
        kill(pid)
        return {}
    if op == "wait":
        deadline = time.monotonic() + float(message.get("timeout", 0))
        while True:
            reap()
            if pid in statuses or time.monotonic() >= deadline:
                return {"status": statuses.get(pid)}
            time.sleep(0.002)
    return {"error": f"unknown op {op!r}"}


def main() -> None:
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)   # no ptrace, no /proc/self/mem
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    # the PID namespace's init (bwrap --as-pid-1): the orphans of the sandbox are reaped
    # as they end (a zombie holds a pid of its worker's cgroup)
    signal.signal(signal.SIGCHLD, lambda signum, frame: reap())
    sock = socket.socket(fileno=CONFIG["socket"])
    sock.sendall(json.dumps({"ready": True}).encode())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
        except OSError:
            return
        if not data:
            return
        try:
            reply = handle(sock, json.loads(data), list(fds))
        except Exception as exc:  # noqa: BLE001 - say what failed; the grader falls back
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sock.sendall(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
