"""Checks for ex04_update: one gradient-descent step, and training (documents 000, 002)."""
import numpy as np

from mlgrade.i18n import t
from mlgrade.numeric import assert_matches
from mlgrade.outcomes import Incorrect
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Doc, Exercise, check

EXERCISE = Exercise("ex04_update", functions=("sgd_update", "train_linear"), cases=[
    Case("doc000_one_step", "sgd_update", ([0.5, -0.3, 0.2], [-5.2, -5.2, -5.2], 0.1),
         np.array([1.02, 0.22, 0.72]), "000", printed=np.array([1.02, 0.22, 0.72])),
])
KEYS = ("w", "b", "y_pred", "loss")
HOUSE = ([0.5, -0.3], 0.2, [1.0, 1.0], 3.0, 0.1, 3)   # w, b, x, y_true, lr, epochs


def state(w1, w2, b, y_pred, loss) -> dict:
    return {"w": np.array([w1, w2]), "b": b, "y_pred": y_pred, "loss": loss}


# The house-price table of document 000: the right values, and what the document prints
# (rows 2 and 3 are wrong: each update shrinks the error by 0.4 = 1 − 2·η·3).
DOCUMENT = [state(0.5, -0.3, 0.2, 0.4, 6.76), state(1.02, 0.22, 0.72, 1.96, 1.0816),
            state(1.228, 0.428, 0.928, 2.584, 0.173056),
            state(1.3112, 0.5112, 1.0112, 2.8336, 0.02768896)]
PRINTED = [state(0.5, -0.3, 0.2, 0.4, 6.76), state(1.02, 0.22, 0.72, 1.96, 1.08),
           state(1.45, 0.65, 1.17, 2.60, 0.16), state(1.68, 0.89, 1.43, 2.96, 0.0016)]
WRONG_ROWS = (2, 3)


def row(k: int) -> Doc:
    """Row k of the document's table, for `mlgrade errata`."""
    def show(s):
        return ", ".join(f"{n}={v}" for n, v in (("w1", s["w"][0]), ("w2", s["w"][1]),
                                                   ("b", s["b"]), ("y_pred", s["y_pred"]),
                                                   ("loss", s["loss"])))
    return Doc("000", show(PRINTED[k]), show(DOCUMENT[k]),
               f"train_linear([0.5, -0.3], 0.2, [1.0, 1.0], 3.0, 0.1, 3)[{k}]",
               "doc000_table" if k in WRONG_ROWS else None)


def reference(w, b, x, y, lr, epochs) -> list[dict]:
    """The grader's own full-batch gradient descent on the mse."""
    w, x, y = np.array(w, dtype=float), np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    history = []
    for _ in range(epochs + 1):
        y_pred = x @ w + b
        history.append({"w": w, "b": b, "y_pred": y_pred, "loss": np.mean((y - y_pred) ** 2)})
        dL_dy = 2 * (y_pred - y) / np.size(y_pred)
        w, b = w - lr * (dL_dy @ x if x.ndim == 2 else dL_dy * x), b - lr * np.sum(dL_dy)
    return history


def assert_history(got, expected: list[dict], entries, printed=None, backwards=None) -> None:
    """Compare the entries `entries` of a training history with `expected`.

    Args:
        printed: per entry, what a document prints (its errata), or None.
        backwards: the history of w + η·g updates, to name that mistake.
    """
    if not isinstance(got, list):
        raise Incorrect(t("msg.want_list", kind=type(got).__name__))
    if len(got) != len(expected):
        raise Incorrect(t("msg.wrong_length", want=len(expected), got=len(got)))
    for k in entries:
        if not isinstance(got[k], dict) or not all(key in got[k] for key in KEYS):
            raise Incorrect(t("msg.want_entry", index=k, keys=", ".join(KEYS)))
        for key in KEYS:
            nxt = expected[k + 1][key] if k + 1 < len(expected) else None
            assert_matches(got[k][key], expected[k][key], what=f"history[{k}]['{key}']",
                           printed=printed[k][key] if printed and k in WRONG_ROWS else None,
                           mistakes={"history-off-by-one": nxt,
                                     "update-wrong-direction": backwards and backwards[k][key]})


def house(student, k: int) -> None:
    backwards = reference(*HOUSE[:4], -HOUSE[4], HOUSE[5])
    assert_history(student.train_linear(*HOUSE), DOCUMENT, [k], PRINTED, backwards)


@check(EXERCISE, "train_linear", doc=row(0))
def doc000_initial_state(student, rng):
    house(student, 0)


@check(EXERCISE, "train_linear", doc=row(1))
def doc000_one_update(student, rng):
    house(student, 1)


@check(EXERCISE, "train_linear", doc=row(2))
def doc000_epoch_2(student, rng):
    house(student, 2)


@check(EXERCISE, "train_linear", doc=row(3))
def doc000_epoch_3(student, rng):
    house(student, 3)


@check(EXERCISE, "sgd_update")
def random_step(student, rng):
    shape = (int(rng.integers(1, 6)),) * int(rng.integers(1, 3))
    param, grad, lr = rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.01, 1))
    assert_matches(assert_unchanged(student.sgd_update, param, grad, lr), param - lr * grad,
                   mistakes={"update-wrong-direction": param + lr * grad})


@check(EXERCISE, "train_linear", points=2)
def random_batch(student, rng):
    n, d = (int(v) for v in rng.integers(2, 6, size=2))
    args = (rng.normal(size=d), float(rng.normal()), rng.normal(size=(n, d)),
            rng.normal(size=n), float(rng.uniform(0.01, 0.2)), int(rng.integers(1, 6)))
    got = assert_unchanged(student.train_linear, *args)
    backwards = reference(*args[:4], -args[4], args[5])
    assert_history(got, reference(*args), range(args[5] + 1), backwards=backwards)
