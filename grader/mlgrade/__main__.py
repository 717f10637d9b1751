"""`python -m mlgrade` and the `mlgrade` command: the CLI, started from a closed `sys.path`.

`python -m` puts the current directory first on `sys.path`; a workspace's `tempfile.py`
or `tomllib.py` would then run in the grading process.  It comes off before anything
else is imported.
"""
from mlgrade.closed import drop_current_directory

drop_current_directory()

from mlgrade.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
