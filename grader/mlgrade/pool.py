"""Worker processes, one per exercise, reached only through plain-data messages."""
import os
import select
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import sandbox, zygote
from .i18n import t
from .outcomes import InfrastructureError, NotAttempted, StudentError
from .worker import wire

OUTPUT_CAP = 256 * 1024
MAX_RESPAWNS = 50   # each costs its start-up time out of the exercise's budget
GRACE = 0.8   # seconds left to an exercise's other functions after one timed out
PREFETCH = 2  # workers started ahead: their start-up (~70 ms) overlaps the grading


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

    def drain(self, fd: int) -> None:
        self.pending.add(fd)
        try:
            while chunk := os.read(fd, 1 << 16):
                with self.lock:
                    self.total += len(chunk)
                    room = self.WINDOW - len(self.window)
                    if room > 0:
                        self.window += chunk[:room]
        finally:
            self.pending.discard(fd)
            os.close(fd)

    def settle(self, limit: float = 0.2) -> None:
        """Wait (briefly) until output already written by the worker has been read."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            fds = list(self.pending)
            try:
                if not fds or not select.select(fds, [], [], 0)[0]:
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
        self.reader = threading.Thread(target=log.drain, args=(out_r,), daemon=True)
        self.reader.start()
        self.buffer = b""
        self.next_id = 0
        self.ready: dict | None = None

    def receive(self, deadline: float) -> dict:
        """The next reply line; raise StudentError on time-out or a dead worker."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.rep_r], [], [], left)[0]:
                raise StudentError(t("msg.time_limit"), kind="timeout")
            chunk = os.read(self.rep_r, 1 << 20)
            if not chunk:
                raise StudentError(self.death(), kind="crash")
            self.buffer += chunk
            if len(self.buffer) > wire.MAX_BYTES:
                raise StudentError(t("msg.too_large"), kind="crash")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return wire.loads(line)
        except wire.WireError as exc:
            raise StudentError(t("msg.bad_reply", detail=exc), kind="crash") from None

    def death(self) -> str:
        """Why the worker is gone, in the student's terms."""
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
        self.next_id += 1
        message = {"id": self.next_id, "func": func, "args": args, "args_after": args_after}
        try:
            os.write(self.req_w, wire.dumps(message))
        except (BrokenPipeError, OSError):
            raise StudentError(self.death(), kind="crash") from None
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                return reply

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
        self.spawned = 0
        self.fatal: StudentError | None = None
        self.timed_out: str | None = None
        self.last_call: tuple | None = None   # (function, args) of the latest call
        self.warm: zygote.Zygote | None = None

    def prefetch(self) -> None:
        if self.worker is None and self.fatal is None and self.spawned <= MAX_RESPAWNS:
            self.spawned += 1
            self.worker = Worker(self.workspace, self.module, self.limits, self.log,
                                 self.isolation, self.warm)

    def call(self, func: str, args: list, args_after: bool = False) -> Reply:
        """Call `func(*args)` in the worker; raise NotAttempted or StudentError."""
        if self.fatal:
            raise self.fatal
        if func == self.timed_out:
            raise StudentError(t("msg.timed_out_earlier", function=func), "timeout")
        self.prefetch()
        if self.worker is None:
            raise StudentError(t("msg.kept_crashing"), "crash")
        started = time.monotonic()
        deadline = started + max(self.budget - self.spent, 0)
        try:
            ready = self.worker.start(deadline)
            if not ready["ready"]:
                self.fatal = failure(ready["error"], whole_module=True)
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
                self.discard()
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

    def discard(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


# what the worker reports, by kind: the key of its text in the locale catalogs
FAILURES = {"missing-module": "msg.missing_module", "syntax": "msg.syntax",
            "exit-import": "msg.exit_import", "exit": "msg.exit_call", "memory": "msg.memory",
            "import": "msg.import", "missing-function": "msg.missing_function",
            "exception": "msg.exception", "unsendable": "msg.unsendable"}


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
        self.isolation = isolation
        self.exercises = {m: Exercise(workspace, m, limits, isolation) for m in modules}
        # a warm sandbox forks each worker in ms: none is started ahead (see zygote.py)
        self.warm = zygote.for_workspace(workspace) if zygote.enabled(isolation) else None
        self.prefetch = 0 if self.warm else PREFETCH
        for ex in self.exercises.values():
            ex.warm = self.warm

    def get(self, module: str) -> Exercise:
        """The module's exercise; earlier workers stop, the next one starts."""
        index = self.order.index(module)
        for done in self.order[:index]:
            self.exercises[done].discard()
        for upcoming in self.order[index + 1:index + 1 + self.prefetch]:
            self.exercises[upcoming].prefetch()
        return self.exercises[module]

    def close(self) -> None:
        for ex in self.exercises.values():
            ex.discard()
        if self.warm:
            self.warm.close()
