"""Worker processes, one per exercise, reached only through plain-data messages."""
import os
import select
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import cgroups, sandbox, zygote
from .callbacks import Callbacks
from .i18n import t
from .outcomes import InfrastructureError, NotAttempted, StudentError
from .worker import wire

OUTPUT_CAP = 256 * 1024
MAX_RESPAWNS = 50   # workers started again after the student's code broke one
GRACE = 0.6   # seconds left to an exercise's other functions after one timed out; with the
              # kill and the checks' own time an exercise stays within timeout + 1 s
PREFETCH = 2  # workers started ahead: their start-up (~70 ms) overlaps the grading
KEEP = 2      # workers of the latest exercises used, kept alive: a check may alternate them
              # (1 in a warm sandbox: there a kept worker's processes could reach the next)


class OutputLog:
    """What the student's code printed during the current check, up to a cap.

    Output is drained continuously (a flood never blocks the worker); only the first
    WINDOW bytes after each `mark()` are kept, the rest is counted.
    """

    WINDOW = 2000

    def __init__(self):
        self.total = 0
        self.start = 0
        self.window = bytearray()
        self.lock = threading.Lock()
        self.pending: set[int] = set()

    def watch(self, fd: int) -> None:
        """Count `fd` as the output of a worker from now on (before its `drain` starts)."""
        with self.lock:
            self.pending.add(fd)

    def drain(self, fd: int) -> None:
        """Read `fd` to its end.  Each chunk is read and counted under the lock, so once
        `settle` finds the pipe empty and takes the lock, what was read is counted."""
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        try:
            while True:
                poller.poll()            # output or end of file: wait outside the lock
                with self.lock:
                    chunk = os.read(fd, 1 << 16)
                    if not chunk:
                        break
                    self.total += len(chunk)
                    room = self.WINDOW - len(self.window)
                    if room > 0:
                        self.window += chunk[:room]
        except OSError:
            pass
        finally:
            with self.lock:
                self.pending.discard(fd)
            os.close(fd)

    def settle(self, limit: float = 0.2) -> None:
        """Wait (briefly) until output already written by the worker has been read."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                fds = list(self.pending)
            try:
                if not fds or not select.select(fds, [], [], 0)[0]:
                    with self.lock:       # a chunk being read is counted once we have it
                        return
            except (OSError, ValueError):
                return
            time.sleep(0.001)

    def mark(self) -> int:
        """Start a new window, e.g. at the start of a check; return its mark."""
        self.settle()
        with self.lock:
            self.window = bytearray()
            self.start = self.total
            return self.start

    def since(self, mark: int) -> str:
        """The output since `mark`, truncated, with the count of bytes left out."""
        self.settle()
        with self.lock:
            if mark != self.start:
                return ""
            shown = bytes(self.window)
            more = self.total - mark - len(shown)
        text = shown.decode("utf-8", "replace")
        return text + (f"\n… ({more} more bytes)" if more > 0 else "")


@dataclass
class Reply:
    value: object = None
    warnings: list = field(default_factory=list)
    args_after: list = field(default_factory=list)


class Worker:
    """One worker process serving one exercise module of a workspace."""

    def __init__(self, workspace: str, module: str, limits: sandbox.Limits, log: OutputLog,
                 isolation: str, warm: zygote.Zygote | None = None):
        req_r, self.req_w = os.pipe()
        self.rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        try:
            self.process = warm and warm.spawn(module, limits, (req_r, rep_w), out_w)
            self.process = self.process or sandbox.Process(isolation, workspace, module, limits,
                                                           (req_r, rep_w), out_w)
        except OSError as exc:
            os.close(out_r)
            raise InfrastructureError(f"cannot start a worker: {exc}") from exc
        finally:
            for fd in (req_r, rep_w, out_w):
                os.close(fd)
        os.set_blocking(self.req_w, False)
        log.watch(out_r)
        self.reader = threading.Thread(target=log.drain, args=(out_r,), daemon=True)
        self.reader.start()
        self.buffer = bytearray()
        self.scanned = 0     # bytes of the buffer known to hold no newline
        self.next_id = 0
        self.ready: dict | None = None
        self.restart = False      # replaces a worker that mlgrade stopped: import not charged

    def receive(self, deadline: float) -> dict:
        """The next reply line; raise StudentError on time-out, a dead worker, a too large
        reply or memory over the whole worker's limit.  Every wait ends by `deadline`; at
        most wire.MAX_BYTES are ever buffered."""
        # without a cgroup, the worker's memory is measured while we wait (sandbox.Process)
        poll = 0.1 if self.process.cgroup is None else None
        while (end := self.buffer.find(b"\n", self.scanned)) < 0:
            self.scanned = len(self.buffer)
            left = deadline - time.monotonic()
            if left <= 0:
                raise StudentError(t("msg.time_limit"), kind="timeout")
            if not select.select([self.rep_r], [], [], min(left, poll or left))[0]:
                if poll and self.process.over_memory():
                    raise self.memory_error()
                continue
            chunk = os.read(self.rep_r, 1 << 16)
            if not chunk:
                raise StudentError(self.death(), kind="crash")
            if len(self.buffer) + len(chunk) > wire.MAX_BYTES:
                raise StudentError(t("sealsandbox.reply_too_large",
                                     mb=f"{wire.MAX_BYTES / (1 << 20):g}"), kind="crash")
            self.buffer += chunk
        line = bytes(self.buffer[:end])
        del self.buffer[:end + 1]
        self.scanned = 0
        if not poll and self.process.over_memory():
            raise self.memory_error()
        try:
            return wire.loads(line)
        except wire.WireError as exc:
            raise StudentError(t("msg.bad_reply", detail=exc), kind="crash") from None

    def memory_error(self) -> StudentError:
        return StudentError(t("sealsandbox.memory_total", mb=self.process.limits.memory_mb),
                            kind="memory")

    def death(self) -> str:
        """Why the worker is gone, in the student's terms."""
        if self.process.over_memory():
            return self.memory_error().args[0]
        try:
            code = self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            return t("msg.closed")
        if self.process.isolation == "sandbox" and code > 128:
            code = 128 - code        # bwrap reports a child killed by signal N as 128 + N
        return sandbox.explain_exit(code)

    def start(self, deadline: float) -> dict:
        if self.ready is None:
            self.ready = self.receive(deadline)
        return self.ready

    def call(self, func: str, args: list, args_after: bool, deadline: float) -> dict:
        """Call `func(*args)`; answer its callbacks (callbacks.py) until its reply."""
        self.next_id += 1
        callbacks = Callbacks(self.next_id)
        message = {"id": self.next_id, "func": func, "args": callbacks.hide(args),
                   "args_after": args_after}
        self.send(wire.dumps(message), deadline)
        while True:
            reply = self.receive(deadline)
            if "callback" in reply:
                self.send(wire.dumps(callbacks.answer(reply)), deadline)
            elif reply.get("id") == self.next_id:
                return reply

    def send(self, data: bytes, deadline: float) -> None:
        """Write to the worker's request pipe, giving up at the deadline (it may not read)."""
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.req_w], [], left)[1]:
                raise StudentError(t("msg.time_limit"), kind="timeout")
            try:
                view = view[os.write(self.req_w, view):]
            except BlockingIOError:
                continue
            except OSError:
                raise StudentError(self.death(), kind="crash") from None

    def close(self) -> None:
        self.process.kill()
        for fd in (self.req_w, self.rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.reader.join(timeout=1)


class Exercise:
    """The workers of one exercise module, its time budget and its output."""

    def __init__(self, workspace: str, module: str, limits: sandbox.Limits, isolation: str):
        self.workspace, self.module, self.limits = workspace, module, limits
        self.isolation = isolation
        self.log = OutputLog()
        self.worker: Worker | None = None
        self.spent = 0.0
        self.budget = limits.timeout
        self.broken = 0           # workers discarded because of the student's code
        self.evicted = False      # mlgrade stopped a worker that had imported the module
        self.fatal: StudentError | None = None
        self.timed_out: str | None = None
        self.warm: zygote.Zygote | None = None

    def prefetch(self) -> None:
        if self.worker is None and self.fatal is None and self.broken <= MAX_RESPAWNS:
            self.worker = Worker(self.workspace, self.module, self.limits, self.log,
                                 self.isolation, self.warm)
            self.worker.restart, self.evicted = self.evicted, False

    def call(self, func: str, args: list, args_after: bool = False) -> Reply:
        """Call `func(*args)` in the worker; raise NotAttempted or StudentError."""
        if self.fatal:
            raise self.fatal
        if func == self.timed_out:
            raise StudentError(t("msg.timed_out_earlier", function=func), "timeout")
        if self.worker and isinstance(self.worker.process, zygote.Forked) and (
                self.worker.process.zygote.broken):
            self.evict()    # mlgrade gave its warm sandbox up: started again, not charged
        self.prefetch()
        if self.worker is None:
            raise StudentError(t("msg.kept_crashing"), "crash")
        started = time.monotonic()
        try:
            if self.worker.restart and self.worker.ready is None:
                self.worker.start(started + self.limits.timeout)
                started = time.monotonic()     # its import was charged the first time
            deadline = started + max(self.budget - self.spent, 0)
            ready = self.worker.start(deadline)
            if not ready.get("ready"):
                error = ready.get("error")
                self.fatal = failure(error if isinstance(error, dict) else {}, whole_module=True)
                raise self.fatal
            return self.unpack(self.worker.call(func, args, args_after, deadline))
        except StudentError as exc:
            if exc.kind == "crash" and self.worker.ready is None:
                exc = StudentError(t("msg.while_importing", reason=exc, module=self.module),
                                   "crash", whole_module=True)
                self.fatal = exc     # an import that kills the process would do it again
            if exc.kind == "timeout":
                exc = self.timeout(func)
            if exc.kind in ("timeout", "crash", "memory"):
                self.broken += 1
                self.close()
            raise exc from None
        finally:
            self.spent += time.monotonic() - started

    def timeout(self, func: str) -> StudentError:
        """The error of a call that ran out of time; the exercise keeps a short grace."""
        if self.timed_out is None and self.worker and self.worker.ready is not None:
            self.timed_out = func
            self.budget = self.limits.timeout + GRACE
            return StudentError(t("msg.timeout_in", timeout=f"{self.limits.timeout:g}",
                                  function=func), "timeout")
        self.fatal = StudentError(t("msg.timeout_rest", timeout=f"{self.limits.timeout:g}"),
                                  "timeout", whole_module=True)
        return self.fatal

    @staticmethod
    def unpack(reply: dict) -> Reply:
        if reply.get("ok"):
            return Reply(reply.get("value"), reply.get("warnings") or [],
                         reply.get("args_after") or [])
        if reply.get("kind") == "not-implemented":
            raise NotAttempted(t("msg.not_implemented"))
        raise failure(reply)

    def evict(self) -> None:
        """Stop the worker to bound the workers alive; no cost to the student."""
        if self.worker is not None:
            ready = self.worker.ready
            self.evicted = bool(ready and ready.get("ready")) or self.worker.restart
            self.close()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


# what the worker reports, by kind: the key of its text in the locale catalogs
FAILURES = {"missing-module": "msg.missing_module", "syntax": "msg.syntax",
            "exit-import": "msg.exit_import", "exit": "msg.exit_call", "memory": "msg.memory",
            "import": "msg.import", "missing-function": "msg.missing_function",
            "exception": "msg.exception", "unsendable": "msg.unsendable",
            "too-large": "sealsandbox.result_too_large",
            "import-missing": "sealsandbox.not_installed",
            "import-grader": "sealsandbox.grader_import"}


def failure(reply: dict, whole_module: bool = False) -> StudentError:
    """The worker's report of a failed import or call, as a StudentError in the user's language."""
    kind = str(reply.get("kind", "exception"))
    text = t(FAILURES.get(kind, "msg.exception"), detail=str(reply.get("detail", ""))[:500],
             line=str(reply.get("line", "?"))[:12])
    return StudentError(text, kind, str(reply.get("traceback", ""))[:1500], whole_module)


class Pool:
    """One `Exercise` per module; the next modules' workers start while one is graded."""

    def __init__(self, workspace: str, modules: list[str], limits: sandbox.Limits,
                 isolation: str):
        self.order = list(modules)
        self.workspace, self.limits, self.isolation = workspace, limits, isolation
        self.exercises = {m: Exercise(workspace, m, limits, isolation) for m in modules}
        self.recent: list[str] = []     # modules by latest use, the latest last
        self.frontier = -1              # the furthest module in order used so far
        # a warm sandbox forks each worker in ms: none is started ahead (see zygote.py)
        self.warm = zygote.for_workspace(workspace, limits) if zygote.enabled(isolation) else None
        self.prefetch = 0 if self.warm else PREFETCH
        # forked workers share the warm sandbox's uid and PID namespace: only one is alive at
        # a time, so the zygote kills all an exercise left before the next one's worker runs
        self.keep = 1 if self.warm else KEEP
        # the user the workers run as: the warm sandbox's (a staged copy of the workspace
        # may be readable by nobody where the workspace is not), else as sandbox.worker_user
        self.user = self.warm.process.uid if self.warm else "auto"
        for ex in self.exercises.values():
            ex.warm = self.warm

    def get(self, module: str) -> Exercise:
        """The module's exercise.  The latest `keep` exercises' workers stay alive, and the
        next PREFETCH after the furthest one used start; all others stop (`evict`).
        A module outside `order` (an instructor's check using an exercise that -e left
        out) gets its exercise on demand."""
        if module not in self.exercises:
            self.exercises[module] = Exercise(self.workspace, module, self.limits,
                                              self.isolation)
            self.exercises[module].warm = self.warm
        others = [m for m in self.recent if m != module]
        self.recent = others[len(others) - (self.keep - 1):] + [module]
        if module in self.order:
            self.frontier = max(self.frontier, self.order.index(module))
        upcoming = self.order[self.frontier + 1:self.frontier + 1 + self.prefetch]
        for m, exercise in self.exercises.items():
            if m not in self.recent and m not in upcoming:
                exercise.evict()
        for m in upcoming:
            self.exercises[m].prefetch()
        return self.exercises[module]

    def close(self) -> None:
        for ex in self.exercises.values():
            ex.close()
        if self.warm:
            zygote.release(self.warm)
        cgroups.wait_removed()      # nothing of this workspace's workers outlives its grading
