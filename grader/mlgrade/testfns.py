"""Test functions that checks pass to student code (ex10, ex11, ex12).

A check names one by name and parameters (`wire.Callable`); the grading process
builds it with `build` and evaluates it when the student's code calls it back (see
callbacks.py): it never enters the worker.  The grader uses the same formulas for
the expected gradients and Hessians, so each formula is written once, here.
"""
import numpy as np


def doc000_loss(theta):
    """L(θ) = θ1² + 2θ2² + θ1θ2, the Taylor example of document 000."""
    t1, t2 = np.asarray(theta, dtype=np.float64)
    return float(t1 * t1 + 2 * t2 * t2 + t1 * t2)


def smooth(x, a, c, q):
    """f(x) = Σ c·sin(a·x) + ½ Σ q·x², elementwise parameters shaped like x."""
    x = np.asarray(x, dtype=np.float64)
    return float(np.sum(c * np.sin(a * x)) + 0.5 * np.sum(q * x * x))


def smooth_grad(x, a, c, q):
    x = np.asarray(x, dtype=np.float64)
    return c * a * np.cos(a * x) + q * x


def cubic_form(theta, A, g, k):
    """f(θ) = ½ θᵀAθ + g·θ + k/6 Σ θ³ (A symmetric), Hessian A + k·diag(θ)."""
    t = np.asarray(theta, dtype=np.float64)
    return float(0.5 * t @ np.asarray(A) @ t + np.asarray(g) @ t + k / 6 * np.sum(t**3))


def cubic_form_hessian(theta, A, g, k):
    return np.asarray(A, dtype=np.float64) + k * np.diag(np.asarray(theta, dtype=np.float64))


def quad_grad(w, a, w_star):
    """Gradient of ½ a (w − w*)², elementwise: a (w − w*)."""
    return np.asarray(a) * (np.asarray(w, dtype=np.float64) - np.asarray(w_star))


FUNCTIONS = {f.__name__: f for f in (doc000_loss, smooth, cubic_form, quad_grad)}


def build(name: str, params: dict):
    """The one-argument function `x -> FUNCTIONS[name](x, **params)`."""
    f = FUNCTIONS[name]
    params = {k: np.asarray(v, dtype=np.float64) if isinstance(v, list) else v
              for k, v in params.items()}

    def call(x):
        return f(x, **params)

    return call
