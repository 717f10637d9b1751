"""Checks for ex13_sigmoid_neuron: the gradients of one sigmoid neuron (document 002)."""
import numpy as np

from mlgrade.numeric import as_float, as_pair, assert_gradient
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check


def loss(w, b, x, y) -> float:
    """L = ½ Σ (σ(w x + b) − y)²."""
    f = 0.5 * (1 + np.tanh(0.5 * (w * x + b)))
    return float(0.5 * np.sum((f - y) ** 2))


TOY_X, TOY_Y = [0.5, 2.5], [0.2, 0.9]       # the CS7015 toy data that document 002 uses
EXERCISE = Exercise("ex13_sigmoid_neuron", functions=("sigmoid_neuron_grads",),
                    cases=[
    Case("doc002_toy_data", "sigmoid_neuron_grads", (0.0, 0.0, TOY_X, TOY_Y),
         (-0.2125, -0.025), "002",
         params={"loss": loss(0.0, 0.0, np.array(TOY_X), np.array(TOY_Y))}),
])


@check(EXERCISE, "sigmoid_neuron_grads", points=2)
def random_central_differences(student, rng):
    for n in (1, int(rng.integers(2, 8))):
        w, b = (float(v) for v in rng.normal(size=2))
        x, y = rng.normal(scale=2, size=n), rng.uniform(size=n)
        dL_dw, dL_db = as_pair(student.sigmoid_neuron_grads(w, b, x, y))
        pair = [as_float(dL_dw, "dL_dw"), as_float(dL_db, "dL_db")]
        z = w * x + b
        f = 0.5 * (1 + np.tanh(0.5 * z))
        right, preactivation = (f - y) * f * (1 - f), (f - y) * z * (1 - z)
        assert_gradient(pair, lambda v, x=x, y=y: loss(v[0], v[1], x, y), np.array([w, b]),
                        what="(dL_dw, dL_db)", f_scale=n * (1 + float(np.abs(z).max())),
                        mistakes={"sign-flipped": -np.array([right @ x, right.sum()]),
                                  "sigmoid-grad-of-preactivation":
                                      np.array([preactivation @ x, preactivation.sum()])})


def verify(got, args) -> None:
    w, b, x, y = args
    dL_dw, dL_db = as_pair(got)
    pair = [as_float(dL_dw, "dL_dw"), as_float(dL_db, "dL_db")]
    assert_gradient(pair, lambda v: loss(v[0], v[1], x, y), np.array([w, b]),
                    what="(dL_dw, dL_db)", f_scale=x.size * (1 + float(np.abs(w * x + b).max())))


leaves_inputs_unchanged(EXERCISE, "sigmoid_neuron_grads",
                        lambda rng: (0.5, -0.2, rng.normal(size=4), rng.uniform(size=4)), verify)
