"""Grade a workspace: run the catalog's checks (and an instructor's) through pytest."""
import os
import secrets

import pytest

from . import catalog, i18n, sandbox
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


# pytest's plugins that grading never uses: each costs time in every session, i.e. per
# student of a batch (registration, fixture parsing, two gc.collect() a session)
UNUSED_PLUGINS = ("unraisableexception", "threadexception", "faulthandler", "doctest",
                  "pastebin", "setuponly", "setupplan", "debugging", "python_path")


def pytest_args(modules: list[str], checks_dirs: list[str]) -> list[str]:
    ini = os.path.join(os.path.dirname(catalog.__file__), "pytest.ini")
    return ([catalog.path(m) for m in modules] + list(checks_dirs)
            + ["-c", ini, "--rootdir", os.path.dirname(ini), "-p", "no:cacheprovider",
               "-p", "no:terminal", "-p", "no:warnings", "-p", "no:stepwise"]
            + [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")])


def in_catalog(path: str) -> bool:
    """Whether a collected path is one of the catalog's own files (else an instructor's)."""
    return os.path.dirname(os.path.abspath(path)) == os.path.dirname(catalog.__file__)


def grade_workspace(workspace: str, modules: list[str] | None = None, seed: int | None = None,
                    limits: Limits | None = None, checks_dirs: list[str] = (),
                    isolation: str = "auto") -> Report:
    """Run every check of `modules` (default: all) against the workspace's functions.

    Args:
        isolation: "auto" (the sandbox where available), "sandbox" or "process".
    """
    modules = list(modules or catalog.MODULES)
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        chosen = sandbox.choose(isolation)
    except RuntimeError as exc:
        raise IsolationError(str(exc)) from None
    pool = Pool(os.path.abspath(workspace), modules, limits or Limits(), chosen)
    plugin = MlgradePlugin(pool, seed, modules)
    try:
        code = pytest.main(pytest_args(modules, list(checks_dirs)), plugins=[plugin])
    finally:
        pool.close()
    if plugin.infrastructure_error:
        raise GradingError(str(plugin.infrastructure_error))
    for path, text in plugin.collect_errors:
        raise (GradingError if in_catalog(path) else ChecksError)(f"{path}: {text}")
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GradingError(f"pytest ended with {code!r}")
    return Report(workspace, seed, pool.isolation, i18n.current(),
                  group(plugin.results, modules))


def group(results: list[CheckResult], modules: list[str]) -> list[ExerciseResult]:
    """Results by exercise, in catalog order; instructor checks for other ids last."""
    by_module: dict[str, ExerciseResult] = {}
    for m in modules:
        by_module[m] = ExerciseResult(m, i18n.t(f"{m}.title"))
    for r in results:
        by_module.setdefault(r.module, ExerciseResult(r.module, r.module)).checks.append(r)
    return list(by_module.values())



