"""The reference solutions pass every check, for several seeds."""
import pytest

from mlgrade import catalog
from mlgrade.outcomes import Status

from conftest import SOLUTIONS, grade

SEEDS = (0, 1, 2)
CHECK_IDS = [c.id for ex in catalog.exercises() for c in ex.all_checks()]


@pytest.fixture(scope="module")
def reports():
    return {seed: grade(SOLUTIONS, seed=seed) for seed in SEEDS}


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_check_passes_on_reference(reports, check_id):
    for seed, report in reports.items():
        result = [c for e in report.exercises for c in e.checks if c.id == check_id]
        assert len(result) == 1, f"{check_id} ran {len(result)} times (seed {seed})"
        assert result[0].status is Status.PASSED, f"seed {seed}: {result[0].message}"


def test_full_marks_and_enough_checks(reports):
    for report in reports.values():
        assert report.score == report.max_score > 0
        assert [e.id for e in report.exercises] == list(catalog.MODULES)
        assert sum(len(e.checks) for e in report.exercises) >= 60


def test_every_exercise_has_fixed_and_random_checks():
    for ex in catalog.exercises():
        kinds = {c.kind for c in ex.all_checks()}
        assert {"fixed", "random"} <= kinds, ex.module
        assert {c.function for c in ex.all_checks()} == set(ex.functions), ex.module
