"""Grade a class: each subfolder of SUBMISSIONS is one student's workspace, named by id.

`jobs` grading processes (`mlgrade.gradeslot`) each grade one student after another;
this process hands out the students, writes each student's report and the gradebook as
soon as the student is graded, and replaces a grading process that dies or hangs (the
student it was grading is recorded as failed to grade, with why).

Each student's seed is a stable hash of (student id, batch seed), so a report replays
with `mlgrade check WORKSPACE --seed SEED`.  A report is stamped with the digest of the
workspace's content and of the checks, so `--resume` regrades only what changed.
"""
import hashlib
import json
import os
import queue
import select
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field

from . import __version__, catalog, gradebook
from . import quiz as quiz_bank
from .i18n import t
from .output import write_atomic
from .sandbox import Limits

SEED_RANGE = 2**31
# seconds a grading process may take to start (imports, the collection of the checks);
# MLGRADE_SLOT_STARTUP changes it, for tests only (an instructor has --student-timeout)
SLOT_STARTUP = float(os.environ.get("MLGRADE_SLOT_STARTUP", "60"))
EXERCISE_SLACK = 5.0     # seconds per exercise beyond its timeout (worker starts, respawns)
STOP_GRACE = 5.0         # seconds a stopped grading process has to clean up its workers
START_TRIES = 2          # grading processes that may fail to start before any started


class BatchError(Exception):
    """The batch cannot go on (e.g. the instructor's checks do not import): a usage error."""


@dataclass(frozen=True)
class Settings:
    """What every student is graded with."""

    modules: tuple[str, ...] = catalog.MODULES
    limits: Limits = field(default_factory=Limits)
    checks_dirs: tuple[str, ...] = ()
    isolation: str = "sandbox"
    seed: int = 0
    lang: str = "en"
    student_timeout: float | None = None    # None: from the exercises and their timeout

    def slot_config(self, exclude: list[str] = ()) -> str:
        """The grading processes' configuration; `exclude`: never copied from --checks."""
        return json.dumps({"modules": list(self.modules), "limits": asdict(self.limits),
                           "checks_dirs": [os.path.abspath(d) for d in self.checks_dirs],
                           "isolation": self.isolation, "lang": self.lang,
                           "exclude": [os.path.abspath(d) for d in exclude]})

    def student_deadline(self) -> float:
        """Seconds a student's grading may take before its grading process is taken to hang
        (the process's own start is bounded apart, by SLOT_STARTUP)."""
        if self.student_timeout is not None:
            return self.student_timeout
        return len(self.modules) * (self.limits.timeout + EXERCISE_SLACK)


def student_seed(student: str, seed: int) -> int:
    """The seed of one student's checks: sha256 of (student id, batch seed)."""
    digest = hashlib.sha256(f"{seed}\0{student}".encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % SEED_RANGE


def shard_of(student: str, shards: int) -> int:
    """The part (0 … shards−1) a student belongs to: stable, from the hash of the id."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def students(submissions: str) -> list[str]:
    """The student ids: the names of the subfolders (not hidden) of `submissions`."""
    return sorted(e.name for e in os.scandir(submissions)
                  if e.is_dir() and not e.name.startswith("."))


def tree_digest(folder: str) -> str:
    """sha256 of a folder's content: every path, its kind, and file contents or link targets.

    Symbolic links are not followed (their target text is hashed); other special files
    count by their name and kind only.
    """
    h = hashlib.sha256()
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, folder).encode("utf-8", "surrogateescape")
            h.update(b"\0path\0" + rel)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                h.update(b"\0gone\0")
                continue
            if stat.S_ISLNK(mode):
                h.update(b"\0link\0" + os.readlink(path).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(mode):
                h.update(b"\0file\0")
                try:
                    with open(path, "rb") as f:
                        while chunk := f.read(1 << 20):
                            h.update(chunk)
                except OSError as exc:
                    h.update(f"\0unreadable {exc.errno}\0".encode())
            else:
                h.update(b"\0special\0")
    return h.hexdigest()


def checks_digest(settings: Settings) -> str:
    """sha256 of what the checks are: the catalog's files, the instructor's, the limits."""
    h = hashlib.sha256(json.dumps([list(settings.modules), asdict(settings.limits),
                                   settings.isolation]).encode())
    for folder in [os.path.dirname(catalog.__file__), os.path.dirname(quiz_bank.__file__),
                   *settings.checks_dirs]:
        h.update(tree_digest(folder).encode())
    return h.hexdigest()


@dataclass
class Outcome:
    """What became of one student: a report (graded) or an error (failed to grade)."""

    student: str
    report: dict | None = None
    error: str | None = None
    resumed: bool = False
    usage: bool = False
    stamp: dict = field(default_factory=dict)   # see Batch.stamp, taken before grading

    @property
    def graded(self) -> bool:
        return self.report is not None


class SlotDied(Exception):
    """The grading process ended or hung while grading a student."""


class SlotNotReady(SlotDied):
    """The grading process ended or hung before it was ready to grade."""


class Slot:
    """One grading process (`python -m mlgrade.gradeslot`), replaced when it dies."""

    def __init__(self, config: str, started: threading.Event | None = None):
        self.config = config
        self.started = started or threading.Event()   # set once any process got ready
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.errors = None

    def start(self) -> None:
        """Start the process and wait until it is ready (its checks collected)."""
        if self.errors is not None:
            self.errors.close()
        self.errors = tempfile.TemporaryFile()
        self.buffer = b""
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "mlgrade.gradeslot", self.config],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            start_new_session=True)   # Ctrl-C reaches the batch, which stops its slots
        why = t("session.why.no_start", seconds=f"{SLOT_STARTUP:g}")
        try:
            ready = self.receive(SLOT_STARTUP, why).get("ready")
        except SlotDied as exc:
            raise SlotNotReady(str(exc)) from None
        if not ready:
            self.stop()
            raise SlotNotReady(why)
        self.started.set()

    def grade(self, task: dict, seconds: float) -> dict:
        """The slot's reply for one student; raise SlotDied if it ends, or hangs for more
        than `seconds` (its start not counted)."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        try:
            self.process.stdin.write(json.dumps(task).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:
            raise SlotDied(self.why()) from None
        return self.receive(seconds, t("batch.why.hung", seconds=f"{seconds:g}"))

    def receive(self, seconds: float, hung: str) -> dict:
        """The next reply line; stop the process and raise SlotDied(`hung`) after `seconds`."""
        deadline = time.monotonic() + seconds
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.stop()
                raise SlotDied(hung)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise SlotDied(self.why())
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def why(self) -> str:
        """Why the grading process is gone: its exit status and the last line it wrote."""
        process = self.process
        try:
            code = process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.stop()
            code = process.returncode
        self.errors.seek(0)
        lines = self.errors.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
        last = f": {lines[-1][:300]}" if lines else ""
        self.process = None
        return t("batch.why.died", code=code) + last

    def stop(self) -> None:
        """Stop the grading process and, through it, its workers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            process.stdin.close()
        except OSError:
            pass
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Batch:
    """One run of `mlgrade grade`."""

    def __init__(self, submissions: str, settings: Settings, output: str,
                 reports: str | None = None, jobs: int = 1, resume: bool = False,
                 shard: tuple[int, int] = (1, 1), assignment: str | None = None,
                 report_formats: tuple[str, ...] = ()):
        self.submissions, self.settings = submissions, settings
        self.assignment = assignment   # nbgrader: SUBMISSIONS/<student>/<assignment>/
        self.report_formats = report_formats   # junit, gradescope: beside the JSON reports
        self.output, self.reports, self.jobs = output, reports, max(1, jobs)
        self.checks = checks_digest(settings)
        everyone = [s for s in students(submissions) if os.path.isdir(self.workspace(s))]
        k, n = shard
        self.students = [s for s in everyone if shard_of(s, n) == k - 1]
        self.rows: dict[str, dict] = {}
        self.resumed = self.plan_resume() if resume else []
        self.todo = [s for s in self.students if s not in {o.student for o in self.resumed}]
        self.stopping = threading.Event()
        self.started = threading.Event()    # some grading process got ready
        self.start_failures = 0

    # --- what each student's report is stamped with ----------------------------------

    def workspace(self, student: str) -> str:
        return os.path.join(self.submissions, student, *filter(None, [self.assignment]))

    def stamp(self, student: str) -> dict:
        return {"student": student, "mlgrade_version": __version__,
                "seed": student_seed(student, self.settings.seed),
                "batch_seed": self.settings.seed,
                "workspace_digest": tree_digest(self.workspace(student)),
                "checks_digest": self.checks}

    def report_path(self, student: str) -> str:
        return os.path.join(self.reports, f"{student}.json")

    def plan_resume(self) -> list[Outcome]:
        """The students whose report still holds: same workspace, version, seed and checks."""
        kept = []
        for student in self.students:
            try:
                with open(self.report_path(student), encoding="utf-8") as f:
                    old = json.load(f)
            except (OSError, ValueError):
                continue
            stamp = self.stamp(student)
            if (isinstance(old, dict) and "error" not in old and "score" in old
                    and all(old.get(k) == v for k, v in stamp.items())):
                kept.append(Outcome(student, old, resumed=True, stamp=stamp))
        return kept

    # --- results, written as they come -------------------------------------------------

    def record(self, outcome: Outcome) -> None:
        """Write the student's report and the whole gradebook, each atomically."""
        if self.reports and not outcome.resumed:
            data = outcome.report if outcome.graded else {"error": outcome.error}
            data = {**data, **outcome.stamp,
                    "workspace": self.workspace(outcome.student)}
            write_atomic(self.report_path(outcome.student), dumps(data) + "\n")
            if outcome.graded and self.report_formats:
                from . import formats
                formats.write_beside(self.reports, outcome.student, data, self.report_formats)
        self.rows[outcome.student] = gradebook.row(outcome.student, outcome.report,
                                                   outcome.error)
        self.write_gradebook()

    def write_gradebook(self) -> None:
        text = gradebook.render(list(self.settings.modules), list(self.rows.values()))
        write_atomic(self.output, text)

    # --- grading ----------------------------------------------------------------------

    def run(self, on_outcome=lambda outcome: None) -> list[Outcome]:
        """Grade every student to do with `jobs` grading processes; return all outcomes.

        `on_outcome` is called (in this thread) after each student's results are written.
        KeyboardInterrupt stops the slots and propagates; what was written stays.
        """
        if self.reports:
            os.makedirs(self.reports, exist_ok=True)
        outcomes = []
        for outcome in self.resumed:
            self.rows[outcome.student] = gradebook.row(outcome.student, outcome.report)
            outcomes.append(outcome)
        self.write_gradebook()
        tasks: queue.Queue = queue.Queue()
        for student in self.todo:
            tasks.put(student)
        results: queue.Queue = queue.Queue()
        config = self.settings.slot_config(exclude=[self.submissions])
        slots = [Slot(config, self.started) for _ in range(min(self.jobs, len(self.todo)))]
        threads = [threading.Thread(target=self.serve, args=(slot, tasks, results), daemon=True)
                   for slot in slots]
        for th in threads:
            th.start()
        try:
            for _ in self.todo:
                outcome = results.get()
                if outcome.usage:
                    raise BatchError(outcome.error)
                self.record(outcome)
                outcomes.append(outcome)
                on_outcome(outcome)
        finally:
            self.stopping.set()
            for slot in slots:
                slot.stop()
        return outcomes

    def serve(self, slot: Slot, tasks: queue.Queue, results: queue.Queue) -> None:
        """One slot's loop: take a student, grade it, hand the outcome over."""
        while not self.stopping.is_set():
            try:
                student = tasks.get_nowait()
            except queue.Empty:
                break
            stamp = self.stamp(student)
            task = {"student": student, "workspace": self.workspace(student),
                    "seed": student_seed(student, self.settings.seed)}
            try:
                reply = slot.grade(task, self.settings.student_deadline())
                outcome = Outcome(student, reply.get("report"), reply.get("error"),
                                  usage=bool(reply.get("usage")), stamp=stamp)
            except SlotNotReady as exc:
                outcome = self.not_started(student, str(exc), stamp)
            except SlotDied as exc:
                outcome = Outcome(student, error=str(exc), stamp=stamp)
            except Exception as exc:  # noqa: BLE001 - never lose a student silently
                outcome = Outcome(student, error=f"{type(exc).__name__}: {exc}", stamp=stamp)
            if self.stopping.is_set():
                break
            results.put(outcome)
        slot.stop()

    def not_started(self, student: str, why: str, stamp: dict) -> Outcome:
        """The student whose grading process could not start: failed to grade, or, when
        no process has ever started and START_TRIES have failed, the end of the batch
        (the same cause, e.g. a checks file that hangs at import, would fail everyone)."""
        self.start_failures += 1     # under the GIL; an exact count does not matter
        if not self.started.is_set() and self.start_failures >= START_TRIES:
            return Outcome(student, error=t("session.cannot_start", why=why), usage=True,
                           stamp=stamp)
        return Outcome(student, error=why, stamp=stamp)


def dumps(data: dict) -> str:
    """A report as JSON text (as `mlgrade check --format json` writes it)."""
    from .report import dumps as report_dumps
    return report_dumps(data)
