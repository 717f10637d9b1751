"""Checks for ex11_taylor: the 2nd-order Taylor expansion and the Hessian (documents 000, 002)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

H_DOC = np.array([[2.0, 1.0], [1.0, 4.0]])
EXERCISE = Exercise("ex11_taylor", functions=("taylor2", "hessian"), cases=[
    Case("doc000_hessian", "hessian", (Callable("doc000_loss"), [0.0, 0.0]), H_DOC, "000",
         atol=1e-4, printed=H_DOC),
    Case("doc000_taylor_at_1_2", "taylor2", (0.0, [0.0, 0.0], H_DOC, [1.0, 2.0]), 11.0, "000",
         printed=11.0),
])


@check(EXERCISE, "taylor2")
def random_expansion(student, rng):
    n = int(rng.integers(1, 6))
    L0, g, delta = float(rng.normal()), rng.normal(size=n), rng.normal(size=n)
    A = rng.normal(size=(n, n))
    H = A + A.T
    assert_matches(assert_unchanged(student.taylor2, L0, g, H, delta),
                   float(L0 + g @ delta + delta @ H @ delta / 2),
                   mistakes={"missing-factor-2": float(L0 + g @ delta + delta @ H @ delta)})


@check(EXERCISE, "hessian", points=2)
def random_cubic_function(student, rng):
    n = int(rng.integers(1, 5))
    A = rng.normal(size=(n, n))
    params = {"A": (A + A.T).tolist(), "g": rng.normal(size=n).tolist(), "k": float(rng.normal())}
    theta = rng.normal(size=n)
    got = assert_unchanged(student.hessian, Callable("cubic_form", **params), theta)
    assert_matches(got, testfns.cubic_form_hessian(theta, **params), atol=1e-4, rtol=1e-4)
