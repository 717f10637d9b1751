"""Checks for ex02_mse: mean squared and mean absolute error (documents 000, 002, 003)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import arg, leaves_inputs_unchanged, shape_classes
from mlgrade.spec import Case, Exercise, check

FOUR = ([1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0])   # document 003: four people, all predicted 0


def wrong(y, y_pred) -> dict:
    """What the named mistakes of mse return for these inputs."""
    squares = (np.asarray(y) - np.asarray(y_pred)) ** 2
    return {"mse-sum-not-mean": float(np.sum(squares)), "half-mse": float(np.mean(squares)) / 2}


EXERCISE = Exercise("ex02_mse", functions=("mse", "mae"), cases=[
    Case("doc000_loss", "mse", (3.0, 0.4), 6.76, "000", printed=6.76, mistakes=wrong(3.0, 0.4)),
    Case("doc000_loss_after_one_update", "mse", (3.0, 1.96), 1.0816, "000", printed=1.08,
         mistakes=wrong(3.0, 1.96)),
    Case("doc003_mse", "mse", FOUR, 0.5, "003", printed=0.5, remark="doc003_mse_typo",
         mistakes=wrong(*FOUR)),
    Case("doc002_toy_loss", "mse", ([0.2, 0.9], [0.5, 0.5]), 0.125, "002",
         mistakes=wrong([0.2, 0.9], [0.5, 0.5])),
    Case("mae_of_doc003_data", "mae", FOUR, 0.5, "003"),
])


def pairs(rng):
    """(y_true, y_pred) of every shape class, and an all-zero pair."""
    out = [(arg(rng.normal(size=s)), arg(rng.normal(size=s))) for s in shape_classes(rng).values()]
    return out + [(np.zeros(3), np.zeros(3))]


@check(EXERCISE, "mse")
def random_shapes(student, rng):
    for y, y_pred in pairs(rng):
        squares = (np.asarray(y) - y_pred) ** 2
        assert_matches(student.mse(y, y_pred), float(np.mean(squares)), mistakes=wrong(y, y_pred))


@check(EXERCISE, "mae")
def random_shapes_mae(student, rng):
    for y, y_pred in pairs(rng):
        errors = np.abs(np.asarray(y) - y_pred)
        assert_matches(student.mae(y, y_pred), float(np.mean(errors)))


def batch(rng):
    return rng.normal(size=(3, 4)), rng.normal(size=(3, 4))


leaves_inputs_unchanged(EXERCISE, "mse", batch,
                        lambda got, a: assert_matches(got, float(np.mean((a[0] - a[1]) ** 2))))
leaves_inputs_unchanged(EXERCISE, "mae", batch,
                        lambda got, a: assert_matches(got, float(np.mean(np.abs(a[0] - a[1])))))
