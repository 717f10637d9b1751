"""Checks for ex05_sigmoid: σ(z) and σ'(z) = σ(z)(1 − σ(z)) (documents 002, 003, 004)."""
import numpy as np

from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.probes import assert_quiet, assert_unchanged, random_shape
from mlgrade.spec import Case, Exercise, check

EXERCISE = Exercise("ex05_sigmoid", functions=("sigmoid", "sigmoid_grad"), cases=[
    Case("doc003_sigma_of_3", "sigmoid", (3.0,), 0.952574, "003", atol=1e-6, printed=0.952),
    Case("doc004_slope_at_0", "sigmoid_grad", (0.0,), 0.25, "004",
         mistakes={"sigmoid-grad-of-preactivation": 0.0}),
])


def sigma(z):
    """The grader's own σ, through tanh so that it never overflows."""
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def large(rng) -> np.ndarray:
    """Logits up to |z| = 1e4, with both signs and the extremes."""
    return np.concatenate([[-1e4, 1e4, -745.0, 710.0], rng.uniform(-1e4, 1e4, 6)])


@check(EXERCISE, "sigmoid")
def random_shapes(student, rng):
    z = rng.normal(scale=4, size=random_shape(rng))
    assert_matches(student.sigmoid(z), sigma(z))


@check(EXERCISE, "sigmoid")
def large_inputs_no_overflow(student, rng):
    z = large(rng)
    got = assert_quiet(student.sigmoid, z, diagnosis="sigmoid-overflow")
    assert_matches(got, sigma(z), atol=1e-12)


@check(EXERCISE, "sigmoid_grad")
def random_central_differences(student, rng):
    z = rng.normal(scale=3, size=random_shape(rng, batch=True))
    s = sigma(z)
    # σ is elementwise, so σ'(z) is the gradient of Σ σ(z)
    got = assert_unchanged(student.sigmoid_grad, z)
    assert_gradient(got, lambda v: float(np.sum(sigma(v))), z,
                    mistakes={"sigmoid-grad-of-preactivation": z * (1 - z),
                              "sign-flipped": -s * (1 - s)})


@check(EXERCISE, "sigmoid_grad")
def large_inputs_no_overflow_grad(student, rng):
    z = large(rng)
    got = assert_quiet(student.sigmoid_grad, z, diagnosis="sigmoid-overflow")
    assert_matches(got, sigma(z) * (1 - sigma(z)), atol=1e-12,
                   mistakes={"sigmoid-grad-of-preactivation": z * (1 - z)})


@check(EXERCISE, "sigmoid")
def inputs_unchanged(student, rng):
    z = rng.normal(size=random_shape(rng, batch=True))
    assert_matches(assert_unchanged(student.sigmoid, z), sigma(z))
