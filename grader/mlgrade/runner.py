"""Grade a workspace: run the catalog's checks (and an instructor's) through pytest."""
import os
import secrets

import pytest

from . import catalog, i18n, sandbox
from .i18n import t
from .closed import GradingFolder, pytest_environment
from .plugin import MlgradePlugin
from .pool import Pool
from .results import CheckResult, ExerciseResult, Report
from .sandbox import Limits


class GradingError(Exception):
    """The grading run itself failed (not the student's code)."""


class ChecksError(GradingError):
    """An instructor's check file could not be collected."""


class IsolationError(GradingError):
    """The requested isolation is not available on this machine."""


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
    from . import notebooks

    with notebooks.opened(workspace, list(modules or catalog.MODULES)) as (folder, problems):
        report = grade_files(folder, modules, seed, limits, checks_dirs, isolation, for_record)
    return notebooks.explain(report, workspace, problems)


def grade_files(workspace: str, modules: list[str] | None = None, seed: int | None = None,
                limits: Limits | None = None, checks_dirs: list[str] = (),
                isolation: str = "auto", for_record: bool = False) -> Report:
    """`grade_workspace` for a folder of `<module>.py` files."""
    modules = list(modules or catalog.MODULES)
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        chosen = sandbox.choose(isolation, for_record=for_record)
    except RuntimeError as exc:
        raise IsolationError(str(exc)) from None
    pool = Pool(os.path.abspath(workspace), modules, limits or Limits(), chosen)
    plugin = MlgradePlugin(pool, seed, modules)
    folder = GradingFolder(workspace, modules, list(checks_dirs))
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
        pool.close()
    if plugin.infrastructure_error:
        raise GradingError(str(plugin.infrastructure_error))
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GradingError(f"pytest ended with {code!r}")
    limits = limits or Limits()
    return Report(workspace, seed, pool.isolation, i18n.current(),
                  group(plugin.results, modules),
                  sandbox.describe(chosen, limits, os.path.abspath(workspace), pool.user),
                  sandbox.gaps(chosen, os.path.abspath(workspace)))


def group(results: list[CheckResult], modules: list[str]) -> list[ExerciseResult]:
    """Results by exercise, in catalog order; instructor checks for other ids last."""
    by_module: dict[str, ExerciseResult] = {}
    for m in modules:
        by_module[m] = ExerciseResult(m, i18n.t(f"{m}.title"))
    for r in results:
        by_module.setdefault(r.module, ExerciseResult(r.module, r.module)).checks.append(r)
    return list(by_module.values())



