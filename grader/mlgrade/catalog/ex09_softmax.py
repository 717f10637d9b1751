"""Checks for ex09_softmax: softmax, cross-entropy and their gradient (document 004)."""
import numpy as np

from mlgrade.numeric import AnyOf, assert_gradient, assert_matches
from mlgrade.probes import assert_quiet, leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check

LEE_Z = [3.0, 1.0, -3.0]        # the logits of Hung-yi Lee's lecture example, which 004 follows


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(p, y):
    P, y = np.atleast_2d(p), np.atleast_1d(y)
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))


def grad(z, y):
    """(softmax(z) − onehot(y)) / n, shaped like z."""
    P = np.atleast_2d(softmax(z)).copy()
    y = np.atleast_1d(y)
    P[np.arange(len(y)), y] -= 1
    return (P / len(y)).reshape(np.shape(z))


EXERCISE = Exercise("ex09_softmax", functions=("softmax", "cross_entropy",
                                               "softmax_cross_entropy_grad"), cases=[
    Case("doc004_softmax", "softmax", (LEE_Z,), softmax(LEE_Z), "004",
         printed=np.array([0.88, 0.12, 0.0])),
    Case("lee_cross_entropy", "cross_entropy", (softmax(LEE_Z), 0),
         cross_entropy(softmax(LEE_Z), 0), "004"),
    Case("lee_gradient", "softmax_cross_entropy_grad", (LEE_Z, 0), grad(LEE_Z, 0), "004"),
])


LARGEST = 1e4


def logits(rng, rows: int | None, scale: float = 3.0):
    """(z, y): one sample (k,) with an int label for rows=None, else (rows, k) with an int array."""
    k = int(rng.integers(2, 7))
    z = rng.normal(scale=scale, size=k if rows is None else (rows, k))
    return z, int(rng.integers(0, k)) if rows is None else rng.integers(0, k, size=rows)


def every_class(rng) -> list:
    """(z, y) of one sample, a batch of one, a batch, and all-zero logits."""
    out = [logits(rng, rows) for rows in (None, 1, int(rng.integers(2, 7)))]
    return out + [(np.zeros((2, 3)), np.array([0, 2]))]


@check(EXERCISE, "softmax")
def random_logits(student, rng):
    for z, _ in every_class(rng):
        assert_matches(student.softmax(z), softmax(z))


@check(EXERCISE, "softmax", largest=f"1e{np.log10(LARGEST):.0f}")
def large_logits_stable(student, rng):
    for rows in (None, int(rng.integers(2, 5))):
        z, _ = logits(rng, rows)
        z = z * LARGEST / np.abs(z).max()           # logits as large as 1e4
        got = assert_quiet(student.softmax, z, diagnosis="softmax-overflow")
        assert_matches(got, softmax(z))


def with_epsilon(p, y) -> AnyOf:
    """What −log(p + ε) or −log(clip(p, ε, 1 − ε)) gives, for the ε that real code uses."""
    P, y = np.atleast_2d(p), np.atleast_1d(y)
    right = P[np.arange(len(y)), y]
    out = []
    for eps in (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15):
        out += [float(-np.mean(np.log(right + eps))),
                float(-np.mean(np.log(np.clip(right, eps, 1 - eps))))]
    return AnyOf(out)


def tiny(rng):
    """A batch whose true classes have probabilities from 1e-13 to 1e-11 (or even 1e-300)."""
    z, y = logits(rng, int(rng.integers(2, 5)))
    z[np.arange(len(y)), y] = z.max() - rng.uniform(25, 30, size=len(y))
    z[0, y[0]] = z.max() - 690                   # a probability of about 1e-300
    return softmax(z), y


@check(EXERCISE, "cross_entropy")
def random_probabilities(student, rng):
    cases = [(softmax(z), y) for z, y in every_class(rng)[:3]] + [tiny(rng)]
    for p, y in cases:
        n = len(np.atleast_1d(y))
        assert_matches(student.cross_entropy(p, y), cross_entropy(p, y),
                       mistakes={"ce-sum-not-mean": cross_entropy(p, y) * n,
                                 "log-epsilon": with_epsilon(p, y)})


@check(EXERCISE, "softmax_cross_entropy_grad")
def random_central_differences(student, rng):
    for z, y in every_class(rng):
        n = len(np.atleast_1d(y))
        right = grad(z, y)
        assert_gradient(student.softmax_cross_entropy_grad(z, y),
                        lambda v, y=y: cross_entropy(softmax(v), y), z,
                        f_scale=float(np.abs(z).max()) + 1,   # log Σ e^z is made of z
                        mistakes={"softmax-grad-missing-onehot": softmax(z) / n,
                                  "not-averaged": right * n, "sign-flipped": -right})


@check(EXERCISE, "softmax_cross_entropy_grad", largest=f"1e{np.log10(LARGEST):.0f}")
def large_logits_gradient(student, rng):
    for rows in (None, int(rng.integers(2, 5))):
        z, y = logits(rng, rows)
        z = z * LARGEST / np.abs(z).max()
        got = assert_quiet(student.softmax_cross_entropy_grad, z, y,
                           diagnosis="softmax-overflow")
        assert_matches(got, grad(z, y))


def fixed(rng):
    return rng.normal(size=(3, 4)), rng.integers(0, 4, size=3)


leaves_inputs_unchanged(EXERCISE, "softmax", lambda rng: (fixed(rng)[0],),
                        lambda got, a: assert_matches(got, softmax(a[0])))
leaves_inputs_unchanged(EXERCISE, "cross_entropy",
                        lambda rng: (lambda z, y: (softmax(z), y))(*fixed(rng)),
                        lambda got, a: assert_matches(got, cross_entropy(*a)))
leaves_inputs_unchanged(EXERCISE, "softmax_cross_entropy_grad", fixed,
                        lambda got, a: assert_matches(got, grad(*a)))
