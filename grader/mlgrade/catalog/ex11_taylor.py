"""Checks for ex11_taylor: the 2nd-order Taylor expansion and the Hessian (documents 000, 002)."""
import numpy as np

from mlgrade.numeric import RTOL, U, assert_matches
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

H_DOC = np.array([[2.0, 1.0], [1.0, 4.0]])
EXERCISE = Exercise("ex11_taylor", functions=("taylor2", "hessian"), cases=[
    # second differences of a quadratic are exact up to rounding, ≈ 64 u·|L| / ε² ≈ 1e-6
    Case("doc000_hessian", "hessian", (Callable("doc000_loss"), [0.0, 0.0]), H_DOC, "000",
         atol=1e-5, printed=H_DOC),
    Case("doc000_taylor_at_1_2", "taylor2", (0.0, [0.0, 0.0], H_DOC, [1.0, 2.0]), 11.0, "000",
         printed=11.0),
])


def expansion(rng, n: int) -> tuple:
    L0, g, delta = float(rng.normal()), rng.normal(size=n), rng.normal(size=n)
    A = rng.normal(size=(n, n))
    return L0, g, A + A.T, delta


@check(EXERCISE, "taylor2")
def random_expansion(student, rng):
    for n in (1, int(rng.integers(2, 6))):
        L0, g, H, delta = expansion(rng, n)
        size = abs(L0) + np.abs(g) @ np.abs(delta) + np.abs(delta) @ np.abs(H) @ np.abs(delta)
        assert_matches(student.taylor2(L0, g, H, delta),
                       float(L0 + g @ delta + delta @ H @ delta / 2), scale=size,
                       mistakes={"missing-factor-2": float(L0 + g @ delta + delta @ H @ delta)})


def hessian_tolerance(theta, eps, A, g, k) -> float:
    """Rounding of second differences, 64 u of f's size over ε², plus what a formula with
    one-sided differences leaves of the third derivative k: ε·|k|."""
    t = np.abs(theta) + 2 * eps
    size = 0.5 * t @ np.abs(A) @ t + np.abs(g) @ t + abs(k) / 6 * np.sum(t**3) + 1.0
    return 64 * U * size / eps**2 + 2 * eps * abs(k) + RTOL * (np.abs(A).max() + abs(k) * t.max())


@check(EXERCISE, "hessian", points=2)
def random_cubic_function(student, rng):
    for n, eps in ((1, None), (int(rng.integers(2, 5)), None), (int(rng.integers(2, 4)), 1e-3)):
        A = rng.normal(size=(n, n))
        params = {"A": (A + A.T).tolist(), "g": rng.normal(size=n).tolist(),
                  "k": float(rng.normal())}
        theta = rng.normal(size=n)
        args = (Callable("cubic_form", **params), theta) + (() if eps is None else (eps,))
        expected = testfns.cubic_form_hessian(theta, **params)
        tol = hessian_tolerance(theta, eps or 1e-4, np.array(params["A"]), np.array(params["g"]),
                                params["k"])
        assert_matches(student.hessian(*args), expected, rtol=0.0, atol=tol)


def verify_taylor(got, args) -> None:
    L0, g, H, delta = args
    size = abs(L0) + np.abs(g) @ np.abs(delta) + np.abs(delta) @ np.abs(H) @ np.abs(delta)
    assert_matches(got, float(L0 + g @ delta + delta @ H @ delta / 2), scale=size)


def verify_hessian(got, args) -> None:
    params, theta = args[0].params, args[1]
    tol = hessian_tolerance(theta, 1e-4, np.array(params["A"]), np.array(params["g"]),
                            params["k"])
    assert_matches(got, testfns.cubic_form_hessian(theta, **params), rtol=0.0, atol=tol)


leaves_inputs_unchanged(EXERCISE, "taylor2", lambda rng: expansion(rng, 3), verify_taylor)
leaves_inputs_unchanged(EXERCISE, "hessian",
                        lambda rng: (Callable("cubic_form", A=np.eye(2).tolist(), g=[1.0, 0.0],
                                              k=1.0), rng.normal(size=2)), verify_hessian)
