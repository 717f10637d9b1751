"""A grading process closed to the workspace, the current directory and the caller's pytest.

pytest is started on a folder of mlgrade's own (`GradingFolder`): the catalog's entry
files and a copy of the instructor's checks, with an empty `pytest.ini`, as rootdir and
conftest boundary.  No conftest.py of a directory above it, of the workspace or of the
current directory is ever considered; no plugin comes from entry points, `PYTEST_PLUGINS`
or `PYTEST_ADDOPTS` (`pytest_environment`).  The command line also drops the current
directory from `sys.path` before it imports anything (`drop_current_directory`).

Only `os` and `sys` are imported at the top: `__main__` imports this module while the
current directory may still be on `sys.path`.
"""
import os
import sys


def drop_current_directory() -> None:
    """Remove '' and the current directory from `sys.path` (`python -m` puts it first)."""
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:          # the current directory was deleted
        here = None
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.realpath(p) != here]


# pytest's plugins that grading never uses: each costs time in every session, i.e. per
# student of a batch (registration, fixture parsing, two gc.collect() a session)
UNUSED_PLUGINS = ("unraisableexception", "threadexception", "faulthandler", "doctest",
                  "pastebin", "setuponly", "setupplan", "debugging", "python_path")


class GradingFolder:
    """A private temporary folder that pytest collects from: `create()`, then `remove()`.

    Layout: `pytest.ini` (empty), `mlgrade_catalog/mlgrade_catalog_<module>.py` (one line
    importing the catalog's `EXERCISE`) and one copy per instructor's checks folder or file,
    named after it.  A checks folder is copied without hidden entries, `__pycache__` and
    the `excluded` folders (the workspaces, when the checks folder contains them).

    One folder serves every student of a grading session: nothing in it is the student's.
    """

    CATALOG = "mlgrade_catalog"

    def __init__(self, excluded: list[str], modules: list[str], checks: list[str]):
        self.excluded = {os.path.realpath(folder) for folder in excluded}
        self.modules, self.checks = list(modules), list(checks)
        self.root = ""
        self.copies: dict[str, str] = {}      # copy -> the instructor's original path

    def create(self) -> None:
        """Write the folder; raise OSError if a checks folder cannot be copied, ValueError
        if it is an excluded folder (the workspace) itself."""
        import tempfile

        self.root = os.path.realpath(tempfile.mkdtemp(prefix="mlgrade-grading-"))
        self._write()

    def remove(self) -> None:
        import shutil

        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)

    def _write(self) -> None:
        with open(os.path.join(self.root, "pytest.ini"), "w", encoding="utf-8") as f:
            f.write("[pytest]\n# mlgrade's own: no configuration of the caller is read\n")
        catalog = os.path.join(self.root, self.CATALOG)
        os.mkdir(catalog)
        for m in self.modules:
            with open(self.entry(m), "w", encoding="utf-8") as f:
                f.write(f"from mlgrade.catalog.{m} import EXERCISE  # noqa: F401\n")
        for original in self.checks:
            self._copy(original)

    def entry(self, module: str) -> str:
        return os.path.join(self.root, self.CATALOG, f"{self.CATALOG}_{module}.py")

    def _copy(self, original: str) -> None:
        import shutil

        source = os.path.realpath(original)
        if source in self.excluded:
            raise ValueError(original)
        name = os.path.basename(source if os.path.isdir(source) else os.path.dirname(source))
        name = name.lstrip(".") or "checks"
        base, n = name, 1
        while os.path.exists(os.path.join(self.root, name)) or name == self.CATALOG:
            n += 1
            name = f"{base}-{n}"
        folder = os.path.join(self.root, name)
        if os.path.isdir(source):
            shutil.copytree(source, folder, ignore=self._ignore)
            self.copies[folder] = original
        else:
            os.mkdir(folder)
            copy = os.path.join(folder, os.path.basename(source))
            shutil.copyfile(source, copy)
            self.copies[copy] = original

    def _ignore(self, folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n.startswith(".") or n == "__pycache__"
                or os.path.realpath(os.path.join(folder, n)) in self.excluded]

    def pytest_args(self) -> list[str]:
        """pytest's command line: what to collect, and nothing read from elsewhere."""
        return ([self.entry(m) for m in self.modules] + list(self.copies)
                + ["-c", os.path.join(self.root, "pytest.ini"), "--rootdir", self.root,
                   "--confcutdir", self.root, "-p", "no:cacheprovider", "-p", "no:terminal",
                   "-p", "no:warnings", "-p", "no:stepwise"]
                + [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")])

    def in_catalog(self, path: str) -> bool:
        """Whether a collected path is one of the catalog's (else an instructor's)."""
        return os.path.dirname(os.path.abspath(path)) == os.path.join(self.root, self.CATALOG)

    def original(self, path: str) -> str:
        """The instructor's own path of a path in a copy (for messages)."""
        for copy, original in self.copies.items():
            if path == copy or path.startswith(copy + os.sep):
                return original + path[len(copy):]
        return path


class pytest_environment:  # noqa: N801 - used as a `with` statement, like a function
    """During a grading run: no PYTEST_* variable of the caller, no plugin autoload; and
    afterwards no module, `sys.path` entry or import cache left from the grading folder.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __enter__(self) -> None:
        self.environ = {k: v for k, v in os.environ.items() if k.startswith("PYTEST_")}
        for k in self.environ:
            del os.environ[k]
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        self.path = list(sys.path)
        self.modules = dict(sys.modules)

    def __exit__(self, *exc) -> None:
        for k in [k for k in os.environ if k.startswith("PYTEST_")]:
            del os.environ[k]
        os.environ.update(self.environ)
        sys.path[:] = self.path
        inside = self.folder + os.sep
        for name, module in list(sys.modules.items()):
            if (getattr(module, "__file__", None) or "").startswith(inside):
                del sys.modules[name]
        for name, module in self.modules.items():   # e.g. a `conftest` pytest replaced
            sys.modules.setdefault(name, module)
        for key in [k for k in sys.path_importer_cache if str(k).startswith(inside)]:
            del sys.path_importer_cache[key]
