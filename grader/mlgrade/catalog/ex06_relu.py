"""Checks for ex06_relu: ReLU, its derivative, and a hard sigmoid from two ReLUs (document 004)."""
import numpy as np

from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.probes import arg, leaves_inputs_unchanged, shape_classes
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


def inputs(rng) -> list:
    """A value of every shape class (kinks 0 and 1 included in the batch), and all zeros."""
    out = [arg(away_from_kinks(rng, s)) for s in shape_classes(rng).values()]
    out[-1].flat[:2] = (0.0, 1.0)
    return out + [np.zeros((2, 3))]


@check(EXERCISE, "relu")
def random_shapes(student, rng):
    for z in inputs(rng):
        assert_matches(student.relu(z), np.maximum(z, 0.0))


@check(EXERCISE, "relu_grad")
def random_central_differences(student, rng):
    for shape in shape_classes(rng).values():
        z = arg(away_from_kinks(rng, shape))
        assert_gradient(student.relu_grad(z), lambda v: float(np.sum(np.maximum(v, 0))),
                        np.asarray(z), f_scale=float(np.sum(np.abs(z))))


@check(EXERCISE, "relu_grad")
def zero_counts_as_off(student, rng):
    z = np.where(rng.uniform(size=(3, 4)) < 0.5, 0.0, away_from_kinks(rng, (3, 4)))
    z[0, 0] = 0.0
    assert_matches(student.relu_grad(z), (z > 0).astype(float))


@check(EXERCISE, "hard_sigmoid")
def random_clip(student, rng):
    for z in inputs(rng):
        assert_matches(student.hard_sigmoid(z), np.clip(z, 0.0, 1.0))


RIGHT = {"relu": lambda z: np.maximum(z, 0.0), "relu_grad": lambda z: (z > 0).astype(float),
         "hard_sigmoid": lambda z: np.clip(z, 0.0, 1.0)}
for _name, _right in RIGHT.items():
    leaves_inputs_unchanged(EXERCISE, _name, lambda rng: (rng.normal(size=(3, 4)),),
                            lambda got, a, right=_right: assert_matches(got, right(a[0])))
