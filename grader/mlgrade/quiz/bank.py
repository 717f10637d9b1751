"""The quiz bank: every question, declared once, in the order of the five documents.

Texts (title, question, options) are in locale/quiz.<lang>.toml under `quiz.q.<id>`;
here are the grading facts: the right answer (computed from the parameters), the
tolerance, the known misconceptions and, for the documents' wrong numbers, the
printed value and its erratum, both taken from the exercise catalog.
"""
import numpy as np

from .. import catalog
from ..numeric import fmt
from .model import Choice, Formula, Numeric


def sigma(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def softmax(z):
    e = np.exp(np.asarray(z, dtype=float) - np.max(z))
    return e / e.sum()


def tenth(rng, low: float, high: float, nonzero: bool = False) -> float:
    """A number with one decimal in [low, high] (never 0.0 if `nonzero`)."""
    while True:
        value = round(float(rng.uniform(low, high)), 1)
        if value != 0.0 or not nonzero:
            return value


# ---- the documents' wrong numbers, from the catalog's own declarations ----------------

def _case(module: str, name: str):
    return next(c for c in catalog.get(module).cases if c.name == name)


def _check_doc(module: str, name: str):
    return next(c.doc for c in catalog.get(module).checks if c.name == name)


def _house():
    from ..catalog import ex04_update as ex
    return ex


def epoch2_y_pred() -> float:
    """y_pred after two updates of the house-price example, by the grader's own descent."""
    ex = _house()
    return float(ex.reference(*ex.HOUSE)[2]["y_pred"])


def house_numbers() -> dict:
    """The house-price example's numbers, as the question shows them."""
    ex = _house()
    w, b, x, y, lr, _ = ex.HOUSE
    return {"w1": fmt(w[0]), "w2": fmt(w[1]), "b": fmt(b), "x1": fmt(x[0]), "x2": fmt(x[1]),
            "y": fmt(y), "eta": fmt(lr), "y_pred_1": fmt(ex.DOCUMENT[1]["y_pred"])}


def network003_numbers() -> dict:
    """Document 003's input and hidden value, as the questions show them."""
    from ..catalog import ex08_backprop as ex
    x1, x2 = (fmt(v) for v in ex.DOC_X)
    z = float(np.sum(ex.DOC_X))
    return {"x1": x1, "x2": x2, "z": fmt(z), "h": f"{float(sigma(z)):.6f}", "y": fmt(ex.DOC_Y)}


def epoch2_printed() -> float:
    return float(_house().PRINTED[2]["y_pred"])


def network003_output() -> float:
    """o1 of document 003's 2-2-1 network, through the catalog's own dense layers."""
    from ..catalog import ex07_network as ex
    h = ex.dense([-2.0, 5.0], *ex.ONES[0])
    return float(ex.dense(h, *ex.ONES[1])[0])


def backprop003_dw1() -> float:
    """dL/dw1 of document 003, as the catalog's check expects it."""
    from ..catalog import ex08_backprop as ex
    return float(ex.DOC_DW1)


def backprop003_printed() -> float:
    from ..catalog import ex08_backprop as ex
    return ex.doc003_printed()


EPOCH_ERRATUM = _house().row(2).erratum                                 # "doc000_table"
OUTPUT_CASE = _case("ex07_network", "doc003_output")
BACKPROP_ERRATUM = _check_doc("ex08_backprop", "doc003_dloss_dw1").erratum


# ---- randomized parameters ----------------------------------------------------------

def forward_params(rng) -> dict:
    return {"w1": tenth(rng, -0.9, 0.9, True), "w2": tenth(rng, -0.9, 0.9, True),
            "x1": int(rng.integers(1, 6)), "x2": int(rng.integers(1, 6)),
            "b": tenth(rng, -0.9, 0.9, True)}


def gradient_params(rng) -> dict:
    y = int(rng.integers(2, 7))
    return {"y": y, "yhat": tenth(rng, 0.1, y - 0.5), "x1": int(rng.integers(1, 5))}


def update_params(rng) -> dict:
    return {"w": tenth(rng, -1.0, 1.0, True), "g": tenth(rng, -6.0, 6.0, True),
            "eta": float(rng.choice([0.01, 0.05, 0.1, 0.2]))}


def descent_params(rng) -> dict:
    c = tenth(rng, 0.2, 1.5)
    return {"a": int(rng.integers(1, 4)), "c": c, "w0": round(c + tenth(rng, 0.3, 1.5), 1),
            "eta": float(rng.choice([0.05, 0.1, 0.15]))}


def taylor_params(rng) -> dict:
    return {"x": int(rng.integers(1, 4)), "d": float(rng.choice([0.1, 0.2, 0.3]))}


def mse_params(rng) -> dict:
    y = [int(v) for v in rng.integers(0, 2, size=4)]
    return {"y": y, "yhat": [tenth(rng, 0.0, 1.0) for _ in range(4)]}


def mse(y, yhat) -> float:
    return float(np.mean((np.asarray(y, dtype=float) - yhat) ** 2))


def logits_params(rng) -> dict:
    z = [int(v) for v in rng.choice(np.arange(-3, 4), size=3, replace=False)]
    return {"z1": z[0], "z2": z[1], "z3": z[2]}


def p1(z1, z2, z3) -> float:
    return float(softmax([z1, z2, z3])[0])


def image_params(rng) -> dict:
    return {"h": int(rng.integers(8, 33)), "w": int(rng.integers(8, 33))}


# ---- the bank --------------------------------------------------------------------------

QUESTIONS = (
    # document 000: the house-price example, its table, the Hessian
    Numeric("d000_forward", "000", make=forward_params,
            answer=lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b,
            mistakes={"forgot-bias": lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2}),
    Numeric("d000_gradient", "000", make=gradient_params,
            answer=lambda y, yhat, x1: 2 * (yhat - y) * x1,
            mistakes={"sign-flipped": lambda y, yhat, x1: 2 * (y - yhat) * x1,
                      "missing-factor-2": lambda y, yhat, x1: (yhat - y) * x1}),
    Numeric("d000_update", "000", make=update_params, answer=lambda w, g, eta: w - eta * g,
            mistakes={"update-wrong-direction": lambda w, g, eta: w + eta * g}),
    Numeric("d000_epoch_2", "000", answer=epoch2_y_pred, given=house_numbers,
            printed=epoch2_printed,
            erratum=EPOCH_ERRATUM),
    Choice("d000_update_sign", "000", correct="a", mistakes={"b": "update-wrong-direction"}),
    Choice("d000_hessian", "000", correct="a", mistakes={"d": "missing-factor-2"}),   # ½·H
    Formula("d000_dloss_dpred", "000", ("y", "yhat"), lambda y, yhat: 2 * (yhat - y),
            "2*(yhat - y)", {"y": (-3, 3), "yhat": (-3, 3)},
            mistakes={"sign-flipped": lambda y, yhat: 2 * (y - yhat),
                      "missing-factor-2": lambda y, yhat: yhat - y}),
    # document 001: forward and backward propagation, three ways to update w, learning rate
    Numeric("d001_descent", "001", make=descent_params,
            answer=lambda a, c, w0, eta: w0 - eta * 2 * a * (w0 - c),
            mistakes={"update-wrong-direction": lambda a, c, w0, eta: w0 + eta * 2 * a * (w0 - c),
                      "missing-factor-2": lambda a, c, w0, eta: w0 - eta * a * (w0 - c)}),
    Choice("d001_large_lr", "001", correct="b", mistakes={"a": "large-lr-is-faster"}),
    Choice("d001_small_lr", "001", correct="c"),
    Choice("d001_fixed_step", "001", correct="ab", multi=True),
    Choice("d001_slope_sign", "001", correct="b"),
    Choice("d001_backward", "001", correct="b"),
    # document 002: the Taylor argument behind the update, the sigmoid neuron
    Choice("d002_why_minus", "002", correct="a", mistakes={"b": "update-wrong-direction"}),
    Choice("d002_angle", "002", correct="c"),
    Choice("d002_small_eta", "002", correct="d"),
    Numeric("d002_taylor_cubic", "002", make=taylor_params,
            answer=lambda x, d: x**3 + 3 * x**2 * d + 3 * x * d**2,
            mistakes={"missing-factor-2": lambda x, d: x**3 + 3 * x**2 * d + 6 * x * d**2}),
    Formula("d002_update_rule", "002", ("w", "eta", "g"), lambda w, eta, g: w - eta * g,
            "w - eta*g", {"w": (-2, 2), "eta": (0.01, 0.5), "g": (-3, 3)},
            mistakes={"update-wrong-direction": lambda w, eta, g: w + eta * g}),
    Formula("d002_neuron_grad", "002", ("f", "y", "x"),
            lambda f, y, x: (f - y) * f * (1 - f) * x, "(f - y)*f*(1 - f)*x",
            {"f": (0.05, 0.95), "y": (0, 1), "x": (-3, 3)},
            mistakes={"sign-flipped": lambda f, y, x: (y - f) * f * (1 - f) * x}),
    # document 003: MSE of four people, the 2-2-1 network, the chain rule, σ'
    Numeric("d003_mse", "003", make=mse_params, answer=mse,
            mistakes={"mse-sum-not-mean": lambda y, yhat: 4 * mse(y, yhat)}),
    Numeric("d003_sigmoid", "003", make=lambda rng: {"z": tenth(rng, -4, 4, True)},
            answer=lambda z: float(sigma(z))),
    Numeric("d003_output", "003", answer=network003_output, given=network003_numbers,
            printed=lambda: float(OUTPUT_CASE.printed[0]), erratum=OUTPUT_CASE.erratum),
    Numeric("d003_dloss_dw1", "003", answer=backprop003_dw1, given=network003_numbers,
            printed=backprop003_printed, erratum=BACKPROP_ERRATUM),
    Choice("d003_dh_dw", "003", correct="b", printed="a", erratum=BACKPROP_ERRATUM),
    Choice("d003_backprop_is", "003", correct="c"),
    Formula("d003_sigmoid_grad_s", "003", ("s",), lambda s: s * (1 - s), "s*(1 - s)",
            {"s": (0.01, 0.99)}),
    # document 004: Hung-yi Lee's lecture: sigmoid, ReLU, softmax, cross-entropy, depth
    Numeric("d004_sigmoid_grad", "004", make=lambda rng: {"z": tenth(rng, -3, 3, True)},
            answer=lambda z: float(sigma(z) * (1 - sigma(z))),
            mistakes={"sigmoid-grad-of-preactivation": lambda z: z * (1 - z)}),
    Numeric("d004_softmax", "004", make=logits_params, answer=p1),
    Numeric("d004_cross_entropy", "004", make=logits_params,
            answer=lambda z1, z2, z3: -np.log(p1(z1, z2, z3))),
    Numeric("d004_ce_grad", "004", make=logits_params,
            answer=lambda z1, z2, z3: p1(z1, z2, z3) - 1,
            mistakes={"softmax-grad-missing-onehot": p1}),
    Numeric("d004_image_inputs", "004", make=image_params, answer=lambda h, w: h * w, rtol=0),
    Choice("d004_digits", "004", correct="c"),
    Choice("d004_two_relus", "004", correct="b"),
    Choice("d004_overfitting", "004", correct="a", mistakes={"b": "deeper-is-always-better"}),
    Choice("d004_relu_pros", "004", correct="abc", multi=True),
    Formula("d004_sigmoid_grad_z", "004", ("z",), lambda z: sigma(z) * (1 - sigma(z)),
            "sigmoid(z)*(1 - sigmoid(z))", {"z": (-4, 4)},
            mistakes={"sigmoid-grad-of-preactivation": lambda z: z * (1 - z)}),
    Formula("d004_hard_sigmoid", "004", ("z",), lambda z: np.clip(z, 0, 1),
            "relu(z) - relu(z - 1)", {"z": (-2, 3)}),
)
BY_ID = {q.id: q for q in QUESTIONS}
assert len(BY_ID) == len(QUESTIONS), "question ids must be unique"
