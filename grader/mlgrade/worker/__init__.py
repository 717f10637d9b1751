"""The worker side of the process boundary.

Only `wire` is imported by the grading process too; `main` runs in the worker, where
the grader's own package is not importable.  Neither imports anything from `mlgrade`,
so the directory can be mounted on its own.
"""
