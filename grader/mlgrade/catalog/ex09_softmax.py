"""Checks for ex09_softmax: softmax, cross-entropy and their gradient (document 004)."""
import numpy as np

from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.probes import assert_quiet, assert_unchanged
from mlgrade.spec import Case, Exercise, check

LEE_Z = [3.0, 1.0, -3.0]


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(p, y):
    P, y = np.atleast_2d(p), np.atleast_1d(y)
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))


EXERCISE = Exercise("ex09_softmax", functions=("softmax", "cross_entropy",
                                               "softmax_cross_entropy_grad"), cases=[
    Case("doc004_softmax", "softmax", (LEE_Z,), np.array([0.8789, 0.1189, 0.0022]), "004",
         atol=5e-5, printed=np.array([0.88, 0.12, 0.0])),
    Case("doc004_cross_entropy", "cross_entropy", (softmax(np.array(LEE_Z)), 0), 0.12911, "004",
         atol=5e-6),
    Case("doc004_gradient", "softmax_cross_entropy_grad", (LEE_Z, 0),
         np.array([-0.1211, 0.1189, 0.0022]), "004", atol=5e-5),
])


def logits(rng, batch: bool):
    k = int(rng.integers(2, 7))
    n = int(rng.integers(2, 7))
    z = rng.normal(scale=3, size=(n, k) if batch else k)
    return z, rng.integers(0, k, size=n) if batch else int(rng.integers(0, k))


@check(EXERCISE, "softmax")
def random_batch(student, rng):
    z, _ = logits(rng, batch=bool(rng.integers(0, 2)))
    assert_matches(assert_unchanged(student.softmax, z), softmax(z))


@check(EXERCISE, "softmax")
def large_logits_stable(student, rng):
    z, _ = logits(rng, batch=True)
    z = z * 1e4 / np.abs(z).max()           # logits as large as 1e4
    got = assert_quiet(student.softmax, z, diagnosis="softmax-overflow")
    assert_matches(got, softmax(z), atol=1e-12)


@check(EXERCISE, "cross_entropy")
def random_batch_cross_entropy(student, rng):
    z, y = logits(rng, batch=True)
    p = softmax(z)
    n = len(y)
    assert_matches(assert_unchanged(student.cross_entropy, p, y), cross_entropy(p, y),
                   mistakes={"ce-sum-not-mean": cross_entropy(p, y) * n})


@check(EXERCISE, "cross_entropy")
def random_single_sample(student, rng):
    z, y = logits(rng, batch=False)
    assert_matches(student.cross_entropy(softmax(z), y), cross_entropy(softmax(z), y))


def assert_ce_grad(student, rng, batch: bool) -> None:
    z, y = logits(rng, batch)
    n = len(np.atleast_1d(y))
    onehot = np.zeros_like(np.atleast_2d(z))
    onehot[np.arange(n), np.atleast_1d(y)] = 1
    assert_gradient(assert_unchanged(student.softmax_cross_entropy_grad, z, y),
                    lambda v: cross_entropy(softmax(v), y), z,
                    mistakes={"softmax-grad-missing-onehot": softmax(z) / n,
                              "not-averaged": (softmax(z) - onehot.reshape(z.shape)),
                              "sign-flipped": (onehot.reshape(z.shape) - softmax(z)) / n})


@check(EXERCISE, "softmax_cross_entropy_grad")
def random_central_differences(student, rng):
    assert_ce_grad(student, rng, batch=False)


@check(EXERCISE, "softmax_cross_entropy_grad", points=2)
def random_batch_central_differences(student, rng):
    assert_ce_grad(student, rng, batch=True)
