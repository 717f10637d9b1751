"""Checks for ex03_chain_rule: gradients of the mse by the chain rule (document 000)."""
import numpy as np

from mlgrade.numeric import as_float, as_pair, assert_gradient, assert_matches
from mlgrade.probes import arg, leaves_inputs_unchanged, shape_classes
from mlgrade.spec import Case, Doc, Exercise, check

EXERCISE = Exercise("ex03_chain_rule", functions=("mse_grad_pred", "linear_mse_grads"), cases=[
    Case("doc000_dloss_dpred", "mse_grad_pred", (3.0, 0.4), -5.2, "000", printed=-5.2),
    # document 003's network output o1 = σ(2σ(3)); its dL/do1 = −2(1 − o1)
    Case("doc003_dloss_do1", "mse_grad_pred", (1.0, 0.8704730), -2 * (1 - 0.8704730), "003",
         printed=-0.259054),
])
DOC000 = ([0.5, -0.3], [1.0, 1.0], 0.2, 3.0)     # w, x, b, y_true


def mse(y, y_pred):
    return float(np.mean((y - y_pred) ** 2))


@check(EXERCISE, "linear_mse_grads", doc=Doc(
    "000", "dL/dw1 = dL/dw2 = dL/db = −5.2", "dL_dw = [-5.2, -5.2], dL_db = -5.2",
    "linear_mse_grads(np.array([0.5, -0.3]), np.array([1.0, 1.0]), 0.2, 3.0)"), grad=-5.2)
def doc000_gradients(student, rng):
    w, x, b, y = DOC000
    dL_dw, dL_db = as_pair(student.linear_mse_grads(np.array(w), np.array(x), b, y))
    assert_matches(dL_dw, np.array([-5.2, -5.2]), what="dL_dw")
    assert_matches(dL_db, -5.2, what="dL_db")


@check(EXERCISE, "mse_grad_pred")
def random_central_differences(student, rng):
    for shape in shape_classes(rng).values():
        y, y_pred = arg(rng.normal(size=shape)), arg(rng.normal(size=shape))
        n = max(np.size(y_pred), 1)
        right = 2 * (np.asarray(y_pred) - y) / n
        got = student.mse_grad_pred(y, y_pred)
        size = float(np.mean((np.abs(y) + np.abs(y_pred)) ** 2))   # of the terms of the mse
        assert_gradient(got, lambda p, y=y: mse(y, p), np.asarray(y_pred), f_scale=size,
                        mistakes={"missing-factor-2": right / 2, "sign-flipped": -right,
                                  "not-averaged": right * n})


def check_linear(student, rng, rows: int | None):
    """x one sample (d,) with a float y for rows=None, else a batch (rows, d) with y (rows,)."""
    d = int(rng.integers(2, 6))
    x = rng.normal(size=d if rows is None else (rows, d))
    w, b = rng.normal(size=d), float(rng.normal())
    y = arg(rng.normal(size=x.shape[:-1]))
    dL_dw, dL_db = as_pair(student.linear_mse_grads(w, x, b, y))
    dL_dy = 2 * (x @ w + b - y) / max(np.size(y), 1)
    right, n = (dL_dy * x if rows is None else dL_dy @ x), max(np.size(y), 1)
    mistakes = {"sign-flipped": -right, "not-averaged": right * n, "missing-factor-2": right / 2}
    size = float(np.mean((np.abs(x) @ np.abs(w) + abs(b) + np.abs(y)) ** 2))
    assert_gradient(dL_dw, lambda v: mse(y, x @ v + b), w, what="dL_dw", mistakes=mistakes,
                    f_scale=size)
    db = float(np.sum(dL_dy))
    assert_gradient([as_float(dL_db, "dL_db")], lambda v: mse(y, x @ w + v[0]), np.array([b]),
                    what="dL_db", f_scale=size,
                    mistakes={"sign-flipped": [-db], "not-averaged": [db * n],
                              "missing-factor-2": [db / 2]})


@check(EXERCISE, "linear_mse_grads")
def random_single_sample(student, rng):
    check_linear(student, rng, None)


@check(EXERCISE, "linear_mse_grads")
def random_batch(student, rng):
    for rows in (1, int(rng.integers(2, 8))):
        check_linear(student, rng, rows)


def verify_linear(got, args) -> None:
    """(dL_dw, dL_db) of a batch, judged on the size of their terms."""
    w, x, b, y = args
    g = 2 * (x @ w + b - y) / np.size(y)
    size = 2 * (np.abs(x) @ np.abs(w) + abs(b) + np.abs(y)) / np.size(y)
    dL_dw, dL_db = as_pair(got)
    assert_matches(dL_dw, g @ x, what="dL_dw", scale=size @ np.abs(x))
    assert_matches(dL_db, float(np.sum(g)), what="dL_db", scale=float(np.sum(size)))


leaves_inputs_unchanged(EXERCISE, "mse_grad_pred",
                        lambda rng: (rng.normal(size=(3, 2)), rng.normal(size=(3, 2))),
                        lambda got, a: assert_matches(got, (a[1] - a[0]) / 3))
leaves_inputs_unchanged(EXERCISE, "linear_mse_grads",
                        lambda rng: (rng.normal(size=3), rng.normal(size=(4, 3)),
                                     float(rng.normal()), rng.normal(size=4)), verify_linear)
