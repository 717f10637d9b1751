"""Starting, confining and stopping worker processes.

Two isolations, reported as `"isolation"` in every report (see the README's "Isolation"):

- "sandbox": bubblewrap (bwrap) with new user, PID, mount, network, IPC and UTS
  namespaces.  The worker sees /usr, the Python runtime, the grading environment's
  packages (not mlgrade), its own code and the workspace (all read-only), a private
  /scratch and /tmp (small tmpfs) and a read-only /dev of five devices; not the grader,
  the solutions, the report path, other submissions or the network.
- "process": where bwrap is missing or cannot create namespaces (macOS, some
  containers): resource limits, a process group, and on Linux a subreaper so that
  detached children are found and killed too; an unprivileged user when the grader is root.

In both, each worker gets a cgroup of its own where the machine allows (`cgroups`): one
memory limit and one process limit for everything it starts.  The worker also lowers its
own resource limits before importing student code.
"""
import atexit
import ctypes
import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from importlib.util import find_spec

from . import cgroups
from .i18n import t

WORKER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker")
PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
SITE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(find_spec("numpy").origin)))
TOKEN_VAR = "MLGRADE_WORKER"
NOBODY = 65534
HAVE_PROC = os.path.isdir("/proc/self")
SCRATCH_MB, TMP_MB, DEV_KB = 64, 16, 64
DEVICES = ("null", "zero", "full", "random", "urandom")


@dataclass(frozen=True)
class Limits:
    """Limits of one exercise's worker.

    Attributes:
        timeout: wall-clock seconds for all calls of one exercise together.
        memory_mb: memory of the whole worker (all its processes and its tmpfs files)
            where a cgroup can be made; always also the address space of each process.
        open_files: file descriptors each process may hold.
        processes: processes (and threads) of the whole worker.
        file_mb: the largest file the worker may write.
    """

    timeout: float = 10.0
    memory_mb: int = 1024
    open_files: int = 64
    processes: int = 64
    file_mb: int = 16


@functools.cache
def site_dirs() -> tuple[str, ...]:
    """The grading environment's package directories (numpy's among them), in sys.path order.

    The worker runs with `python -I -S`: these are put on its path as they are, without
    their .pth files, so an editable install of mlgrade is not importable there.
    """
    dirs = [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")
            and os.path.isdir(p)]
    return tuple(dict.fromkeys(os.path.realpath(d) for d in [*dirs, SITE_DIR]))


def hidden_dirs() -> list[str]:
    """Directories of the site dirs the sandbox hides: mlgrade itself, when installed there."""
    return [PACKAGE_DIR] if any(PACKAGE_DIR.startswith(d + os.sep) for d in site_dirs()) else []


def _runtime() -> list[str]:
    """The folders a worker needs besides the workspace: Python, its packages, the worker."""
    python = os.path.realpath(sys.executable)
    dirs = [os.path.realpath(sys.base_prefix), *site_dirs(), WORKER_DIR]
    if not any(python.startswith(d + os.sep) for d in dirs):
        dirs.append(os.path.dirname(python))
    return dirs


def worker_user(workspace: str, isolation: str = "process") -> int | None:
    """The uid to start a worker (or its bwrap) as: nobody when `nobody_may_run` and the probe
    of that isolation works as nobody; else None: the grader's own user (in the sandbox, the
    worker's uid 65534 inside the namespace is then that user outside it)."""
    if not nobody_may_run(workspace):
        return None
    return NOBODY if _works_as_nobody(isolation) else None


def nobody_may_run(workspace: str) -> bool:
    """Whether the grader is root (on Linux) and nobody can read the runtime and the workspace,
    if need be through `views`."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    if not all(readable_tree(d, NOBODY, deep=False) for d in _runtime()):
        return False
    return readable_tree(workspace, NOBODY)


def views(workspace: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a worker started by root as nobody must see again: (folder nobody cannot cross,
    the needed folders below it).  In the worker's own mount namespace each such folder is
    covered by an empty tmpfs (mode 755) on which the needed folders are bound again, so
    nobody reaches them at their usual paths and nothing else below (see `_show`)."""
    plan: dict[str, list[str]] = {}
    for path in [*_runtime(), os.path.realpath(workspace)]:
        blocked = _blocked(path, NOBODY)
        if blocked and not any(path.startswith(p + os.sep) for p in plan.get(blocked, ())):
            plan.setdefault(blocked, []).append(path)
    return tuple((b, tuple(sorted(ps))) for b, ps in sorted(plan.items()))


def _blocked(path: str, uid: int) -> str | None:
    """The outermost folder above `path` that `uid` cannot cross (by mode bits), if any."""
    parts = path.split(os.sep)
    for i in range(2, len(parts)):
        folder = os.sep.join(parts[:i])
        st = os.stat(folder)
        bit = stat.S_IXUSR if st.st_uid == uid else stat.S_IXOTH
        if not st.st_mode & bit:
            return folder
    return None


def reachable(path: str, uid: int) -> bool:
    """Whether `uid` (not root, no groups) can reach and read `path`, by its mode bits."""
    path = os.path.realpath(path)
    parts = path.split(os.sep)
    for i in range(1, len(parts) + 1):
        try:
            st = os.stat(os.sep.join(parts[:i]) or os.sep)
        except OSError:
            return False
        last = i == len(parts)
        need = (stat.S_IROTH if last else 0) | (stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0)
        owner = (need << 6) if st.st_uid == uid else 0
        if st.st_mode & need != need and (not owner or st.st_mode & owner != owner):
            return False
    return True


def workspace_reachable(workspace: str, uid: int) -> bool:
    """Whether `uid` can reach the workspace by its path and read everything in it."""
    return reachable(workspace, uid) and readable_tree(workspace, uid)


def readable_tree(folder: str, uid: int, deep: bool = True, most: int = 5000) -> bool:
    """Whether `uid` can read `folder` and (if `deep`) everything in it (False beyond `most`
    entries or 64 folders deep: the grader's user then runs the worker, rather than one that
    may fail to read)."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    if st.st_mode & (stat.S_IROTH | stat.S_IXOTH) != stat.S_IROTH | stat.S_IXOTH:
        return False
    seen = 0
    for parent, dirs, files in os.walk(folder) if deep else ():
        if parent.count(os.sep) - folder.count(os.sep) > 64:    # os.walk recurses
            return False
        for name in dirs + files:
            seen += 1
            try:
                st = os.lstat(os.path.join(parent, name))
            except OSError:
                return False
            need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0)
            if seen > most or (not stat.S_ISLNK(st.st_mode) and st.st_mode & need != need):
                return False
    return True


_known: dict[tuple[str, int | None], bool] = {}   # (isolation, uid): whether it starts


def sandbox_available() -> bool:
    """Whether bwrap can start this Python with numpy in the sandbox the workers use."""
    if not shutil.which("bwrap") or not sys.platform.startswith("linux"):
        return False
    if _known.get(("sandbox", None)) or _known.get(("sandbox", NOBODY)):
        return True
    return _probed("sandbox", None) or (os.geteuid() == 0 and _works_as_nobody("sandbox"))


def _works_as_nobody(isolation: str) -> bool:
    return _probed(isolation, NOBODY)


def _probed(isolation: str, uid: int | None) -> bool:
    if (isolation, uid) not in _known:
        _known[isolation, uid] = _probe(isolation, uid)
    return _known[isolation, uid]


def confirm(uid: int | None) -> None:
    """A sandbox started as `uid` (None: as we are) just imported numpy: no probe needed."""
    _known["sandbox", uid] = True


def _probe(isolation: str, uid: int | None) -> bool:
    """Whether a worker's Python, started as `uid` (None: as we are), imports numpy."""
    python = os.path.realpath(sys.executable)
    code = f"import sys; sys.path[:0] = {list(site_dirs())!r}; import numpy"
    info_r, info_w = os.pipe()
    argv = [python, "-I", "-S", "-c", code]
    if isolation == "sandbox":
        argv = bwrap_prefix(WORKER_DIR, info_w, uid) + argv
    plan = views(WORKER_DIR) if uid is not None else ()
    try:
        done = subprocess.run(argv, capture_output=True, timeout=20, pass_fds=(info_w,),
                              cwd="/", preexec_fn=_preexec(None, uid, plan))
        return done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        os.close(info_w)
        os.close(info_r)


def choose(requested: str, for_record: bool = False) -> str:
    """"sandbox" or "process" for a request of "auto", "sandbox" or "process".

    Grading for record (batch grading, CI formats) passes `for_record=True`: "auto" then
    refuses to fall back to process isolation, which must be asked for by name.
    """
    if requested == "auto":
        if sandbox_available():
            return "sandbox"
        if for_record:
            raise RuntimeError(t("sealsandbox.record_needs_sandbox"))
        return "process"
    if requested == "sandbox" and not sandbox_available():
        raise RuntimeError(t("cli.no_sandbox"))
    return requested


def _ro(src: str, dest: str | None = None) -> list[str]:
    return ["--ro-bind", src, dest or src]


def bwrap_prefix(workspace: str, info_fd: int, uid: int | None = None,
                 warm: bool = False) -> list[str]:
    """The bwrap command line up to the worker's own argv, for bwrap started as `uid`
    (None: as the grader's user); `warm`: for a warm sandbox's zygote (zygote.py), the
    PID namespace's init, with a POSIX message queue file system where it finds the
    queues to remove between students."""
    args = [shutil.which("bwrap"), "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", str(NOBODY), "--gid", str(NOBODY),
            "--info-fd", str(info_fd)]
    # the writable tmpfs first: a runtime or site dir below /tmp is then bound on top of it
    args += ["--size", str(SCRATCH_MB << 20), "--tmpfs", "/scratch",
             "--size", str(TMP_MB << 20), "--tmpfs", "/tmp"]
    for top in ("usr", "bin", "lib", "lib64", "lib32", "sbin"):
        path = f"/{top}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += _ro(path)
    if not sys.base_prefix.startswith("/usr"):
        args += _ro(sys.base_prefix)
    for site in site_dirs():
        args += _ro(site)
    for hidden in hidden_dirs():     # an empty read-only directory over mlgrade
        args += ["--size", "4096", "--tmpfs", hidden, "--remount-ro", hidden]
    args += _ro(WORKER_DIR, "/opt/mlgrade/worker") + _ro(workspace, "/workspace")
    args += ["--proc", "/proc", "--size", str(DEV_KB << 10), "--tmpfs", "/dev"]
    devices = private_devices() if uid is None and os.geteuid() == 0 else "/dev"
    for dev in DEVICES if devices else ():
        args += ["--dev-bind", f"{devices}/{dev}", f"/dev/{dev}"]
    for i, name in enumerate(("stdin", "stdout", "stderr")):
        args += ["--symlink", f"/proc/self/fd/{i}", f"/dev/{name}"]
    args += ["--symlink", "/proc/self/fd", "/dev/fd"]
    if warm and posix_mqueue():
        args += ["--mqueue", "/dev/mqueue"]
    args += ["--remount-ro", "/dev"]
    args += ["--chdir", "/scratch"]
    args += ["--as-pid-1"] if warm else []     # its workers' signals cannot reach it
    return args + ["--remount-ro", "/"]   # bwrap's root is a tmpfs of no size: read-only


@functools.cache
def posix_mqueue() -> bool:
    """Whether the kernel has POSIX message queues (their file system)."""
    try:
        with open("/proc/filesystems") as f:
            return any(line.split()[-1:] == ["mqueue"] for line in f)
    except OSError:
        return False


@functools.cache
def private_devices() -> str | None:
    """A folder of our own null, zero, full, random and urandom, owned by nobody, for a bwrap
    started by root.  There the worker is root outside its user namespace, so it would own the
    machine's /dev/null bound into the sandbox and could chmod it for everyone; these copies
    it does not own.  None where no folder allows device files (the sandbox then has none)."""
    for base in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        try:
            if os.statvfs(base).f_flag & os.ST_NODEV:
                continue
            _sweep_devices(base)
            folder = tempfile.mkdtemp(prefix=f"mlgrade-dev-{os.getpid()}-", dir=base)
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            os.chmod(folder, 0o755)
            for name in DEVICES:
                path = os.path.join(folder, name)
                os.mknod(path, stat.S_IFCHR | 0o666, os.stat(f"/dev/{name}").st_rdev)
                os.chmod(path, 0o666)
                os.chown(path, NOBODY, NOBODY)
            return folder
        except OSError:
            continue
    return None


def _sweep_devices(base: str) -> None:
    """Remove the device folders of grading processes that no longer exist (killed -9)."""
    for name in os.listdir(base):
        pid = name.split("-")[2] if name.startswith("mlgrade-dev-") else ""
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


def _preexec(cgroup: "cgroups.WorkerCgroup | None", uid: int | None, plan=()):
    """What the child does between fork and exec: join the worker's cgroup, show the folders
    of `plan` (see `views`), then drop root."""
    def run():
        if cgroup:
            cgroup.join()
        if plan:
            _show(plan)
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
    return run if cgroup or uid is not None else None


CLONE_NEWNS, MS_BIND, MS_REC, MS_PRIVATE = 0x20000, 0x1000, 0x4000, 0x40000
MS_NOSUID, MS_NODEV = 0x2, 0x4


def _show(plan) -> None:
    """In a mount namespace of this (child) process's own: cover each blocking folder with a
    small tmpfs and bind the needed folders below it again, at their own paths."""
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(source, target, fstype, flags, data):
        if libc.mount(source, target.encode(), fstype, flags, data) != 0:
            raise OSError(ctypes.get_errno(), f"mount {target}")

    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    mount(b"none", "/", None, MS_REC | MS_PRIVATE, None)
    os.umask(0o022)
    for blocked, paths in plan:
        fds = [os.open(p, os.O_PATH) for p in paths]
        mount(b"tmpfs", blocked, b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=65536")
        for path, fd in zip(paths, fds, strict=True):
            os.makedirs(path, exist_ok=True)
            mount(f"/proc/self/fd/{fd}".encode(), path, None, MS_BIND | MS_REC, None)
            os.close(fd)


def worker_env(token: str) -> dict:
    """A small environment: one BLAS thread, and the worker's token."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
    # (python -I ignores PYTHON* variables: -B and -u on the command line do their work)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env[TOKEN_VAR] = token
    return env


def make_cgroup(limits: Limits) -> "cgroups.WorkerCgroup | None":
    """The worker's own cgroup, or None where none can be made (see `describe`)."""
    if not cgroups.parents():
        return None
    try:
        return cgroups.WorkerCgroup(limits.memory_mb << 20, limits.processes)
    except OSError:
        return None


class Process:
    """A running worker (or warm sandbox): the process we started, and how to stop all it
    started.

    Args:
        entry: the script of worker/ to run: main.py (a worker serving `module`) or
            zygote.py (the warm sandbox forking workers, see zygote.py).
        config: more of the script's configuration (zygote.py: its socket's fd).
        uid: the user to start as (see `worker_user`); "auto": `worker_user`'s choice.
    """

    def __init__(self, isolation: str, workspace: str, module: str, limits: Limits,
                 fds: tuple[int, ...], stdout: int, entry: str = "main.py",
                 config: dict | None = None, uid: int | None | str = "auto"):
        self.isolation = isolation
        self.limits = limits
        self.token = os.urandom(8).hex()
        self.scratch = None
        self.child_pid: int | None = None
        python = os.path.realpath(sys.executable)
        config = {"module": module, "fds": list(fds), "limits": asdict(limits),
                  "site": list(site_dirs()), **(config or {})}
        if isolation == "sandbox":
            info_r, info_w = os.pipe()
            self.uid = uid = worker_user(workspace, "sandbox") if uid == "auto" else uid
            config.update(workspace="/workspace")
            argv = bwrap_prefix(workspace, info_w, uid, warm=entry == "zygote.py") + [
                python, "-I", "-S", "-B", "-u", f"/opt/mlgrade/worker/{entry}"]
            cwd, home, pass_fds = "/", "/scratch", (*fds, info_w)
        else:
            self.uid = uid = worker_user(workspace, isolation) if uid == "auto" else uid
            self.scratch = tempfile.TemporaryDirectory(prefix="mlgrade-scratch-")
            if uid is not None:
                os.chown(self.scratch.name, uid, uid)
            config.update(workspace=workspace)
            argv = [python, "-I", "-S", "-B", "-u", os.path.join(WORKER_DIR, entry)]
            cwd, home, pass_fds = self.scratch.name, self.scratch.name, fds
            subreaper()
        self.cgroup = make_cgroup(limits)
        # RLIMIT_NPROC counts every process of the uid on the machine (nobody is shared):
        # only where no cgroup counts the worker's own
        config["limits"]["nproc"] = not (self.cgroup and self.cgroup.counts_processes)
        env = {**worker_env(self.token), "HOME": home}
        try:
            self.popen = subprocess.Popen(
                argv + [json.dumps(config)], stdin=subprocess.DEVNULL, stdout=stdout,
                stderr=subprocess.STDOUT, cwd=cwd, env=env, pass_fds=pass_fds,
                start_new_session=True,
                preexec_fn=_preexec(self.cgroup, uid, views(workspace) if uid is not None else ()))
        except BaseException:
            if self.cgroup:
                self.cgroup.remove()
            raise
        if isolation == "sandbox":
            os.close(info_w)
            self.child_pid = _read_child_pid(info_r)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def over_memory(self) -> bool:
        """Whether the whole worker went over its memory limit since the last question.

        With a cgroup: the kernel killed one of its processes.  Without: the resident memory
        of all the worker's processes, summed now, exceeds the limit (then all are killed)."""
        if self.cgroup:
            return self.cgroup.over_memory()
        if not HAVE_PROC:
            return False
        if tree_rss(self.tree()) > self.limits.memory_mb << 20:
            self.kill()
            return True
        return False

    def tree(self) -> list[int]:
        """The pids of every process the worker started (that we can still find)."""
        roots = {self.popen.pid}
        if self.isolation == "process":
            roots |= set(tokened(_children(), self.token))
        return descendants(roots)

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
        if self.cgroup:
            self.cgroup.remove()
        if self.scratch:
            self.scratch.cleanup()


def descendants(roots: set[int]) -> list[int]:
    """`roots` and all their descendants, from one pass over /proc."""
    parent: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
                parent.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parent.get(pid, ()))
    return out


def tree_rss(pids: list[int]) -> int:
    """Memory of these processes together, in bytes: the sum of their proportional set sizes
    (a page shared by n of them counts 1/n in each; resident size where Pss is unknown)."""
    page, total = os.sysconf("SC_PAGE_SIZE"), 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) << 10
                        break
            continue
        except (OSError, ValueError, IndexError):
            pass
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            pass
    return total


def tokened(pids: list[int], token: str) -> list[int]:
    """Those of `pids` whose environment carries the worker's token."""
    marker, out = f"{TOKEN_VAR}={token}".encode(), []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker in f.read().split(b"\0"):
                    out.append(pid)
        except OSError:
            pass
    return out


def describe(isolation: str, limits: Limits, workspace: str,
             uid: int | None | str = "auto") -> dict[str, str]:
    """Which limits hold for the whole worker, and how: report["limits"] (English, technical).

    The same decisions as `Process` takes, so the report says what was really enforced;
    `uid`: the user the workers ran as, if known (a warm sandbox's, see `Pool.user`).
    """
    mech = cgroups.mechanisms()
    uid = worker_user(workspace, isolation) if uid == "auto" else uid
    unprivileged = uid is not None or os.geteuid() != 0
    memory = mech.get("memory") or (
        "fallback: resident memory of the worker's whole process tree summed every 0.1 s "
        "(no cgroup could be made)" if HAVE_PROC else "not enforced for the whole worker "
        "(no cgroup, no /proc)")
    processes = mech.get("processes") or (
        "RLIMIT_NPROC (per user, no cgroup could be made)" if unprivileged else
        "not enforced: no cgroup could be made and the worker's user is root")
    outside = f"uid {uid if uid is not None else os.geteuid()}"
    if uid is None and os.geteuid() == 0:
        outside += f" (root: {_why_root(workspace, isolation)})"
    if isolation == "sandbox":
        user = f"uid 65534 inside the user namespace, {outside} outside it"
        disk = (f"tmpfs /scratch {SCRATCH_MB} MB, /tmp {TMP_MB} MB, read-only /dev "
                f"({', '.join(DEVICES)}); files up to {limits.file_mb} MB (RLIMIT_FSIZE)")
    else:
        user = outside
        disk = (f"files up to {limits.file_mb} MB each (RLIMIT_FSIZE); their total is not "
                "bounded (the scratch directory is on disk)")
    return {"memory": f"{limits.memory_mb} MB: {memory}; "
                      f"{limits.memory_mb} MB of address space per process (RLIMIT_AS)",
            "processes": f"{limits.processes}: {processes}",
            "cpu": f"{int(limits.timeout) + 1} s per process (RLIMIT_CPU); every process is "
                   f"killed at the exercise's wall-clock limit of {limits.timeout:g} s"
                   + (f"; one CPU for the whole worker ({mech['cpu']})" if "cpu" in mech
                      else "; the CPUs shared with the machine (no cpu cgroup)"),
            "disk": disk, "open_files": f"{limits.open_files} per process (RLIMIT_NOFILE)",
            "user": user}


def _why_root(workspace: str, isolation: str) -> str:
    if not all(readable_tree(d, NOBODY, deep=False) for d in _runtime()):
        return "the Python runtime is not readable by nobody"
    if not readable_tree(workspace, NOBODY):
        return "the workspace is not readable by nobody"
    return f"{'bwrap' if isolation == 'sandbox' else 'Python'} does not start as nobody here"


def gaps(isolation: str, workspace: str) -> str:
    """What the isolation does not protect, in the user's language (every report says it)."""
    if isolation == "process" and os.geteuid() == 0 and worker_user(workspace) is None:
        return t("sealsandbox.gaps.process_root")
    return t(f"sealsandbox.gaps.{isolation}")


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
