"""Checks for ex04_update: one gradient-descent step, and training (documents 000, 002)."""
import numpy as np

from mlgrade.i18n import t
from mlgrade.numeric import AnyOf, assert_matches
from mlgrade.outcomes import Incorrect
from mlgrade.probes import leaves_inputs_unchanged
from mlgrade.spec import Case, Doc, Exercise, check

EXERCISE = Exercise("ex04_update", functions=("sgd_update", "train_linear"), cases=[
    Case("doc000_one_step", "sgd_update", ([0.5, -0.3, 0.2], [-5.2, -5.2, -5.2], 0.1),
         np.array([1.02, 0.22, 0.72]), "000", printed=np.array([1.02, 0.22, 0.72])),
])
KEYS = ("w", "b", "y_pred", "loss")
# w, b, x, y_true, lr, epochs, as the contract sends them (also to the plot)
HOUSE = (np.array([0.5, -0.3]), 0.2, np.array([1.0, 1.0]), 3.0, 0.1, 3)


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


def mistaken(w, b, x, y, lr, epochs) -> list[dict]:
    """Per entry, {key: {mistake id: what that mistake returns there}}."""
    right, backwards = reference(w, b, x, y, lr, epochs), reference(w, b, x, y, -lr, epochs)
    half = reference(w, b, x, y, lr / 2, epochs)     # ½·MSE: the gradient without its 2
    final = AnyOf((right[-1]["w"], reference(w, b, x, y, lr, epochs + 1)[-1]["w"]))
    out = []
    for k in range(epochs + 1):
        out.append({key: {"history-off-by-one": right[k + 1][key] if k < epochs else None,
                          "update-wrong-direction": backwards[k][key],
                          "half-mse": AnyOf((half[k][key] / 2, right[k][key] / 2))
                          if key == "loss" else half[k][key],
                          **({"history-aliased": final} if key == "w" else {})}
                    for key in KEYS})
    return out


def assert_history(got, expected: list[dict], entries, mistakes: list[dict],
                   printed=None) -> None:
    """Compare the entries `entries` of a training history with `expected`.

    Args:
        mistakes: per entry and key, {mistake id: its value}, to name it.
        printed: per entry, what a document prints (its errata), or None.
    """
    if not isinstance(got, list):
        raise Incorrect(t("msg.want_list", kind=type(got).__name__))
    if len(got) != len(expected):
        raise Incorrect(t("msg.wrong_length", want=len(expected), got=len(got)))
    for k in entries:
        if not isinstance(got[k], dict) or not all(key in got[k] for key in KEYS):
            raise Incorrect(t("msg.want_entry", index=k, keys=", ".join(KEYS)))
    if _aliased([got[k].get("w") for k in range(len(got))]) and len(got) > 1:
        assert_matches(got[entries[0]]["w"], expected[entries[0]]["w"],
                       what=f"history[{entries[0]}]['w']",
                       mistakes={"history-aliased": mistakes[entries[0]]["w"]["history-aliased"]})
    for k in entries:
        for key in KEYS:
            assert_matches(got[k][key], expected[k][key], what=f"history[{k}]['{key}']",
                           printed=printed[k][key] if printed and k in WRONG_ROWS else None,
                           mistakes=mistakes[k][key])


def _aliased(ws) -> bool:
    """Every entry's w is the same array (a worker sends it once per entry, so: equal)."""
    first = ws[0]
    return isinstance(first, np.ndarray) and all(
        isinstance(v, np.ndarray) and v.shape == first.shape and np.array_equal(v, first)
        for v in ws[1:])


def shown(k: int) -> dict:
    """The numbers of row k that the check's name shows."""
    s = DOCUMENT[k]
    w, b, x, y, lr, _ = HOUSE
    return {"w1": s["w"][0], "w2": s["w"][1], "b": s["b"], "y_pred": s["y_pred"],
            "loss": s["loss"], "eta": lr, "k": k, "y": y, "factor": 1 - 2 * lr * np.dot(x, x)
            - 2 * lr, "y_pred_2": DOCUMENT[2]["y_pred"], "printed_y_pred_2": PRINTED[2]["y_pred"]}


def house(student, k: int) -> None:
    assert_history(student.train_linear(*HOUSE), DOCUMENT, [k], mistaken(*HOUSE), PRINTED)


@check(EXERCISE, "train_linear", doc=row(0), **shown(0))
def doc000_initial_state(student, rng):
    house(student, 0)


@check(EXERCISE, "train_linear", doc=row(1), **shown(1))
def doc000_one_update(student, rng):
    house(student, 1)


@check(EXERCISE, "train_linear", doc=row(2), **shown(2))
def doc000_epoch_2(student, rng):
    house(student, 2)


@check(EXERCISE, "train_linear", doc=row(3), **shown(3))
def doc000_epoch_3(student, rng):
    house(student, 3)


@check(EXERCISE, "sgd_update")
def random_step(student, rng):
    k = int(rng.integers(2, 6))
    for shape in ((k,), (int(rng.integers(2, 5)), k)):
        param, grad = rng.normal(size=shape), rng.normal(size=shape)
        lr = float(rng.uniform(0.01, 1))
        assert_matches(student.sgd_update(param, grad, lr), param - lr * grad,
                       scale=np.abs(param) + lr * np.abs(grad),
                       mistakes={"update-wrong-direction": param + lr * grad})


def training(rng, rows: int | None) -> tuple:
    """(w, b, x, y_true, lr, epochs): one sample (d,) for rows=None, else a batch (rows, d);
    a step size that keeps the descent stable, and at least 2 epochs."""
    d = int(rng.integers(2, 5))
    x = rng.normal(size=d if rows is None else (rows, d))
    A = np.hstack([np.atleast_2d(x), np.ones((1 if rows is None else rows, 1))])
    curvature = 2 * np.linalg.eigvalsh(A.T @ A).max() / len(A)    # of the mse in (w, b)
    return (rng.normal(size=d), float(rng.normal()), x,
            float(rng.normal()) if rows is None else rng.normal(size=rows),
            float(rng.uniform(0.1, 1.0) / curvature), int(rng.integers(2, 6)))


def assert_training(student, args) -> None:
    got = student.train_linear(*args)
    assert_history(got, reference(*args), list(range(args[5] + 1)), mistaken(*args))


@check(EXERCISE, "train_linear")
def random_single_sample(student, rng):
    assert_training(student, training(rng, None))


@check(EXERCISE, "train_linear", points=2)
def random_batch(student, rng):
    for rows in (1, int(rng.integers(2, 6))):
        assert_training(student, training(rng, rows))


leaves_inputs_unchanged(EXERCISE, "sgd_update",
                        lambda rng: (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 0.1),
                        lambda got, a: assert_matches(got, a[0] - a[2] * a[1],
                                                      scale=np.abs(a[0]) + np.abs(a[1])))
leaves_inputs_unchanged(EXERCISE, "train_linear",
                        lambda rng: (rng.normal(size=3), 0.5, rng.normal(size=(4, 3)),
                                     rng.normal(size=4), 0.05, 2),
                        lambda got, a: assert_history(got, reference(*a), [0, 1, 2], mistaken(*a)))
