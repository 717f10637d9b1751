"""The worker side of the process boundary.

Only `wire` and `testfns` are imported by the grading process; `main` runs in the
worker, where the grader's own package is not importable.  None of these modules
imports anything from `mlgrade`, so the directory can be mounted on its own.
"""
