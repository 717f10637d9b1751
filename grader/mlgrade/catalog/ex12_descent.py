"""Checks for ex12_descent: three update rules and gradient descent (documents 000, 001, 004)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

EXERCISE = Exercise("ex12_descent", functions=("step_fixed", "step_sign", "step_gd",
                                               "gradient_descent"), cases=[
    # document 001: best w is 0.8, w is 1, the fixed step 0.5 jumps past it to 0.5
    Case("doc001_fixed_step_overshoots", "step_fixed", (1.0, 0.5), 0.5, "001", printed=0.5),
    Case("doc001_sign_of_slope", "step_sign", ([1.0, 0.5], [3.0, -0.2], 0.1),
         np.array([0.9, 0.6]), "001"),
    Case("doc000_gd_step", "step_gd", (0.5, -5.2, 0.1), 1.02, "000", printed=1.02),
])


@check(EXERCISE, "step_gd")
def random_steps(student, rng):
    w, slope, lr = rng.normal(size=4), rng.normal(size=4), float(rng.uniform(0.01, 1))
    assert_matches(assert_unchanged(student.step_gd, w, slope, lr), w - lr * slope,
                   mistakes={"update-wrong-direction": w + lr * slope})


@check(EXERCISE, "step_sign")
def random_sign_steps(student, rng):
    w, slope, size = rng.normal(size=5), rng.normal(size=5), float(rng.uniform(0.01, 1))
    assert_matches(assert_unchanged(student.step_sign, w, slope, size),
                   w - size * np.sign(slope))


@check(EXERCISE, "step_fixed")
def random_fixed_steps(student, rng):
    w, size = rng.normal(size=int(rng.integers(1, 6))), float(rng.uniform(-1, 1))
    assert_matches(assert_unchanged(student.step_fixed, w, size), w - size)


def path(a, w_star, w0, lr, steps) -> np.ndarray:
    rows = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        rows.append(rows[-1] - lr * testfns.quad_grad(rows[-1], a, w_star))
    return np.stack(rows)


@check(EXERCISE, "gradient_descent", points=2)
def random_vector_path(student, rng):
    d, steps = int(rng.integers(1, 5)), int(rng.integers(1, 8))
    a, w_star, w0 = rng.uniform(0.5, 3, d), rng.normal(size=d), rng.normal(size=d)
    lr = float(rng.choice([0.05, 0.3, 0.9]) / a.max())
    got = assert_unchanged(student.gradient_descent,
                           Callable("quad_grad", a=a.tolist(), w_star=w_star.tolist()),
                           w0, lr, steps)
    right = path(a, w_star, w0, lr, steps)
    assert_matches(got, right, mistakes={"history-off-by-one": right[1:],
                                         "update-wrong-direction": path(a, w_star, w0, -lr,
                                                                        steps)})


@check(EXERCISE, "gradient_descent")
def random_scalar_path(student, rng):
    a, w_star, w0 = float(rng.uniform(0.5, 3)), float(rng.normal()), float(rng.normal())
    lr, steps = float(rng.uniform(0.05, 1.9) / a), int(rng.integers(1, 8))
    got = student.gradient_descent(Callable("quad_grad", a=a, w_star=w_star), w0, lr, steps)
    assert_matches(got, path(a, w_star, w0, lr, steps))
