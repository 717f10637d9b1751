"""Checks for ex08_backprop: the gradients of a 2-2-1 sigmoid network (document 003)."""
import numpy as np

from mlgrade.i18n import t
from mlgrade.numeric import assert_gradient, assert_matches
from mlgrade.outcomes import Incorrect
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Doc, Exercise, check

EXERCISE = Exercise("ex08_backprop", functions=("backprop",))
NAMES = ("W1", "b1", "W2", "b2")
# document 003: x = (−2, 5), every weight 1, every bias 0, y = 1
DOC_X, DOC_Y = np.array([-2.0, 5.0]), 1.0
DOC_P = {"W1": np.ones((2, 2)), "b1": np.zeros(2), "W2": np.ones((1, 2)), "b2": np.zeros(1)}


def sigma(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def loss(x, y, W1, b1, W2, b2) -> float:
    """L = mse(y, o) for h = σ(x W1ᵀ + b1), o = σ(h W2ᵀ + b2)."""
    o = sigma(sigma(np.asarray(x) @ W1.T + b1) @ W2.T + b2)
    return float(np.mean((np.asarray(y).reshape(o.shape) - o) ** 2))


def mistaken(x, y, W1, b1, W2, b2) -> dict[str, dict]:
    """The gradients that known mistakes give: {mistake id: {parameter: gradient}}."""
    X = np.atleast_2d(x)
    h = sigma(X @ W1.T + b1)
    o = sigma(h @ W2.T + b2)
    dL_do = 2 * (o - np.reshape(y, o.shape)) / o.size
    dz2 = dL_do * o * (1 - o)
    dz1 = (dz2 @ W2) * h * (1 - h)
    right = {"W1": dz1.T @ X, "b1": dz1.sum(0), "W2": dz2.T @ h, "b2": dz2.sum(0)}
    # ∂h/∂w taken as w·σ'(·): each row of W1 weighted by its own weights, not by x
    uses_weight = {**right, "W1": dz1.sum(0)[:, None] * W1}
    return {"backprop-uses-weight-not-input": uses_weight,
            "sign-flipped": {k: -v for k, v in right.items()},
            "missing-factor-2": {k: v / 2 for k, v in right.items()},
            "not-averaged": {k: v * o.size for k, v in right.items()}}


DOC_DW1 = float(mistaken(DOC_X, DOC_Y, *DOC_P.values())["sign-flipped"]["W1"][0, 0] * -1)


def grads_of(got) -> dict:
    """The student's dict of gradients; each is compared with its parameter's shape later."""
    if not isinstance(got, dict):
        raise Incorrect(t("msg.want_dict", keys=", ".join(NAMES), kind=type(got).__name__))
    missing = [k for k in NAMES if k not in got]
    if missing:
        raise Incorrect(t("msg.missing_keys", keys=", ".join(missing)))
    return got


def doc003_printed() -> float:
    """dL/dw1 by the document's formula, with ∂h1/∂w1 = w1·σ'(·) instead of x1·σ'(·)."""
    return float(mistaken(DOC_X, DOC_Y, *DOC_P.values())["backprop-uses-weight-not-input"]
                 ["W1"][0, 0])


@check(EXERCISE, "backprop", doc=Doc(
    "003", f"∂h1/∂w1 = w1·f'(·) ⇒ dL/dw1 = {doc003_printed():.8g}", round(DOC_DW1, 8),
    "backprop([-2.0, 5.0], 1.0, ones(2, 2), zeros(2), ones(1, 2), zeros(1))['W1'][0, 0]",
    erratum="doc003_backprop"), dw1=DOC_DW1, printed=doc003_printed())
def doc003_dloss_dw1(student, rng):
    grads = grads_of(student.backprop(DOC_X, DOC_Y, *DOC_P.values()))
    W1 = grads["W1"]
    w1 = W1[0][0] if isinstance(W1, (list, np.ndarray)) and np.ndim(W1) == 2 else W1
    assert_matches(w1, DOC_DW1, what="dL/dw1 = grads['W1'][0, 0]",
                   printed=doc003_printed())


def random_network(rng, rows: int | None):
    """(x, y, params): one sample x (d,) for rows=None, else a batch (rows, d); d, hidden ≥ 2."""
    d, hidden, out = (int(v) for v in rng.integers(2, 5, size=3))
    p = {"W1": rng.normal(size=(hidden, d)), "b1": rng.normal(size=hidden),
         "W2": rng.normal(size=(out, hidden)), "b2": rng.normal(size=out)}
    x = rng.normal(size=d if rows is None else (rows, d))
    y = rng.uniform(size=out if rows is None else (rows, out))
    return x, y, p


def assert_backprop(student, rng, rows: int | None) -> None:
    x, y, p = random_network(rng, rows)
    verify(student.backprop(x, y, *p.values()), (x, y, *p.values()))


def verify(got, args) -> None:
    """Every gradient of `got` agrees with central differences of the loss at `args`."""
    x, y, *params = args
    p = dict(zip(NAMES, params, strict=True))
    grads = grads_of(got)
    wrong = mistaken(x, y, *params)
    X = np.atleast_2d(x)      # σ(z) is off by u·|z|/4: the loss by u·(1 + |z1| + |z2|)
    z1 = X @ p["W1"].T + p["b1"]
    size = 1 + float(np.abs(z1).max() + np.abs(sigma(z1) @ p["W2"].T + p["b2"]).max())
    for name in NAMES:
        def f(v, name=name):
            return loss(x, y, **{**p, name: v})
        assert_gradient(grads[name], f, p[name], what=f"grads['{name}']", f_scale=size,
                        mistakes={m: g[name] for m, g in wrong.items()})


@check(EXERCISE, "backprop", points=2)
def random_single_sample(student, rng):
    assert_backprop(student, rng, None)


@check(EXERCISE, "backprop", points=2)
def random_batch(student, rng):
    for rows in (1, int(rng.integers(2, 6))):
        assert_backprop(student, rng, rows)


leaves_inputs_unchanged(EXERCISE, "backprop",
                        lambda rng: (rng.normal(size=(3, 2)), rng.uniform(size=(3, 2)),
                                     rng.normal(size=(4, 2)), rng.normal(size=4),
                                     rng.normal(size=(2, 4)), rng.normal(size=2)), verify)
