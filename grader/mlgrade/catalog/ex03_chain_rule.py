"""Checks for ex03_chain_rule: gradients of the mse by the chain rule (document 000)."""
import numpy as np

from mlgrade.numeric import as_float, as_pair, assert_gradient, assert_matches
from mlgrade.probes import assert_unchanged, random_shape
from mlgrade.spec import Case, Doc, Exercise, check

EXERCISE = Exercise("ex03_chain_rule", functions=("mse_grad_pred", "linear_mse_grads"), cases=[
    Case("doc000_dloss_dpred", "mse_grad_pred", (3.0, 0.4), -5.2, "000", printed=-5.2),
    Case("doc003_dloss_do1", "mse_grad_pred", (1.0, 0.8704730), -0.259054, "003", atol=1e-6),
])


def mse(y, y_pred):
    return float(np.mean((y - y_pred) ** 2))


@check(EXERCISE, "linear_mse_grads", doc=Doc(
    "000", "dL/dw1 = dL/dw2 = dL/db = −5.2", "dL_dw = [-5.2, -5.2], dL_db = -5.2",
    "linear_mse_grads([0.5, -0.3], [1.0, 1.0], 0.2, 3.0)"))
def doc000_gradients(student, rng):
    dL_dw, dL_db = as_pair(student.linear_mse_grads([0.5, -0.3], [1.0, 1.0], 0.2, 3.0))
    assert_matches(dL_dw, np.array([-5.2, -5.2]), what="dL_dw")
    assert_matches(dL_db, -5.2, what="dL_db")


@check(EXERCISE, "mse_grad_pred")
def random_central_differences(student, rng):
    shape = random_shape(rng)
    y, y_pred = rng.normal(size=shape), rng.normal(size=shape)
    n = max(np.size(y_pred), 1)
    got = assert_unchanged(student.mse_grad_pred, y, y_pred)
    assert_gradient(got, lambda p: mse(y, p), y_pred,
                    mistakes={"missing-factor-2": (y_pred - y) / n,
                              "sign-flipped": 2 * (y - y_pred) / n,
                              "not-averaged": 2 * (y_pred - y)})


def check_linear(student, rng, batch: bool):
    d = int(rng.integers(1, 6))
    x = rng.normal(size=(int(rng.integers(2, 8)), d) if batch else d)
    w, b = rng.normal(size=d), float(rng.normal())
    y = rng.normal(size=x.shape[:-1])
    dL_dw, dL_db = as_pair(assert_unchanged(student.linear_mse_grads, w, x, b, y))
    dL_dy = 2 * (x @ w + b - y) / max(np.size(y), 1)
    right = dL_dy @ x if batch else dL_dy * x
    assert_gradient(dL_dw, lambda v: mse(y, x @ v + b), w, what="dL_dw",
                    mistakes={"sign-flipped": -right, "not-averaged": right * np.size(y),
                              "missing-factor-2": right / 2})
    assert_gradient([as_float(dL_db, "dL_db")], lambda v: mse(y, x @ w + v[0]), np.array([b]),
                    what="dL_db")


@check(EXERCISE, "linear_mse_grads")
def random_single_sample(student, rng):
    check_linear(student, rng, batch=False)


@check(EXERCISE, "linear_mse_grads")
def random_batch(student, rng):
    check_linear(student, rng, batch=True)
