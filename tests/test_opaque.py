"""Functions passed to student code (f in ex10/ex11, grad_fn in ex12) reveal nothing.

The worker holds only a numbered stand-in; calls go back to the grading process.
Each hostile submission below returns the exact answer whenever it can recognise
the grader's function, and a wrong one otherwise: it must lose the points.
"""
import time

import numpy as np
import pytest

from mlgrade import callbacks, sandbox, testfns
from mlgrade.worker import wire
from mlgrade.catalog import ex12_descent
from mlgrade.sandbox import Limits

from conftest import ROOT, grade

ISOLATIONS = ["process", pytest.param("sandbox", marks=pytest.mark.skipif(
    not sandbox.sandbox_available(), reason="needs the bubblewrap sandbox"))]

# Everything a submission can learn by looking at f: its name and parameters.
SPY = '''
import gc
import inspect
import sys

import numpy as np


def spy(f):
    name = getattr(f, "__name__", None)
    params = {}
    looks = (lambda: f.__closure__, lambda: inspect.getclosurevars(f).nonlocals.values(),
             lambda: f.__defaults__, lambda: f.__kwdefaults__, lambda: vars(f).values(),
             lambda: f.__code__.co_consts, lambda: gc.get_referents(f))
    for look in looks:
        try:
            found = list(look() or ())
        except Exception:
            continue
        for value in found:
            value = getattr(value, "cell_contents", value)
            if isinstance(value, dict):
                params.update(value)
            elif getattr(value, "__name__", None) in ("smooth", "cubic_form", "quad_grad",
                                                      "doc000_loss"):
                name = value.__name__
    for obj in gc.get_objects() if not params else ():
        if isinstance(obj, dict) and ({"a", "c", "q"} <= obj.keys() or {"A", "g", "k"}
                                      <= obj.keys() or {"a", "w_star"} <= obj.keys()):
            params.update(obj)
    for module in list(sys.modules.values()):
        if hasattr(module, "smooth_grad"):
            params["module"] = module
    return name, params
'''

CHEATS = {
    "ex10_gradcheck": SPY + '''

def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    name, p = spy(f)
    if {"a", "c", "q"} <= p.keys():
        a, c, q = (np.asarray(p[k], dtype=np.float64) for k in "acq")
        return c * a * np.cos(a * x) + q * x
    if name == "doc000_loss":
        return np.array([2 * x[0] + x[1], 4 * x[1] + x[0]])
    return np.zeros_like(x)
''' + "\n\ndef relative_error"
    + (ROOT / "solutions" / "ex10_gradcheck.py").read_text().split("def relative_error")[1],
    "ex11_taylor": (ROOT / "solutions" / "ex11_taylor.py").read_text().split("def hessian")[0]
    + SPY + '''

def hessian(f, theta, eps=1e-4):
    theta = np.asarray(theta, dtype=np.float64)
    name, p = spy(f)
    if {"A", "k"} <= p.keys():
        return np.asarray(p["A"], dtype=np.float64) + p["k"] * np.diag(theta)
    if name == "doc000_loss":
        return np.array([[2.0, 1.0], [1.0, 4.0]])
    return np.eye(theta.size)
''',
    "ex12_descent": (ROOT / "solutions" / "ex12_descent.py").read_text()
    .split("def gradient_descent")[0] + SPY + '''

def gradient_descent(grad_fn, w0, lr, steps):
    name, p = spy(grad_fn)
    rows = [np.asarray(w0, dtype=np.float64)]
    if {"a", "w_star"} <= p.keys():
        a, w_star = np.asarray(p["a"]), np.asarray(p["w_star"])
        for _ in range(steps):
            rows.append(rows[-1] - lr * a * (rows[-1] - w_star))
    else:
        rows += [rows[0]] * steps
    return np.stack(rows)
''',
}
FUNCTION = {"ex10_gradcheck": "numerical_gradient", "ex11_taylor": "hessian",
            "ex12_descent": "gradient_descent"}


def test_the_cheats_work_on_a_plain_python_function():
    """Given the function itself (as before the stand-in), each cheat is exact."""
    rng = np.random.default_rng(3)
    x, A = rng.normal(size=3), rng.normal(size=(3, 3))
    smooth = {k: rng.uniform(0.5, 2, 3) for k in "acq"}
    cubic = {"A": A + A.T, "g": rng.normal(size=3), "k": 0.7}
    quad = {"a": rng.uniform(0.5, 2, 3), "w_star": rng.normal(size=3)}
    cheats = {}
    for module, source in CHEATS.items():
        exec(compile(source, module, "exec"), cheats.setdefault(module, {}))
    got = cheats["ex10_gradcheck"]["numerical_gradient"](testfns.build("smooth", smooth), x)
    assert np.allclose(got, testfns.smooth_grad(x, *smooth.values()), rtol=1e-12)
    got = cheats["ex11_taylor"]["hessian"](testfns.build("cubic_form", cubic), x)
    assert np.allclose(got, testfns.cubic_form_hessian(x, **cubic), rtol=1e-12)
    got = cheats["ex12_descent"]["gradient_descent"](testfns.build("quad_grad", quad), x, 0.1, 3)
    assert np.allclose(got, ex12_descent.path(quad["a"], quad["w_star"], x, 0.1, 3))


@pytest.mark.parametrize("isolation", ISOLATIONS)
@pytest.mark.parametrize("module", sorted(CHEATS))
def test_a_submission_that_recognises_the_graders_function_fails(workspace, module,
                                                                  isolation):
    report = grade(workspace(**{module: CHEATS[module]}), modules=[module],
                   isolation=isolation)
    checks = [c for c in report.exercises[0].checks if c.function == FUNCTION[module]]
    passed = [c.id for c in checks if c.passed]
    # only an answer that needs no knowledge of f may pass: the gradient 0 at 0
    assert passed in ([], ["ex10_gradcheck.numerical_gradient.doc000_gradient_at_0"]), passed
    others = [c for c in report.exercises[0].checks if c.function != FUNCTION[module]]
    assert all(c.passed for c in others), [c.message for c in others if not c.passed]


MISUSE = '''
import numpy as np

KEPT = []


def relative_error(a, b):
    return 0.0


def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    if x.size == 2 and x[0] == 1.0:            # doc000_loss_gradient: a string
        return f("a string")
    if x.size == 2 and x[0] == 0.0:            # doc000_gradient_at_0: too often
        KEPT.append(f)
        for _ in range(60):
            f(x)
    return KEPT[0](x)                          # random_smooth_function: an old function
'''


def test_misused_functions_fail_the_check_with_a_clear_message(workspace, monkeypatch):
    monkeypatch.setattr(callbacks, "MAX_CALLS", 50)
    report = grade(workspace(ex10_gradcheck=MISUSE), modules=["ex10_gradcheck"],
                   isolation="process")
    said = {c.id.rsplit(".", 1)[1]: c.message or "" for c in report.exercises[0].checks
            if c.function == "numerical_gradient"}
    assert "takes one number or one numeric array; it was given str" in said[
        "doc000_loss_gradient"], said
    assert "called more than 50 times" in said["doc000_gradient_at_0"], said
    assert "can no longer be called" in said["random_smooth_function"], said


FLOOD = '''
import sys
import time

import numpy as np


def relative_error(a, b):
    return 0.0


def numerical_gradient(f, x, eps=1e-5):
    pipes = sys.modules["__main__"].PIPES
    line = b'{"callback":0,"call":1,"args":[1.0]}\\n'
    for _ in range(20000):                     # far more answers than a pipe holds
        pipes["replies"].write(line)
        pipes["replies"].flush()
    while True:
        time.sleep(1)
'''


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_worker_that_asks_without_reading_costs_only_its_time(workspace, isolation):
    limits = Limits(timeout=2.0)
    start = time.monotonic()
    report = grade(workspace(ex10_gradcheck=FLOOD), modules=["ex10_gradcheck", "ex01_forward"],
                   isolation=isolation, limits=limits)
    elapsed = time.monotonic() - start
    ex10, ex01 = report.exercises
    assert not any(c.passed for c in ex10.checks if c.function == "numerical_gradient")
    assert ex01.score == ex01.max_score
    assert elapsed < 2 * (limits.timeout + 1) + 8, elapsed


def test_callback_arguments_are_validated_before_the_function_runs():
    answers = callbacks.Callbacks(call_id=7)
    hidden = answers.hide([wire.Callable("smooth", a=[1.0, 2.0], c=[1.0, 1.0], q=[0.0, 0.0])])
    assert type(hidden[0]) is wire.Function and vars(hidden[0]) == {"number": 0}

    def ask(*args, number=0, call=7):
        return answers.answer({"callback": number, "call": call, "args": list(args)})

    assert ask([0.0, 0.0]) == {"callback": True, "ok": True, "value": 0.0}
    assert ask(np.array([np.pi / 2, 0.0]))["value"] == pytest.approx(1.0)
    refused = [ask(np.array([1j, 0])), ask("1.0"), ask([1.0, "2"]), ask(None), ask({"x": 1}),
               ask(np.zeros(callbacks.MAX_SIZE + 1)), ask([0.0, 0.0], [0.0, 0.0]),
               ask([0.0, 0.0], number=1), ask([0.0, 0.0], call=6), ask([[1.0], [1.0, 2.0]]),
               ask(wire.Unsupported("generator"))]
    assert [r["ok"] for r in refused] == [False] * len(refused)
    assert "complex128" in refused[0]["error"] and "generator" in refused[-1]["error"]
