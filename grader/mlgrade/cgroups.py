"""A cgroup of each worker's own: one memory limit, one process limit and one CPU (a CFS quota
of one CPU per period) for all it starts.

The cgroup is created beneath the grading process's own cgroup (read from /proc/self/cgroup),
the worker is put into it before it runs (`join`, called in the child between fork and exec),
and it is removed when the worker is killed.  mlgrade writes only to cgroups it created:
their names start with `mlgrade-<pid of the grading process>-`.

Either cgroup v2 (where the grader's cgroup already delegates `memory`, `pids` or `cpu` to its
children: mlgrade never changes `cgroup.subtree_control` of a cgroup it did not create) or
the v1 `memory`, `pids` and `cpu` controllers, each used when its directory is writable.
"""
import atexit
import functools
import itertools
import os
import queue
import signal
import threading
import time

ROOT = "/sys/fs/cgroup"
PREFIX = "mlgrade-"
_serial = itertools.count()


@functools.cache
def _own() -> dict[str, str]:
    """{controller or "": path} of this process's cgroups, from /proc/self/cgroup."""
    out = {}
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for c in controllers.split(",") if controllers else [""]:
                    out[c] = path
    except OSError:
        pass
    return out


def _cgroup2_mount() -> str | None:
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                sep = fields.index("-")
                if fields[sep + 1] == "cgroup2":
                    return fields[4]
    except (OSError, ValueError, IndexError):
        pass
    return None


def _writable_parent(path: str) -> bool:
    """Whether we may create a child cgroup in `path` (tried, then removed)."""
    probe = os.path.join(path, f"{PREFIX}{os.getpid()}-probe")
    try:
        os.mkdir(probe)
        os.rmdir(probe)
        return True
    except OSError:
        return False


CONTROLLERS = ("memory", "pids", "cpu")
CPU_PERIOD = 100_000      # µs; a worker may use one CPU's worth of each period, in all


@functools.cache
def parents() -> dict[str, tuple[str, str]]:
    """{"memory"|"pids"|"cpu": (version, parent directory)} where a worker's cgroup can be
    made."""
    own = _own()
    found: dict[str, tuple[str, str]] = {}
    mount = _cgroup2_mount()
    if mount and "" in own:
        base = os.path.join(mount, own[""].lstrip("/"))
        try:
            with open(os.path.join(base, "cgroup.subtree_control")) as f:
                delegated = f.read().split()
        except OSError:
            delegated = []
        if set(CONTROLLERS) & set(delegated) and _writable_parent(base):
            for c in CONTROLLERS:
                if c in delegated:
                    found[c] = ("v2", base)
    for c in CONTROLLERS:
        if c not in found and c in own:
            base = os.path.join(ROOT, c, own[c].lstrip("/"))
            if os.path.isdir(base) and _writable_parent(base):
                found[c] = ("v1", base)
    if found:
        _sweep({base for _, base in found.values()})
    return found


def _sweep(bases: set[str]) -> None:
    """Remove empty cgroups left by an mlgrade process that no longer exists (killed -9)."""
    for base in bases:
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            if name.startswith(PREFIX) and name.split("-")[1].isdigit():
                pid = int(name.split("-")[1])
                if pid != os.getpid() and not os.path.exists(f"/proc/{pid}"):
                    try:
                        os.rmdir(os.path.join(base, name))
                    except OSError:
                        pass


def mechanisms() -> dict[str, str]:
    """{"memory"|"processes"|"cpu": how the whole worker's limit is enforced} for the cgroups
    found."""
    files = {("v1", "memory"): "cgroup v1 memory.limit_in_bytes",
             ("v2", "memory"): "cgroup v2 memory.max", ("v1", "pids"): "cgroup v1 pids.max",
             ("v2", "pids"): "cgroup v2 pids.max", ("v1", "cpu"): "cgroup v1 cpu.cfs_quota_us",
             ("v2", "cpu"): "cgroup v2 cpu.max"}
    names = {"memory": "memory", "pids": "processes", "cpu": "cpu"}
    return {names[c]: files[version, c] for c, (version, _) in parents().items()}


class WorkerCgroup:
    """The cgroups (one per controller, or one in v2) of one worker."""

    def __init__(self, memory_bytes: int, processes: int):
        self.dirs: list[str] = []
        self.events: int | None = None     # fd of the memory events file, once read
        self.memory: tuple[str, str] | None = None    # (version, dir) of the memory limit
        self.counts_processes = False
        name = f"{PREFIX}{os.getpid()}-{next(_serial)}-{os.urandom(3).hex()}"
        made: dict[str, str] = {}
        try:
            for c, (version, base) in parents().items():
                path = made.get(base) or os.path.join(base, name)
                if path not in self.dirs:
                    os.mkdir(path)
                    self.dirs.append(path)
                    made[base] = path
                if c == "memory":
                    self.memory = (version, path)
                    self._limit_memory(version, path, memory_bytes)
                elif c == "pids":
                    _write(path, "pids.max", str(processes))
                    self.counts_processes = True
                elif version == "v2":
                    _write(path, "cpu.max", f"{CPU_PERIOD} {CPU_PERIOD}")
                else:
                    _write(path, "cpu.cfs_period_us", str(CPU_PERIOD))
                    _write(path, "cpu.cfs_quota_us", str(CPU_PERIOD))
        except OSError:
            self.remove()
            raise
        self.procs = [os.path.join(d, "cgroup.procs").encode() for d in self.dirs]
        self.ooms = self.oom_kills()

    @staticmethod
    def _limit_memory(version: str, path: str, limit: int) -> None:
        if version == "v2":
            _write(path, "memory.max", str(limit))
            if os.path.exists(os.path.join(path, "memory.swap.max")):
                _write(path, "memory.swap.max", "0")
            return
        _write(path, "memory.limit_in_bytes", str(limit))
        if os.path.exists(os.path.join(path, "memory.memsw.limit_in_bytes")):
            _write(path, "memory.memsw.limit_in_bytes", str(limit))   # no escape into swap

    def join(self) -> None:
        """Put the calling process into the worker's cgroups (in the child, before exec)."""
        pid = str(os.getpid()).encode()
        for path in self.procs:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, pid)
            finally:
                os.close(fd)

    def oom_kills(self) -> int:
        """How many processes the kernel killed for exceeding the memory limit (read after
        each reply of the worker: the file stays open)."""
        if not self.memory:
            return 0
        if self.events is None:
            version, path = self.memory
            name = "memory.events" if version == "v2" else "memory.oom_control"
            try:
                self.events = os.open(os.path.join(path, name), os.O_RDONLY)
            except OSError:
                return 0
        try:
            for line in os.pread(self.events, 4096, 0).decode().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def over_memory(self) -> bool:
        """Whether a process of the worker was killed for memory since the last call."""
        now = self.oom_kills()
        hit, self.ooms = now > self.ooms, now
        return hit

    def remove(self) -> None:
        """Kill whatever is left in the worker's cgroups and remove them (within ~2 s)."""
        if self.events is not None:
            os.close(self.events)
            self.events = None
        for path in reversed(self.dirs):
            for _ in range(200):
                self._kill_all(path)
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.dirs = []

    @staticmethod
    def _kill_all(path: str) -> None:
        try:
            with open(os.path.join(path, "cgroup.procs")) as f:
                pids = [int(p) for p in f.read().split()]
        except (OSError, ValueError):
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


_removals: queue.Queue = queue.Queue()
_remover: list[threading.Thread] = []


def remove_later(cgroup: WorkerCgroup) -> None:
    """`cgroup.remove()` in a thread of its own, so the grading does not wait for the killed
    processes to exit; all are done before this process exits."""
    if not _remover:
        _remover.append(threading.Thread(target=_remove_queued, daemon=True))
        _remover[0].start()
        atexit.register(wait_removed)
    _removals.put(cgroup)


def wait_removed() -> None:
    """Return once every cgroup handed to `remove_later` is removed."""
    _removals.join()


def _remove_queued() -> None:
    while True:
        cgroup = _removals.get()
        try:
            cgroup.remove()
        finally:
            _removals.task_done()


def _write(path: str, name: str, value: str) -> None:
    with open(os.path.join(path, name), "w") as f:
        f.write(value)
