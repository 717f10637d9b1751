"""Checks for ex08_backprop: the gradients of a 2-2-1 sigmoid network (document 003)."""
import numpy as np

from mlgrade.i18n import t
from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.outcomes import Incorrect
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Exercise, check

EXERCISE = Exercise("ex08_backprop", functions=("backprop",), sources=("003",))
NAMES = ("W1", "b1", "W2", "b2")


def sigma(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def loss(x, y, W1, b1, W2, b2) -> float:
    """L = mse(y, o) for h = σ(x W1ᵀ + b1), o = σ(h W2ᵀ + b2)."""
    o = sigma(sigma(np.asarray(x) @ W1.T + b1) @ W2.T + b2)
    return float(np.mean((np.asarray(y).reshape(o.shape) - o) ** 2))


def grads_of(got, params: dict) -> dict:
    """The student's dict of gradients, each checked for its parameter's shape later."""
    if not isinstance(got, dict):
        raise Incorrect(t("msg.want_dict", keys=", ".join(NAMES), kind=type(got).__name__))
    missing = [k for k in NAMES if k not in got]
    if missing:
        raise Incorrect(t("msg.missing_keys", keys=", ".join(missing)))
    return got


def doc003_values():
    """The network of document 003: x = (−2, 5), every weight 1, every bias 0, y = 1."""
    p = {"W1": np.ones((2, 2)), "b1": np.zeros(2), "W2": np.ones((1, 2)), "b2": np.zeros(1)}
    h = sigma(3.0)
    o = sigma(2 * h)
    dL_do, slope_o, slope_h = -2 * (1 - o), o * (1 - o), h * (1 - h)
    # the document writes ∂h1/∂w1 = w1·σ'(·); it is x1·σ'(·)
    printed = dL_do * 1.0 * slope_o * 1.0 * slope_h
    return p, printed


@check(EXERCISE, "backprop", kind="fixed", source="003")
def doc003_dloss_dw1(student, rng):
    p, printed = doc003_values()
    grads = grads_of(student.backprop([-2.0, 5.0], 1.0, *p.values()), p)
    W1 = grads["W1"]
    w1 = W1[0][0] if isinstance(W1, (list, np.ndarray)) and np.ndim(W1) == 2 else W1
    assert_matches(w1, 0.00263906, atol=1e-8, what="dL/dw1 = grads['W1'][0, 0]",
                   printed=printed)


def random_network(rng, batch: bool):
    d, hidden, out = (int(v) for v in rng.integers(1, 5, size=3))
    p = {"W1": rng.normal(size=(hidden, d)), "b1": rng.normal(size=hidden),
         "W2": rng.normal(size=(out, hidden)), "b2": rng.normal(size=out)}
    n = int(rng.integers(2, 6))
    x = rng.normal(size=(n, d) if batch else d)
    y = rng.uniform(size=(n, out) if batch else out)
    return x, y, p


def assert_backprop(student, rng, batch: bool) -> None:
    x, y, p = random_network(rng, batch)
    grads = grads_of(assert_unchanged(student.backprop, x, y, *p.values()), p)
    for name in NAMES:
        def f(v, name=name):
            return loss(x, y, **{**p, name: v})
        assert_gradient(grads[name], f, p[name], what=f"grads['{name}']")


@check(EXERCISE, "backprop", points=2)
def random_single_sample(student, rng):
    assert_backprop(student, rng, batch=False)


@check(EXERCISE, "backprop", points=2)
def random_batch(student, rng):
    assert_backprop(student, rng, batch=True)
