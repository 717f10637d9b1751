"""Checks for ex01_forward: y_pred = w·x + b (document 000)."""

from mlgrade.numeric import assert_matches
from mlgrade.probes import assert_unchanged
from mlgrade.spec import Case, Exercise, check

EXERCISE = Exercise("ex01_forward", functions=("predict",), cases=[
    Case("doc000_forward", "predict", ([0.5, -0.3], [1.0, 1.0], 0.2), 0.4, "000", printed=0.4),
    Case("doc000_after_one_update", "predict", ([1.02, 0.22], [1.0, 1.0], 0.72), 1.96, "000",
         printed=1.96),
])


def draw(rng, batch: bool):
    d = int(rng.integers(1, 8))
    x = rng.normal(size=(int(rng.integers(2, 9)), d) if batch else d)
    return rng.normal(size=d), x, float(rng.normal())


@check(EXERCISE, "predict")
def random_single_sample(student, rng):
    w, x, b = draw(rng, batch=False)
    assert_matches(student.predict(w, x, b), float(w @ x + b), mistakes={"forgot-bias": w @ x})


@check(EXERCISE, "predict")
def random_batch(student, rng):
    w, x, b = draw(rng, batch=True)
    assert_matches(student.predict(w, x, b), x @ w + b, mistakes={"forgot-bias": x @ w})


@check(EXERCISE, "predict")
def accepts_lists(student, rng):
    w, x, b = draw(rng, batch=True)
    assert_matches(student.predict(w.tolist(), x.tolist(), b), x @ w + b)


@check(EXERCISE, "predict")
def inputs_unchanged(student, rng):
    w, x, b = draw(rng, batch=True)
    assert_matches(assert_unchanged(student.predict, w, x, b), x @ w + b)
