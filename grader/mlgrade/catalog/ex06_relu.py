"""Checks for ex06_relu: ReLU, its derivative, and a hard sigmoid from two ReLUs (document 004)."""
import numpy as np

from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.probes import assert_unchanged, random_shape
from mlgrade.spec import Case, Exercise, check

EXERCISE = Exercise("ex06_relu", functions=("relu", "relu_grad", "hard_sigmoid"), cases=[
    Case("relu_example", "relu", ([-2.0, 0.0, 3.0],), np.array([0.0, 0.0, 3.0])),
    Case("relu_grad_at_0", "relu_grad", ([-1.0, 0.0, 2.0],), np.array([0.0, 0.0, 1.0])),
    Case("two_relus_example", "hard_sigmoid", ([-1.0, 0.5, 2.0],), np.array([0.0, 0.5, 1.0]),
         "004"),
])


def away_from_kinks(rng, shape) -> np.ndarray:
    """Random values at least 0.01 away from 0 and 1, where ReLUs bend."""
    z = rng.uniform(-3, 3, size=shape)
    return np.where(np.minimum(np.abs(z), np.abs(z - 1)) < 0.01, z + 0.05, z)


@check(EXERCISE, "relu")
def random_shapes(student, rng):
    z = rng.normal(size=random_shape(rng))
    assert_matches(student.relu(z), np.maximum(z, 0))


@check(EXERCISE, "relu_grad")
def random_central_differences(student, rng):
    z = away_from_kinks(rng, random_shape(rng, batch=True))
    got = assert_unchanged(student.relu_grad, z)
    assert_gradient(got, lambda v: float(np.sum(np.maximum(v, 0))), z)


@check(EXERCISE, "hard_sigmoid")
def random_clip(student, rng):
    z = away_from_kinks(rng, random_shape(rng))
    assert_matches(student.hard_sigmoid(z), np.clip(z, 0, 1))


@check(EXERCISE, "relu")
def inputs_unchanged(student, rng):
    z = rng.normal(size=random_shape(rng, batch=True))
    assert_matches(assert_unchanged(student.relu, z), np.maximum(z, 0))


@check(EXERCISE, "hard_sigmoid")
def inputs_unchanged_hard_sigmoid(student, rng):
    z = rng.normal(size=random_shape(rng, batch=True))
    assert_matches(assert_unchanged(student.hard_sigmoid, z), np.clip(z, 0, 1))
