"""Outcomes of a check, and the exceptions that carry them out of a check."""
import enum


class Status(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"          # wrong answer, or the student's code misbehaved
    ERROR = "error"            # the student's code raised an exception
    NOT_ATTEMPTED = "not_attempted"  # the stub still raises NotImplementedError


class NotAttempted(Exception):
    """The student's function still raises NotImplementedError."""


class StudentError(Exception):
    """The student's code raised, exited, crashed or ran out of time or memory.

    Attributes:
        kind: short machine-readable cause, e.g. "exception", "timeout", "memory".
        traceback: the student's own frames, if any.
        whole_module: the error concerns the module (its import), not one function.
    """

    def __init__(self, message: str, kind: str = "exception", traceback: str = "",
                 whole_module: bool = False):
        super().__init__(message)
        self.kind = kind
        self.traceback = traceback
        self.whole_module = whole_module   # e.g. the import failed: no function is to blame


class InfrastructureError(Exception):
    """mlgrade could not run the student's code at all (e.g. a worker failed to start)."""


class Incorrect(AssertionError):
    """A wrong answer; `diagnosis` names a known mistake when one matches."""

    def __init__(self, message: str, diagnosis: str | None = None):
        super().__init__(message)
        self.diagnosis = diagnosis


class ExitCode(enum.IntEnum):
    """Exit codes of `mlgrade`, as documented in the README."""

    OK = 0               # every graded check passed
    CHECKS_FAILED = 1    # graded; something failed, errored or was not attempted
    USAGE_ERROR = 2      # bad path, unknown exercise, bad option
    INTERNAL_ERROR = 3   # a bug or an I/O failure of mlgrade itself
