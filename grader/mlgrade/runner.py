"""Grade workspaces: run the catalog's checks (and an instructor's) through pytest.

`grade_workspace` grades one workspace (`mlgrade check`); `grade_each` grades any number
in one pytest session, collecting the checks once (a grading process of `mlgrade grade`).
Flow: the students go in, `MlgradePlugin.run_checks` runs the collected items against
each student's `Pool` (workers), and each student's `Report` comes out through `graded`.
"""
import os
import secrets
from dataclasses import dataclass
from typing import Callable, Iterable

import pytest

from . import catalog, i18n, sandbox
from .i18n import t
from .closed import GradingFolder, pytest_environment
from .plugin import MlgradePlugin
from .outcomes import InfrastructureError
from .pool import Pool
from .results import CheckResult, ExerciseResult, Report
from .sandbox import Limits


class GradingError(Exception):
    """The grading run itself failed (not the student's code)."""


class ChecksError(GradingError):
    """An instructor's check file could not be collected."""


class IsolationError(GradingError):
    """The requested isolation is not available on this machine."""


@dataclass(frozen=True)
class Student:
    """One workspace to grade, with its seed (None: a random one) and the caller's id."""

    workspace: str
    seed: int | None = None
    id: str = ""


def grade_workspace(workspace: str, modules: list[str] | None = None, seed: int | None = None,
                    limits: Limits | None = None, checks_dirs: list[str] = (),
                    isolation: str = "auto", for_record: bool = False) -> Report:
    """Run every check of `modules` (default: all) against the workspace's functions.

    A workspace of notebooks (`<module>.ipynb`) is graded through modules made of their
    answer cells; a notebook that cannot be read loses its exercise only (notebooks.py).

    Args:
        isolation: "auto" (the sandbox where available), "sandbox" or "process".
        for_record: grading for record (batch, CI formats): "auto" then refuses to fall
            back to process isolation (see sandbox.choose).
    """
    outcomes: list[Report | GradingError] = []
    grade_each([Student(workspace, seed)], lambda student, outcome: outcomes.append(outcome),
               modules, limits, checks_dirs, isolation, for_record, exclude=[workspace])
    if isinstance(outcomes[0], GradingError):
        raise outcomes[0]
    return outcomes[0]


def grade_each(students: Iterable[Student], graded: Callable[[Student, Report | GradingError],
                                                             None],
               modules: list[str] | None = None, limits: Limits | None = None,
               checks_dirs: list[str] = (), isolation: str = "auto", for_record: bool = False,
               exclude: list[str] = ()) -> None:
    """Grade each student in turn, in one pytest session: the checks are collected once.

    `students` is read lazily, one student at a time (a grading process reads them as they
    come); `graded(student, outcome)` is called after each with its `Report`, or with the
    `GradingError` that stopped its grading (grading went wrong, not the student's code).

    Args:
        exclude: folders never copied from a checks folder (the workspaces).
    Raises:
        IsolationError, ChecksError: before any student is read.
        GradingError: the session itself failed (the student being graded has no outcome).
        KeyboardInterrupt: grading was interrupted (pytest ends its session first, which
            stops the workers of the student being graded).
    """
    modules = list(modules or catalog.MODULES)
    limits = limits or Limits()
    try:
        chosen = sandbox.choose(isolation, for_record=for_record)
    except RuntimeError as exc:
        raise IsolationError(str(exc)) from None

    def serve(run_checks) -> None:
        for student in students:
            try:
                outcome = grade_one(student, run_checks, modules, limits, chosen)
            except GradingError as exc:
                outcome = exc
            graded(student, outcome)

    plugin = MlgradePlugin(modules, serve)
    folder = GradingFolder(list(exclude), modules, list(checks_dirs))
    try:
        try:
            folder.create()
        except ValueError as exc:
            raise ChecksError(t("sealprocess.checks_are_workspace", path=exc)) from None
        except OSError as exc:
            raise ChecksError(t("sealprocess.checks_unreadable", error=exc)) from None
        with pytest_environment(folder.root):
            code = pytest.main(folder.pytest_args(), plugins=[plugin])
        for path, text in plugin.collect_errors:
            if folder.in_catalog(path):
                raise GradingError(f"{path}: {text}")
            raise ChecksError(f"{folder.original(path)}: {text}")
    finally:
        folder.remove()
    if code == pytest.ExitCode.INTERRUPTED:      # Ctrl-C, or the batch stopping a process
        raise KeyboardInterrupt
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GradingError(f"pytest ended with {code!r}")


def grade_one(student: Student, run_checks, modules: list[str], limits: Limits,
              isolation: str) -> Report:
    """One student's report: the collected checks run against their workspace's workers."""
    from . import notebooks

    seed = secrets.randbelow(2**31) if student.seed is None else student.seed
    try:
        with notebooks.opened(student.workspace, modules) as (folder, problems):
            workspace = os.path.abspath(folder)
            pool = Pool(workspace, modules, limits, isolation)
            try:
                results = run_checks(pool, seed)
            except InfrastructureError as exc:
                raise GradingError(str(exc)) from None
            finally:
                pool.close()
            report = Report(folder, seed, pool.isolation, i18n.current(), group(results, modules),
                            sandbox.describe(isolation, limits, workspace, pool.user),
                            sandbox.gaps(isolation, workspace))
    except OSError as exc:   # e.g. a notebook's temporary copy cannot be written
        raise GradingError(f"{type(exc).__name__}: {exc}") from None
    return notebooks.explain(report, student.workspace, problems)


def group(results: list[CheckResult], modules: list[str]) -> list[ExerciseResult]:
    """Results by exercise, in catalog order; instructor checks for other ids last."""
    by_module: dict[str, ExerciseResult] = {}
    for m in modules:
        by_module[m] = ExerciseResult(m, i18n.t(f"{m}.title"))
    for r in results:
        by_module.setdefault(r.module, ExerciseResult(r.module, r.module)).checks.append(r)
    return list(by_module.values())



