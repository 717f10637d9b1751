"""Checks for ex12_descent: three update rules and gradient descent (documents 000, 001, 004)."""
import numpy as np

from mlgrade.numeric import AnyOf, assert_matches
from mlgrade.probes import arg, leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check
from mlgrade import testfns
from mlgrade.worker.wire import Callable

EXERCISE = Exercise("ex12_descent", functions=("step_fixed", "step_sign", "step_gd",
                                               "gradient_descent"), cases=[
    # document 001: best w is 0.8, w is 1, the fixed step 0.5 jumps past it to 0.5
    Case("doc001_fixed_step_overshoots", "step_fixed", (1.0, 0.5), 0.5, "001", printed=0.5,
         params={"best": 0.8}),
    Case("doc001_sign_of_slope", "step_sign", ([1.0, 0.5], [3.0, -0.2], 0.1),
         np.array([0.9, 0.6]), "001"),
    Case("doc000_gd_step", "step_gd", (0.5, -5.2, 0.1), 1.02, "000", printed=1.02),
])


def points(rng, k: int) -> list:
    """w of each class: a Python float, a vector (k,) and a matrix (2, k)."""
    return [float(rng.normal()), rng.normal(size=k), rng.normal(size=(2, k))]


@check(EXERCISE, "step_gd")
def random_steps(student, rng):
    for w in points(rng, int(rng.integers(2, 6))):
        slope, lr = arg(rng.normal(size=np.shape(w))), float(rng.uniform(0.01, 1))
        assert_matches(student.step_gd(w, slope, lr), w - lr * np.asarray(slope),
                       scale=np.abs(w) + lr * np.abs(slope),
                       mistakes={"update-wrong-direction": w + lr * np.asarray(slope)})


@check(EXERCISE, "step_sign")
def random_sign_steps(student, rng):
    for w in points(rng, int(rng.integers(3, 6))):
        slope = rng.normal(size=np.shape(w))
        slope.flat[0] = 0.0                    # a flat slope: no step
        slope, size = arg(slope), float(rng.uniform(0.01, 1))
        assert_matches(student.step_sign(w, slope, size), w - size * np.sign(slope),
                       scale=np.abs(w) + size,
                       mistakes={"update-wrong-direction": w + size * np.sign(slope)})


@check(EXERCISE, "step_fixed")
def random_fixed_steps(student, rng):
    for w in points(rng, int(rng.integers(2, 6))):
        size = float(rng.uniform(-1, 1))
        assert_matches(student.step_fixed(w, size), np.asarray(w) - size,
                       scale=np.abs(w) + abs(size))


def path(a, w_star, w0, lr, steps) -> np.ndarray:
    rows = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        rows.append(rows[-1] - lr * testfns.quad_grad(rows[-1], a, w_star))
    return np.stack(rows)


def descents(rng) -> list:
    """(a, w*, w0, lr, steps): a vector start, a scalar start, a start at the minimum (the
    gradient is 0 from the first step) and lr = 1/a (the minimum reached in one step)."""
    d = int(rng.integers(2, 5))
    a, w_star, w0 = rng.uniform(0.5, 3, d), rng.normal(size=d), rng.normal(size=d)
    out = [(a, w_star, w0, float(rng.choice([0.05, 0.3, 0.9]) / a.max()),
            int(rng.integers(2, 8)))]
    a1, w1 = float(rng.uniform(0.5, 3)), float(rng.normal())
    out.append((a1, w1, float(rng.normal()), float(rng.uniform(0.05, 1.9) / a1),
                int(rng.integers(2, 8))))
    out.append((a, w_star, w_star.copy(), float(0.5 / a.max()), int(rng.integers(2, 6))))
    out.append((a1, w1, float(rng.normal()), 1.0 / a1, int(rng.integers(3, 6))))
    return out


@check(EXERCISE, "gradient_descent", points=2)
def random_paths(student, rng):
    for a, w_star, w0, lr, steps in descents(rng):
        grad_fn = Callable("quad_grad", a=np.asarray(a).tolist() if np.ndim(a) else a,
                           w_star=np.asarray(w_star).tolist() if np.ndim(w_star) else w_star)
        got = student.gradient_descent(grad_fn, w0, lr, steps)
        right = path(a, w_star, w0, lr, steps)
        final = AnyOf((np.broadcast_to(right[-1], right.shape),
                       np.broadcast_to(path(a, w_star, w0, lr, steps + 1)[-1], right.shape)))
        assert_matches(got, right, scale=np.abs(right) + np.abs(w_star),
                       mistakes={"history-off-by-one": path(a, w_star, w0, lr, steps + 1)[1:],
                                 "history-aliased": final,
                                 "update-wrong-direction": path(a, w_star, w0, -lr, steps)})


def vectors(rng, k: int = 2) -> tuple:
    return tuple(rng.normal(size=3) for _ in range(k))


def verify_descent(got, args) -> None:
    p = args[0].params
    right = path(np.array(p["a"]), np.array(p["w_star"]), *args[1:])
    assert_matches(got, right, scale=np.abs(right) + 1)


leaves_inputs_unchanged(EXERCISE, "step_gd", lambda rng: (*vectors(rng), 0.1),
                        lambda got, a: assert_matches(got, a[0] - 0.1 * a[1],
                                                      scale=np.abs(a[0]) + np.abs(a[1])))
leaves_inputs_unchanged(EXERCISE, "step_sign", lambda rng: (*vectors(rng), 0.1),
                        lambda got, a: assert_matches(got, a[0] - 0.1 * np.sign(a[1]),
                                                      scale=np.abs(a[0]) + 1))
leaves_inputs_unchanged(EXERCISE, "step_fixed", lambda rng: (*vectors(rng, 1), 0.1),
                        lambda got, a: assert_matches(got, a[0] - 0.1, scale=np.abs(a[0]) + 1))
leaves_inputs_unchanged(EXERCISE, "gradient_descent",
                        lambda rng: (Callable("quad_grad", a=[1.0, 2.0], w_star=[0.0, 1.0]),
                                     rng.normal(size=2), 0.1, 3), verify_descent)
