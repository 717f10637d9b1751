"""Checks for ex05_sigmoid: σ(z) and σ'(z) = σ(z)(1 − σ(z)) (documents 002, 003, 004)."""
import numpy as np

from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.probes import arg, assert_quiet, leaves_inputs_unchanged, shape_classes
from mlgrade.spec import Case, Exercise, check


def sigma(z):
    """The grader's own σ, through tanh so that it never overflows."""
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


EXERCISE = Exercise("ex05_sigmoid", functions=("sigmoid", "sigmoid_grad"), cases=[
    Case("doc003_sigma_of_3", "sigmoid", (3.0,), float(sigma(3.0)), "003", printed=0.952),
    Case("doc003_slope_at_0", "sigmoid_grad", (0.0,), 0.25, "003",
         mistakes={"sigmoid-grad-of-preactivation": 0.0}),
])


def inputs(rng, scale: float) -> list:
    """A value of every shape class, and an all-zero batch."""
    return [arg(rng.normal(scale=scale, size=s)) for s in shape_classes(rng).values()] + [
        np.zeros((2, 3))]


LARGEST = 1e4


def large(rng) -> np.ndarray:
    """Logits up to |z| = 1e4, with both signs and the extremes."""
    extremes = [-LARGEST, LARGEST, -745.0, 710.0, -40.0, 40.0]
    return np.concatenate([extremes, rng.uniform(-LARGEST, LARGEST, 6)])


@check(EXERCISE, "sigmoid")
def random_shapes(student, rng):
    for z in inputs(rng, 4):
        assert_matches(student.sigmoid(z), sigma(z))


@check(EXERCISE, "sigmoid", largest=f"1e{np.log10(LARGEST):.0f}")
def large_inputs_no_overflow(student, rng):
    z = large(rng)
    got = assert_quiet(student.sigmoid, z, diagnosis="sigmoid-overflow")
    assert_matches(got, sigma(z))


@check(EXERCISE, "sigmoid_grad")
def random_central_differences(student, rng):
    for z in inputs(rng, 3):
        s = sigma(z)
        # σ is elementwise, so σ'(z) is the gradient of Σ σ(z)
        assert_gradient(student.sigmoid_grad(z), lambda v: float(np.sum(sigma(v))),
                        np.asarray(z), f_scale=float(np.size(z)),
                        mistakes={"sigmoid-grad-of-preactivation": z * (1 - z),
                                  "sign-flipped": -s * (1 - s)})


@check(EXERCISE, "sigmoid_grad", largest=f"1e{np.log10(LARGEST):.0f}")
def large_inputs_no_overflow_grad(student, rng):
    z = large(rng)
    got = assert_quiet(student.sigmoid_grad, z, diagnosis="sigmoid-overflow")
    # σ(1 − σ) loses σ'’s relative accuracy once σ rounds to 1: judged to 1e-15 absolute
    assert_matches(got, sigma(z) * sigma(-z), atol=1e-15,
                   mistakes={"sigmoid-grad-of-preactivation": z * (1 - z)})


leaves_inputs_unchanged(EXERCISE, "sigmoid", lambda rng: (rng.normal(size=(3, 4)),),
                        lambda got, a: assert_matches(got, sigma(a[0])))
leaves_inputs_unchanged(EXERCISE, "sigmoid_grad", lambda rng: (rng.normal(size=(3, 4)),),
                        lambda got, a: assert_matches(got, sigma(a[0]) * sigma(-a[0])))
