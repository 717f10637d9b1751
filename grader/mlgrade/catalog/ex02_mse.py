"""Checks for ex02_mse: mean squared and mean absolute error (documents 000, 002, 003)."""
import numpy as np

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged, random_shape
from mlgrade.spec import Case, Exercise, check

FOUR = ([1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0])   # document 003: four people, all predicted 0
EXERCISE = Exercise("ex02_mse", functions=("mse", "mae"), cases=[
    Case("doc000_loss", "mse", (3.0, 0.4), 6.76, "000", printed=6.76),
    Case("doc000_loss_after_one_update", "mse", (3.0, 1.96), 1.0816, "000", printed=1.08),
    Case("doc003_mse", "mse", FOUR, 0.5, "003", printed=0.5, remark="doc003_mse_typo"),
    Case("doc002_toy_loss", "mse", ([0.2, 0.9], [0.5, 0.5]), 0.125, "002"),
    Case("mae_of_doc003_data", "mae", FOUR, 0.5, "003"),
])


def draw(rng):
    shape = random_shape(rng, batch=bool(rng.integers(0, 2)))
    return rng.normal(size=shape), rng.normal(size=shape)


@check(EXERCISE, "mse")
def random_batch(student, rng):
    y, y_pred = draw(rng)
    assert_matches(student.mse(y, y_pred), float(np.mean((y - y_pred) ** 2)),
                   mistakes={"mse-sum-not-mean": float(np.sum((y - y_pred) ** 2))})


@check(EXERCISE, "mae")
def random_batch_mae(student, rng):
    y, y_pred = draw(rng)
    assert_matches(assert_unchanged(student.mae, y, y_pred), float(np.mean(np.abs(y - y_pred))))


@check(EXERCISE, "mse")
def inputs_unchanged(student, rng):
    y, y_pred = draw(rng)
    assert_matches(assert_unchanged(student.mse, y, y_pred), float(np.mean((y - y_pred) ** 2)))
