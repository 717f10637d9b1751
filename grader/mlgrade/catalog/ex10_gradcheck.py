"""Checks for ex10_gradcheck: central differences and the relative error (CS231n practice)."""
import numpy as np

from mlgrade.numeric import RTOL, U, assert_matches
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

EXERCISE = Exercise("ex10_gradcheck", functions=("numerical_gradient", "relative_error"), cases=[
    # central differences of a quadratic are exact up to rounding (≈ u·|L| / ε ≈ 1e-10)
    Case("doc000_loss_gradient", "numerical_gradient", (Callable("doc000_loss"), [1.0, 2.0]),
         np.array([4.0, 9.0]), "000", atol=1e-9),
    Case("doc000_gradient_at_0", "numerical_gradient", (Callable("doc000_loss"), [0.0, 0.0]),
         np.array([0.0, 0.0]), "000", atol=1e-9, printed=np.array([0.0, 0.0])),
    Case("equal_arrays", "relative_error", ([1.0, -2.0], [1.0, -2.0]), 0.0),
    Case("both_zero", "relative_error", ([0.0, 3.0], [0.0, 3.0]), 0.0),
])


def smooth_params(rng, shape) -> dict:
    """f = Σ c sin(a x) + ½ q x² with f'' = q − c a² sin(a x) ≥ 1/2 everywhere (so a
    one-sided difference is off by ≥ ε/4) and |c| a ≥ 1/4 (so ε shows in sin(aε)/ε)."""
    a = rng.uniform(0.5, 1.0, shape)
    c = rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 0.5 / a**2)
    return {"a": a.tolist(), "c": c.tolist(), "q": rng.uniform(1.0, 2.0, shape).tolist()}


def central(x, eps, a, c, q) -> np.ndarray:
    """The exact central difference of f at step ε: c cos(a x) sin(a ε)/ε + q x."""
    return c * np.cos(a * x) * np.sin(a * eps) / eps + q * x


def tolerance(x, eps, a, c, q) -> np.ndarray:
    """Rounding of a correct central difference: the values of f (64 u of the size of its
    terms each) over 2ε, and x ± ε not being exactly 2ε apart (u |x| / ε of f')."""
    size = np.sum(np.abs(c)) + 0.5 * np.sum(q * (np.abs(x) + eps) ** 2)
    slope = np.abs(c * a) + q * (np.abs(x) + eps)
    return 64 * U * size / eps + 4 * U * (np.abs(x) + eps) * slope / eps + RTOL * slope


def points(rng) -> list:
    """x of shape (k,) and (m, k) with m, k ≥ 2, one entry 0 (where cos(a x) = 1)."""
    k = int(rng.integers(2, 5))
    out = [rng.normal(size=k), rng.normal(size=(int(rng.integers(2, 4)), k))]
    for x in out:
        x.flat[int(rng.integers(0, x.size))] = 0.0
    return out


def forward_difference(x, eps, a, c, q) -> np.ndarray:
    """(f(x + ε) − f(x)) / ε: what the one-sided mistake returns."""
    f = testfns.build("smooth", {"a": a, "c": c, "q": q})
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x)) / eps
    return grad


def assert_central(student, rng, eps: float | None) -> None:
    for x in points(rng):
        params = smooth_params(rng, x.shape)
        p = {k: np.array(v) for k, v in params.items()}
        step = 1e-5 if eps is None else eps
        args = (Callable("smooth", **params), x) + (() if eps is None else (eps,))
        assert_matches(student.numerical_gradient(*args), central(x, step, **p),
                       rtol=0.0, atol=tolerance(x, step, **p),
                       mistakes={"forward-difference": forward_difference(x, step, **p)})


@check(EXERCISE, "numerical_gradient", points=2)
def random_smooth_function(student, rng):
    assert_central(student, rng, None)


@check(EXERCISE, "numerical_gradient")
def random_large_eps(student, rng):
    assert_central(student, rng, float(rng.uniform(0.05, 0.2)))


def rel(a, b) -> float:
    num, den = np.abs(a - b), np.abs(a) + np.abs(b)
    return float(np.max(np.divide(num, den, out=np.zeros_like(num), where=den > 0),
                        initial=0.0))


@check(EXERCISE, "relative_error")
def random_arrays(student, rng):
    """Entries apart by different ratios (a norm-based error differs), a matrix, a 0 where
    both are 0, a nonzero number against 0 (gives 1.0), and two all-zero arrays."""
    k = int(rng.integers(3, 9))
    a = rng.choice([-1.0, 1.0], k) * rng.uniform(1e-3, 10, k)
    b = a * (1 + rng.uniform(1e-4, 0.5, k))
    a[0] = b[0] = 0.0
    m = rng.normal(size=(int(rng.integers(2, 4)), 3))
    with_zero = rng.normal(size=k)
    with_zero[1] = 0.0
    for x, y in ((a, b), (m, m + rng.normal(scale=0.1, size=m.shape)),
                 (with_zero, with_zero + (np.arange(k) == 1)), (np.zeros(k), np.zeros(k))):
        assert_matches(student.relative_error(x, y), rel(x, y))


def verify_central(got, args) -> None:
    p = {k: np.array(v) for k, v in args[0].params.items()}
    assert_matches(got, central(args[1], 1e-5, **p), rtol=0.0, atol=tolerance(args[1], 1e-5, **p))


leaves_inputs_unchanged(EXERCISE, "numerical_gradient",
                        lambda rng: (Callable("smooth", **smooth_params(rng, (2, 3))),
                                     rng.normal(size=(2, 3))), verify_central)
leaves_inputs_unchanged(EXERCISE, "relative_error",
                        lambda rng: (rng.normal(size=4), rng.normal(size=4)),
                        lambda got, a: assert_matches(got, rel(*a)))
