"""Checks for ex01_forward: y_pred = w·x + b (document 000)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check

FORWARD = ([0.5, -0.3], [1.0, 1.0], 0.2)         # document 000's house-price example
AFTER_ONE_UPDATE = ([1.02, 0.22], [1.0, 1.0], 0.72)


def without_bias(w, x, b) -> float:
    """What the `forgot-bias` mistake returns: w·x."""
    return float(np.dot(w, x))


EXERCISE = Exercise("ex01_forward", functions=("predict",), cases=[
    Case("doc000_forward", "predict", FORWARD, 0.4, "000", printed=0.4,
         mistakes={"forgot-bias": without_bias(*FORWARD)}),
    Case("doc000_after_one_update", "predict", AFTER_ONE_UPDATE, 1.96, "000", printed=1.96,
         mistakes={"forgot-bias": without_bias(*AFTER_ONE_UPDATE)}),
])


def draw(rng, rows: int | None):
    """(w, x, b): x one sample (d,) for rows=None, else a batch (rows, d); d ≥ 2."""
    d = int(rng.integers(2, 8))
    x = rng.normal(size=d if rows is None else (rows, d))
    return rng.normal(size=d), x, float(rng.normal())


def scale(w, x, b):
    """The size of the terms of w·x + b, against which rounding is judged."""
    return np.abs(x) @ np.abs(w) + abs(b)


@check(EXERCISE, "predict")
def random_single_sample(student, rng):
    w, x, b = draw(rng, None)
    assert_matches(student.predict(w, x, b), float(w @ x + b), scale=scale(w, x, b),
                   mistakes={"forgot-bias": float(w @ x)})


@check(EXERCISE, "predict")
def random_batch(student, rng):
    for rows in (1, int(rng.integers(2, 9))):
        w, x, b = draw(rng, rows)
        x[-1] = 0.0                                   # an all-zero sample predicts b
        assert_matches(student.predict(w, x, b), x @ w + b, scale=scale(w, x, b),
                       mistakes={"forgot-bias": x @ w})


# (fixed shapes: whether a wrong function raises must not depend on the seed)
leaves_inputs_unchanged(EXERCISE, "predict",
                        lambda rng: (rng.normal(size=3), rng.normal(size=(4, 3)), 0.5),
                        lambda got, a: assert_matches(got, a[1] @ a[0] + a[2], scale=scale(*a)))
