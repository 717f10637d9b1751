"""What a grading run found: per check, per exercise, in all."""
from dataclasses import dataclass, field

from .outcomes import Status


@dataclass
class CheckResult:
    id: str
    name: str
    module: str
    function: str
    kind: str
    status: Status
    points: float
    max_points: float
    message: str | None = None
    diagnosis: dict | None = None
    output: str = ""
    traceback: str = ""
    seconds: float = 0.0
    call: str = ""
    call_exact: bool = True   # pasting `call` reproduces it (else: --show-inputs)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass
class ExerciseResult:
    id: str
    title: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_points for c in self.checks)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.checks)


@dataclass
class Report:
    workspace: str
    seed: int
    isolation: str
    lang: str
    exercises: list[ExerciseResult]
    limits: dict = field(default_factory=dict)   # {limit: how it was enforced} (sandbox.py)
    unprotected: str = ""                        # what the isolation does not protect

    @property
    def score(self) -> float:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)

    @property
    def all_passed(self) -> bool:
        return all(c.passed for e in self.exercises for c in e.checks)
