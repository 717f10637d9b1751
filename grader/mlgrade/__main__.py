"""`python -m mlgrade` and the `mlgrade` command: the CLI, started from a closed `sys.path`.

`python -m` puts the current directory first on `sys.path`; a workspace's `tempfile.py`
or `tomllib.py` would then run in the grading process.  It comes off before anything
else is imported.  A command that grades starts its warm sandbox next (zygote.py).
"""
import sys

from mlgrade.closed import drop_current_directory

drop_current_directory()

if sys.argv[1:2] == ["check"]:    # the warm sandbox starts while the grader imports
    from mlgrade.zygote import start_for_command

    start_for_command(sys.argv[1:])

from mlgrade.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
