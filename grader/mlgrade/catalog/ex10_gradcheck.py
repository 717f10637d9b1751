"""Checks for ex10_gradcheck: central differences and the relative error (CS231n practice)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

EXERCISE = Exercise("ex10_gradcheck", functions=("numerical_gradient", "relative_error"), cases=[
    Case("doc000_loss_gradient", "numerical_gradient", (Callable("doc000_loss"), [1.0, 2.0]),
         np.array([4.0, 9.0]), "000", atol=1e-6),
    Case("doc000_gradient_at_0", "numerical_gradient", (Callable("doc000_loss"), [0.0, 0.0]),
         np.array([0.0, 0.0]), "000", atol=1e-6, printed=np.array([0.0, 0.0])),
    Case("equal_arrays", "relative_error", ([1.0, -2.0], [1.0, -2.0]), 0.0),
    Case("both_zero", "relative_error", ([0.0, 3.0], [0.0, 3.0]), 0.0),
])


def smooth_params(rng, shape) -> dict:
    return {"a": rng.uniform(0.5, 2, shape).tolist(), "c": rng.normal(size=shape).tolist(),
            "q": rng.normal(size=shape).tolist()}


@check(EXERCISE, "numerical_gradient", points=2)
def random_smooth_function(student, rng):
    shape = tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    params, x = smooth_params(rng, shape), rng.normal(size=shape)
    got = assert_unchanged(student.numerical_gradient, Callable("smooth", **params), x)
    f = testfns.build("smooth", params)
    # tight enough that a forward difference, off by about ε/2·f'', fails
    assert_matches(got, testfns.smooth_grad(x, *map(np.array, params.values())), atol=1e-8,
                   rtol=1e-7, mistakes={"forward-difference": forward_difference(f, x)})


def forward_difference(f, x, eps=1e-5) -> np.ndarray:
    """(f(x + ε) − f(x)) / ε: what the one-sided mistake returns."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x)) / eps
    return grad


@check(EXERCISE, "relative_error")
def random_scaled_copy(student, rng):
    a = rng.normal(size=int(rng.integers(2, 9)))
    a[rng.integers(0, a.size)] = 0.0                # an entry where both are 0
    delta = float(rng.uniform(1e-4, 0.5))
    assert_matches(assert_unchanged(student.relative_error, a, a * (1 + delta)),
                   delta / (2 + delta))
