"""The pytest plugin: turns catalog declarations into test items and records outcomes.

One pytest session grades any number of students (runner.py): the checks are collected
once (one `ExerciseItem` per catalog exercise, one item per instructor's check), then
`pytest_runtestloop` hands `run_checks` to the runner, which calls it once per student
with that student's `Pool` and seed.  Nothing of a student outlives its run: each item
gets the student's `Run` and a fresh recorder at its set-up (`Run.start`), and the last
item of each run is run with no next item, so that pytest tears down every fixture,
whatever its scope (an instructor's session- or module-scoped fixture lives within one
student).
"""
import logging
import time

import pytest

from . import catalog
from .calls import exact_call
from .i18n import t
from .numeric import SUBJECT
from .outcomes import InfrastructureError, NotAttempted, Status, StudentError
from .pool import Pool, Reply
from .results import CheckResult
from .spec import Check, Exercise, rng_for


class Recorder:
    """What one check did in the workers: its latest call, and where its output starts.

    One per check (pytest item), made at its set-up; all calls of the check go through it.
    """

    def __init__(self, pool: Pool):
        self.pool = pool
        self.marks: dict[str, int] = {}              # module -> its output's mark
        self.last_call: tuple[str, str, tuple] | None = None   # (module, function, args)

    def call(self, module: str, function: str, args: tuple, args_after: bool) -> Reply:
        exercise = self.pool.get(module)
        if module not in self.marks:
            self.marks[module] = exercise.log.mark()
        self.last_call = (module, function, args)   # formatted only if the check fails
        return exercise.call(function, list(args), args_after)

    def output(self) -> str:
        """What the student's code printed during the check, exercise by exercise."""
        texts = [self.pool.exercises[m].log.since(mark) for m, mark in self.marks.items()]
        return "\n".join(text for text in texts if text)


RECORDER = pytest.StashKey[Recorder]()


class StudentFunction:
    """A student's function, called in the worker: `f(*args)` or `f.reply(*args)`."""

    def __init__(self, recorder: Recorder, module: str, name: str):
        self.recorder, self.module, self.name = recorder, module, name

    def reply(self, *args, args_after: bool = False) -> Reply:
        return self.recorder.call(self.module, self.name, args, args_after)

    def __call__(self, *args):
        return self.reply(*args).value


class StudentModule:
    """Attribute access to the student's functions of one exercise module."""

    def __init__(self, recorder: Recorder, module: str):
        self._recorder, self._module = recorder, module

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._recorder, self._module, name)


class Workspace:
    """The fixture of instructors' own checks: `mlgrade_workspace["ex05_sigmoid"].sigmoid(…)`."""

    def __init__(self, recorder: Recorder):
        self._recorder = recorder

    def __getitem__(self, module: str) -> StudentModule:
        # any exercise of the catalog, also one that -e leaves out (its worker starts on demand)
        if module not in catalog.MODULES:
            raise KeyError(f"{module} is not an exercise of the catalog")
        return StudentModule(self._recorder, module)


class ExerciseItem(pytest.Item):
    """The checks of one catalog exercise as one pytest item.

    Each check still runs on its own, with its own recorder and RNG, and gives its own
    result (`Run.check`), as an item of its own would.  One item per exercise, not per
    check: pytest's protocol costs about half a millisecond per item, paid again for
    every student of a batch (13 items a student instead of about a hundred).
    """

    def __init__(self, *, exercise: Exercise, **kwargs):
        super().__init__(**kwargs)
        self.checks = exercise.all_checks()

    def runtest(self) -> None:
        run = self.stash[RUN]
        for check in self.checks:
            run.check(check)

    def repr_failure(self, excinfo, style=None) -> str:
        return f"{excinfo.type.__name__}: {excinfo.value}"

    def reportinfo(self):
        return self.path, None, self.name


def classify(exc: BaseException | None, function: str) -> tuple[Status, str | None, str | None]:
    """(status, message, diagnosis id) of a check that raised `exc`."""
    if exc is None:
        return Status.PASSED, None, None
    if isinstance(exc, NotAttempted):
        return Status.NOT_ATTEMPTED, t("msg.not_attempted", function=function), None
    if isinstance(exc, StudentError):
        status = (Status.ERROR if exc.kind in ("exception", "import", "syntax", "import-missing",
                                               "import-grader") else Status.FAILED)
        if exc.whole_module:
            return status, str(exc), None
        return status, t("msg.student_error", function=function, error=str(exc)), None
    if isinstance(exc, AssertionError):
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else t("msg.assertion")
        return Status.FAILED, text, getattr(exc, "diagnosis", None)
    logging.getLogger("mlgrade").warning("a check raised %r", exc, exc_info=exc)
    return Status.FAILED, t("msg.check_crashed", error=f"{type(exc).__name__}: {exc}"[:300]), None


def diagnosis_of(mistake: str | None) -> dict | None:
    """The report's diagnosis: the mistake's id and what it means, in the current language."""
    return {"id": mistake, "message": t(f"diagnosis.{mistake}")} if mistake else None


def marked_exercise(mark) -> object:
    """The exercise id of an `@pytest.mark.mlgrade(exercise=…)` marker (or its first argument)."""
    return mark.kwargs.get("exercise", mark.args[0] if mark.args else None)


class Run:
    """One student's run of the collected checks: their pool, seed and results."""

    def __init__(self, pool: Pool, seed: int):
        self.pool, self.seed = pool, seed
        self.results: list[CheckResult] = []
        self.infrastructure_error: InfrastructureError | None = None

    def start(self, item) -> None:
        """Give an item, at its set-up, this student's run and a fresh recorder (for an
        instructor's check, through the `mlgrade_workspace` fixture)."""
        item.stash[RUN] = self
        item.stash[RECORDER] = Recorder(self.pool)

    def check(self, check: Check) -> None:
        """Run one catalog check and record its result; only an interruption propagates."""
        recorder = Recorder(self.pool)
        token = SUBJECT.set(check.function)
        started = time.perf_counter()
        try:
            check.run(StudentModule(recorder, check.module), rng_for(self.seed, check.id))
            exc = None
        except (KeyboardInterrupt, pytest.exit.Exception):
            raise
        except BaseException as error:  # noqa: BLE001 - as pytest treats an item's call
            exc = error
        finally:
            SUBJECT.reset(token)
        meta = (check.module, check.function, check.id, check.title(), check.points, check.kind)
        self.record(meta, recorder, exc, time.perf_counter() - started)

    def record(self, meta: tuple, recorder: Recorder | None, exc: BaseException | None,
               seconds: float) -> None:
        module, function, check_id, name, points, kind = meta
        if isinstance(exc, pytest.skip.Exception):
            return
        if isinstance(exc, InfrastructureError):
            self.infrastructure_error = exc
        last_call = recorder.last_call if recorder else None
        called = last_call[1] if last_call else ""
        status, message, diagnosis = classify(exc, function or called)
        result = CheckResult(check_id, name, module, function, kind, status,
                             points if status is Status.PASSED else 0.0, points, message,
                             diagnosis_of(diagnosis), seconds=seconds)
        if status is not Status.PASSED and recorder:
            result.output = recorder.output()
            result.traceback = getattr(exc, "traceback", "").replace(
                'File "/workspace/', f'File "{self.pool.workspace}/')  # the sandbox's mount point
            if (status is not Status.NOT_ATTEMPTED and not getattr(exc, "whole_module", False)
                    and last_call):
                result.call, result.call_exact = exact_call(*last_call[1:])
        self.results.append(result)


RUN = pytest.StashKey[Run]()


def forget(item) -> None:
    """Clear what an item kept of the previous student's run."""
    for key in (RUN, RECORDER):
        if key in item.stash:
            del item.stash[key]
    item._report_sections = []      # pytest appends captured output and logs at every run
    item.user_properties = []       # an instructor's check may record properties


class MlgradePlugin:
    """Makes the catalog's items, serves the fixture, runs the items once per student.

    Args:
        serve: called once, after collection, with `run_checks`; it grades every student
            (runner.py), calling `run_checks(pool, seed)` for each.
    """

    def __init__(self, modules: list[str], serve):
        self.modules, self.serve = modules, serve
        self.collect_errors: list[tuple[str, str]] = []   # (path, last line of the error)
        self.items: list[pytest.Item] = []
        self.run: Run | None = None        # the student being graded, during run_checks

    @pytest.fixture
    def mlgrade_workspace(self, request) -> Workspace:
        return Workspace(request.node.stash[RECORDER])

    def pytest_configure(self, config) -> None:
        config.addinivalue_line("markers", "mlgrade(exercise, points=1): an instructor's check")

    def pytest_pycollect_makeitem(self, collector, name, obj):
        if name == "EXERCISE" and isinstance(obj, Exercise) and obj.module in self.modules:
            return [ExerciseItem.from_parent(collector, name=obj.module, exercise=obj)]
        return None

    def pytest_collection_modifyitems(self, items) -> None:
        for item in items:
            if not isinstance(item, ExerciseItem):
                self.check_marker(item)
        if self.collect_errors:
            items[:] = []    # an instructor's mistake: grade nothing rather than mis-grade
        items[:] = [i for i in items if isinstance(i, ExerciseItem)
                    or self.meta(i)[0] in self.modules]

    def check_marker(self, item) -> None:
        """An instructor's check must say which catalog exercise it grades."""
        mark = item.get_closest_marker("mlgrade")
        path = str(item.path)
        if mark is None:
            self.collect_errors.append((path, t("feedback.instructor_no_marker",
                                                test=item.name)))
        elif marked_exercise(mark) not in catalog.MODULES:
            self.collect_errors.append((path, t("feedback.instructor_unknown_exercise",
                                                test=item.name,
                                                exercise=marked_exercise(mark))))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector):
        outcome = yield
        report = outcome.get_result()
        if report.failed:
            lines = str(report.longrepr).strip().splitlines() or ["?"]
            self.collect_errors.append((str(collector.path), lines[-1][:300]))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session) -> bool:
        """Grade the students (none if collection failed: runner.py raises ChecksError)."""
        if not self.collect_errors:
            self.items = list(session.items)
            self.serve(self.run_checks)
        return True

    def run_checks(self, pool: Pool, seed: int) -> list[CheckResult]:
        """Run every collected check against one student's pool with their seed.

        Raises InfrastructureError if grading itself broke (not the student's code).
        """
        self.run = Run(pool, seed)
        try:
            for i, item in enumerate(self.items):
                forget(item)
                following = self.items[i + 1] if i + 1 < len(self.items) else None
                item.ihook.pytest_runtest_protocol(item=item, nextitem=following)
            run = self.run
        finally:
            self.run = None
        if run.infrastructure_error:
            raise run.infrastructure_error
        return run.results

    def meta(self, item) -> tuple[str, str, str, str, float, str]:
        """(module, function, id, name, points, kind) of an instructor's check."""
        mark = item.get_closest_marker("mlgrade")
        kwargs = mark.kwargs if mark else {}
        module = marked_exercise(mark) if mark else "custom"
        return module, "", item.nodeid, item.name, float(kwargs.get("points", 1)), "custom"

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item) -> None:
        self.run.start(item)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if isinstance(item, ExerciseItem):    # its checks are recorded one by one (Run.check)
            if report.failed:
                self.run.infrastructure_error = InfrastructureError(
                    f"{item.name}: {report.longreprtext[-300:]}")
        elif call.when == "call" or (call.when == "setup" and report.failed):
            self.run.record(self.meta(item), item.stash.get(RECORDER, None),
                            call.excinfo.value if call.excinfo else None, report.duration)
