"""Checks for ex07_network: dense layers and the forward pass (documents 000, 003, 004)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Exercise, check

SUM_X, SUM_W, SUM_B = [100.0, 5.0], [[0.8, -0.2], [0.5, -0.6]], [0.5, -0.3]
SUM_LAYERS = [(SUM_W, SUM_B, "sigmoid"), ([[10.0, -8.0]], [5.0], "linear")]
ONES = [(np.ones((2, 2)), np.zeros(2), "sigmoid"), (np.ones((1, 2)), np.zeros(1), "sigmoid")]
LEE = [([[1.0, -2.0], [-1.0, 1.0]], [1.0, 0.0], "sigmoid"),
       ([[2.0, -1.0], [-2.0, -1.0]], [0.0, 0.0], "sigmoid"),
       ([[3.0, -1.0], [-1.0, 4.0]], [-2.0, 2.0], "sigmoid")]

ACT = {"sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)), "relu": lambda z: np.maximum(z, 0),
       "linear": lambda z: z}
SIGMA = ACT["sigmoid"]


def lee(x) -> np.ndarray:
    """The output of Lee's 3-layer sigmoid network for input x."""
    a = np.asarray(x, dtype=float)
    for W, b, _ in LEE:
        a = SIGMA(a @ np.asarray(W).T + b)
    return a


EXERCISE = Exercise("ex07_network", functions=("dense", "forward"), cases=[
    Case("doc000_sum_of_sigmoids_z", "dense", (SUM_X, SUM_W, SUM_B, "linear"),
         np.array([79.5, 46.7]), "000", printed=np.array([79.5, 46.7])),
    Case("doc000_sum_of_sigmoids_a", "dense", (SUM_X, SUM_W, SUM_B, "sigmoid"),
         np.array([1.0, 1.0]), "000", atol=1e-12, printed=np.array([1.0, 1.0])),
    Case("doc000_sum_of_sigmoids_y", "forward", (SUM_X, SUM_LAYERS), np.array([7.0]), "000",
         printed=np.array([7.0])),
    Case("doc003_hidden_layer", "dense", ([-2.0, 5.0], *ONES[0]), np.full(2, SIGMA(3.0)), "003",
         printed=np.array([0.952, 0.952])),
    Case("doc003_output", "forward", ([-2.0, 5.0], ONES), np.array([SIGMA(2 * SIGMA(3.0))]),
         "003", printed=np.array([0.721]), erratum="doc003_output",
         params={"z": 2 * SIGMA(3.0), "sigma_h1": SIGMA(SIGMA(3.0))}),
    # the weights are those of Hung-yi Lee's lecture (its figure is lost); 004 prints 2 digits
    Case("doc004_network_x1", "forward", ([1.0, -1.0], LEE), lee([1.0, -1.0]), "004",
         printed=np.array([0.62, 0.83])),
    Case("doc004_network_x0", "forward", ([0.0, 0.0], LEE), lee([0.0, 0.0]), "004",
         printed=np.array([0.51, 0.85])),
])


def layer(rng, n_in: int, activation: str):
    n_out = n_in + 1 + int(rng.integers(0, 3))          # never square: catches W vs Wᵀ
    return rng.normal(size=(n_out, n_in)), rng.normal(size=n_out), activation


def dense(x, W, b, activation):
    return ACT[activation](np.asarray(x) @ np.asarray(W).T + b)


def scale(x, W, b):
    """The size of the terms of x Wᵀ + b (σ and ReLU only shrink the rounding)."""
    return np.abs(x) @ np.abs(W).T + np.abs(b)


def samples(rng, d: int) -> dict:
    """x of every class: one sample (d,), a batch of one (1, d), a batch (n, d)."""
    return {"1-D": rng.normal(size=d), "batch of one": rng.normal(size=(1, d)),
            "batch": rng.normal(size=(int(rng.integers(2, 6)), d))}


@check(EXERCISE, "dense")
def random_single_sample(student, rng):
    x = rng.normal(size=int(rng.integers(2, 5)))
    for activation in ACT:
        W, b, _ = layer(rng, x.size, activation)
        assert_matches(student.dense(x, W, b, activation), dense(x, W, b, activation),
                       scale=scale(x, W, b), what=f'dense(…, "{activation}")')


@check(EXERCISE, "dense")
def random_batch(student, rng):
    d = int(rng.integers(2, 5))
    for activation in ACT:
        for name, x in samples(rng, d).items():
            if name == "1-D":
                continue
            W, b, _ = layer(rng, d, activation)
            assert_matches(student.dense(x, W, b, activation), dense(x, W, b, activation),
                           scale=scale(x, W, b), what=f'dense(…, "{activation}")')


@check(EXERCISE, "dense")
def random_square_weights(student, rng):
    n = int(rng.integers(2, 5))
    x, W, b = rng.normal(size=(3, n)), rng.normal(size=(n, n)), rng.normal(size=n)
    assert_matches(student.dense(x, W, b, "linear"), x @ W.T + b, scale=scale(x, W, b),
                   mistakes={"transposed-weights": x @ W + b})


def network(rng, d: int) -> list:
    """2 to 4 layers, every activation among them."""
    kinds = list(ACT) + [str(a) for a in rng.choice(list(ACT), size=int(rng.integers(0, 2)))]
    layers, n_in = [], d
    for activation in rng.permutation(kinds):
        layers.append(layer(rng, n_in, str(activation)))
        n_in = layers[-1][0].shape[0]
    return layers


@check(EXERCISE, "forward", points=2)
def random_deep_network(student, rng):
    d = int(rng.integers(2, 4))
    layers = network(rng, d)
    for x in samples(rng, d).values():
        a, size = x, np.abs(x)
        for W, b, activation in layers:
            a, size = dense(a, W, b, activation), scale(size, W, b)
        assert_matches(student.forward(x, layers), a, scale=size)


def fixed_layers(rng) -> list:
    return [(rng.normal(size=(m, n)), rng.normal(size=m), a)
            for (m, n), a in zip(((4, 2), (5, 4), (2, 5)), ACT, strict=True)]


def verify_forward(got, args) -> None:
    a, size = args[0], np.abs(args[0])
    for W, b, activation in args[1]:
        a, size = dense(a, W, b, activation), scale(size, W, b)
    assert_matches(got, a, scale=size)


leaves_inputs_unchanged(EXERCISE, "dense",
                        lambda rng: (rng.normal(size=(3, 2)), *fixed_layers(rng)[0]),
                        lambda got, a: verify_forward(got, (a[0], [a[1:]])))
leaves_inputs_unchanged(EXERCISE, "forward",
                        lambda rng: (rng.normal(size=(3, 2)), fixed_layers(rng)), verify_forward)
