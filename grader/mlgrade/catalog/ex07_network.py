"""Checks for ex07_network: dense layers and the forward pass (documents 000, 003, 004)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Exercise, check

SUM_X, SUM_W, SUM_B = [100.0, 5.0], [[0.8, -0.2], [0.5, -0.6]], [0.5, -0.3]
SUM_LAYERS = [(SUM_W, SUM_B, "sigmoid"), ([[10.0, -8.0]], [5.0], "linear")]
ONES = [(np.ones((2, 2)), np.zeros(2), "sigmoid"), (np.ones((1, 2)), np.zeros(1), "sigmoid")]
LEE = [([[1.0, -2.0], [-1.0, 1.0]], [1.0, 0.0], "sigmoid"),
       ([[2.0, -1.0], [-2.0, -1.0]], [0.0, 0.0], "sigmoid"),
       ([[3.0, -1.0], [-1.0, 4.0]], [-2.0, 2.0], "sigmoid")]

EXERCISE = Exercise("ex07_network", functions=("dense", "forward"), cases=[
    Case("doc000_sum_of_sigmoids_z", "dense", (SUM_X, SUM_W, SUM_B, "linear"),
         np.array([79.5, 46.7]), "000", printed=np.array([79.5, 46.7])),
    Case("doc000_sum_of_sigmoids_a", "dense", (SUM_X, SUM_W, SUM_B, "sigmoid"),
         np.array([1.0, 1.0]), "000", atol=1e-12, printed=np.array([1.0, 1.0])),
    Case("doc000_sum_of_sigmoids_y", "forward", (SUM_X, SUM_LAYERS), np.array([7.0]), "000",
         printed=np.array([7.0])),
    Case("doc003_hidden_layer", "dense", ([-2.0, 5.0], *ONES[0]),
         np.array([0.952574, 0.952574]), "003", atol=1e-6, printed=np.array([0.952, 0.952])),
    Case("doc003_output", "forward", ([-2.0, 5.0], ONES), np.array([0.870473]), "003",
         atol=1e-6, printed=np.array([0.721]), erratum="doc003_output"),
    Case("doc004_network_x1", "forward", ([1.0, -1.0], LEE), np.array([0.6177, 0.8291]), "004",
         atol=5e-5, printed=np.array([0.62, 0.83])),
    Case("doc004_network_x0", "forward", ([0.0, 0.0], LEE), np.array([0.5118, 0.8544]), "004",
         atol=5e-5, printed=np.array([0.51, 0.85])),
])
ACT = {"sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)), "relu": lambda z: np.maximum(z, 0),
       "linear": lambda z: z}


def layer(rng, n_in: int, activation: str):
    n_out = n_in + 1 + int(rng.integers(0, 3))          # never square: catches W vs Wᵀ
    return rng.normal(size=(n_out, n_in)), rng.normal(size=n_out), activation


def dense(x, W, b, activation):
    return ACT[activation](np.asarray(x) @ np.asarray(W).T + b)


@check(EXERCISE, "dense")
def random_single_sample(student, rng):
    x = rng.normal(size=int(rng.integers(1, 5)))
    for activation in ACT:
        W, b, _ = layer(rng, x.size, activation)
        assert_matches(student.dense(x, W, b, activation), dense(x, W, b, activation),
                       what=f'dense(…, "{activation}")')


@check(EXERCISE, "dense")
def random_batch(student, rng):
    x = rng.normal(size=tuple(int(v) for v in rng.integers(2, 6, size=2)))
    W, b, activation = layer(rng, x.shape[1], str(rng.choice(list(ACT))))
    assert_matches(assert_unchanged(student.dense, x, W, b, activation),
                   dense(x, W, b, activation))


@check(EXERCISE, "dense")
def random_square_weights(student, rng):
    n = int(rng.integers(2, 5))
    x, W, b = rng.normal(size=(3, n)), rng.normal(size=(n, n)), rng.normal(size=n)
    assert_matches(student.dense(x, W, b, "linear"), x @ W.T + b,
                   mistakes={"transposed-weights": x @ W + b})


@check(EXERCISE, "forward", points=2)
def random_deep_network(student, rng):
    x = rng.normal(size=(int(rng.integers(1, 5)), int(rng.integers(1, 4))))
    layers, a = [], x
    for activation in rng.choice(list(ACT), size=int(rng.integers(2, 5))):
        layers.append(layer(rng, a.shape[1], str(activation)))
        a = dense(a, *layers[-1])
    assert_matches(assert_unchanged(student.forward, x, layers), a)
