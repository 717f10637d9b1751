"""Known-wrong workspaces fail exactly their exercise, with the intended message."""
import pytest

from mlgrade.outcomes import Status

from conftest import SOLUTIONS, failing, grade


def mutate(module: str, old: str, new: str) -> tuple[str, str]:
    """(module, the reference solution with one piece of code replaced)."""
    text = (SOLUTIONS / f"{module}.py").read_text()
    assert old in text, (module, old)
    return module, text.replace(old, new)


# train_linear whose entry k is the state after k + 1 updates: the history shifted by one
SHIFTED = """
import numpy as np
def sgd_update(param, grad, lr):
    return np.asarray(param, dtype=float) - lr * np.asarray(grad, dtype=float)
def train_linear(w, b, x, y_true, lr, epochs):
    w, x, y = np.array(w, dtype=float), np.asarray(x, dtype=float), np.asarray(y_true, dtype=float)
    history = []
    for _ in range(epochs + 1):
        g = 2 * (x @ w + b - y) / np.size(x @ w)
        w, b = w - lr * (g @ x if x.ndim == 2 else g * x), b - lr * float(np.sum(g))
        y_pred = x @ w + b
        history.append({"w": w.copy(), "b": float(b), "loss": float(np.mean((y - y_pred) ** 2)),
                        "y_pred": float(y_pred) if np.ndim(y_pred) == 0 else y_pred})
    return history
"""

MUTANTS = {
    "forgot-bias": ("ex01_forward", """
        import numpy as np
        def predict(w, x, b):
            y = np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
            return float(y) if np.ndim(y) == 0 else y
        """),
    "mse-sum-not-mean": ("ex02_mse", """
        import numpy as np
        def mse(y_true, y_pred):
            return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))
        def mae(y_true, y_pred):
            return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))
        """),
    "missing-factor-2": ("ex03_chain_rule", """
        import numpy as np
        def mse_grad_pred(y_true, y_pred):
            y_pred = np.asarray(y_pred, dtype=float)
            return (y_pred - y_true) / y_pred.size
        def linear_mse_grads(w, x, b, y_true):
            x = np.asarray(x, dtype=float)
            g = 2 * (x @ w + b - y_true) / np.size(x @ w)
            return (g @ x if x.ndim == 2 else g * x), float(np.sum(g))
        """),
    "update-wrong-direction": ("ex12_descent", """
        import numpy as np
        def step_fixed(w, size):
            return np.asarray(w, dtype=float) - size
        def step_sign(w, slope, size):
            return np.asarray(w, dtype=float) - size * np.sign(slope)
        def step_gd(w, slope, lr):
            return np.asarray(w, dtype=float) + lr * np.asarray(slope)
        def gradient_descent(grad_fn, w0, lr, steps):
            path = [np.asarray(w0, dtype=float)]
            for _ in range(steps):
                path.append(path[-1] - lr * grad_fn(path[-1]))
            return np.stack(path)
        """),
    "sigmoid-overflow": ("ex05_sigmoid", """
        import numpy as np
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        def sigmoid_grad(z):
            s = 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))
            return s * (1 - s)
        """),
    "softmax-overflow": ("ex09_softmax", """
        import numpy as np
        def softmax(z):
            e = np.exp(np.asarray(z, dtype=float))
            return e / e.sum(axis=-1, keepdims=True)
        def cross_entropy(probs, y):
            P, y = np.atleast_2d(probs), np.atleast_1d(y)
            return float(-np.mean(np.log(P[np.arange(len(y)), y])))
        def softmax_cross_entropy_grad(z, y):
            z = np.asarray(z, dtype=float)
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            P = np.atleast_2d(e / e.sum(axis=-1, keepdims=True)).copy()
            y = np.atleast_1d(y)
            P[np.arange(len(y)), y] -= 1
            return (P / len(y)).reshape(z.shape)
        """),
    "forward-difference": ("ex10_gradcheck", """
        import numpy as np
        def numerical_gradient(f, x, eps=1e-5):
            x = np.array(x, dtype=float)
            g = np.zeros_like(x)
            fx = f(x)
            for i in np.ndindex(x.shape):
                old = x[i]
                x[i] = old + eps
                g[i] = (f(x) - fx) / eps
                x[i] = old
            return g
        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            den = np.abs(a) + np.abs(b)
            r = np.divide(np.abs(a - b), den, out=np.zeros_like(den), where=den > 0)
            return float(r.max())
        """),
    "ce-sum-not-mean": mutate("ex09_softmax",
                              "return float(-np.mean(np.log(P[np.arange(len(y)), y])))",
                              "return float(-np.sum(np.log(P[np.arange(len(y)), y])))"),
    "softmax-grad-missing-onehot": mutate("ex09_softmax", "P[np.arange(len(y)), y] -= 1", ""),
    "not-averaged": mutate("ex03_chain_rule", ") / y_pred.size", ")"),
    "mutates-input": mutate("ex06_relu", "return np.maximum(np.asarray(z, dtype=np.float64), 0.0)",
                            "z = np.asarray(z, dtype=np.float64)\n    np.maximum(z, 0.0, out=z)\n"
                            "    return z"),
    "history-off-by-one": ("ex04_update", SHIFTED),
    "sign-flipped": mutate("ex13_sigmoid_neuron", "delta = (f - y)", "delta = (y - f)"),
    "sigmoid-grad-of-preactivation": mutate("ex05_sigmoid", "    s = sigmoid(z)\n",
                                            "    s = np.asarray(z, dtype=float)\n"),
    "backprop-uses-weight-not-input": mutate("ex08_backprop", '"W1": dL_dz1.T @ X',
                                             '"W1": dL_dz1.sum(axis=0)[:, None] * W1'),
    "half-mse": mutate("ex02_mse", "return float(np.mean(error**2))",
                       "return float(np.mean(error**2)) / 2"),
    "log-epsilon": mutate("ex09_softmax",
                          "return float(-np.mean(np.log(P[np.arange(len(y)), y])))",
                          "return float(-np.mean(np.log(P[np.arange(len(y)), y] + 1e-7)))"),
    "float32-result": mutate("ex05_sigmoid", "    s = sigmoid(z)\n",
                             "    s = sigmoid(z).astype(np.float32)\n"),
    "object-dtype": mutate("ex06_relu", "return np.maximum(np.asarray(z, dtype=np.float64), 0.0)",
                           "return np.frompyfunc(lambda v: np.array([max(v, 0.0)]), 1, 1)(z)"),
    "history-aliased": mutate("ex12_descent", """    path = [np.asarray(w0, dtype=np.float64)]
    for _ in range(steps):
        path.append(path[-1] - lr * np.asarray(grad_fn(path[-1]), dtype=np.float64))""",
                              """    w = np.array(w0, dtype=np.float64)
    path = [w]
    for _ in range(steps):
        w -= lr * np.asarray(grad_fn(w), dtype=np.float64)   # in place: one array, aliased
        path.append(w)"""),
    "transposed-weights": mutate("ex07_network", "np.asarray(W, dtype=np.float64).T",
                                 "np.asarray(W, dtype=np.float64)"),
}


def test_every_named_mistake_has_a_workspace():
    from mlgrade import i18n
    assert set(MUTANTS) | {"document-erratum"} == set(i18n.lookup("diagnosis", "en"))


@pytest.mark.parametrize("mistake", sorted(MUTANTS))
def test_mutant_fails_only_its_exercise_with_its_diagnosis(workspace, mistake):
    module, source = MUTANTS[mistake]
    report = grade(workspace(**{module: source}))
    bad = failing(report)
    assert list(bad) == [module]
    diagnoses = {c.diagnosis["id"] for c in bad[module] if c.diagnosis}
    assert mistake in diagnoses, [(c.id, c.message) for c in bad[module]]


def test_lookup_table_passes_document_numbers_but_fails_random_checks(workspace):
    report = grade(workspace(ex01_forward="""
        TABLE = {((0.5, -0.3), (1.0, 1.0), 0.2): 0.4, ((1.02, 0.22), (1.0, 1.0), 0.72): 1.96}
        def predict(w, x, b):
            return TABLE.get((tuple(w), tuple(x), b), 0.0)
        """))
    bad = failing(report)
    assert list(bad) == ["ex01_forward"]
    ex = report.exercises[0]
    assert all(c.passed for c in ex.checks if c.kind == "fixed")
    assert all(not c.passed for c in ex.checks if c.kind == "random")


def test_document_table_is_diagnosed_as_erratum(workspace):
    report = grade(workspace(ex04_update="""
        import numpy as np
        def sgd_update(param, grad, lr):
            return np.asarray(param, dtype=float) - lr * np.asarray(grad, dtype=float)
        ROWS = [(0.5, -0.3, 0.2, 0.4, 6.76), (1.02, 0.22, 0.72, 1.96, 1.0816),
                (1.45, 0.65, 1.17, 2.60, 0.16), (1.68, 0.89, 1.43, 2.96, 0.0016)]
        def train_linear(w, b, x, y_true, lr, epochs):
            return [{"w": np.array(r[:2]), "b": r[2], "y_pred": r[3], "loss": r[4]}
                    for r in ROWS[:epochs + 1]]
        """))
    checks = {c.id.split(".")[-1]: c for c in report.exercises[3].checks}
    for name in ("doc000_epoch_2", "doc000_epoch_3"):
        assert checks[name].diagnosis["id"] == "document-erratum"
        assert "the document prints" in checks[name].message
    assert checks["doc000_one_update"].passed


def test_other_correct_return_types_get_full_marks(workspace):
    report = grade(workspace(
        ex01_forward="""
        import numpy as np
        def predict(w, x, b):
            return np.dot(x, w) + b                  # a numpy scalar or a 0-d result
        """,
        ex03_chain_rule="""
        import numpy as np
        def mse_grad_pred(y_true, y_pred):
            y_pred = np.array(y_pred, dtype=float)
            return 2 * (y_pred - y_true) / y_pred.size
        def linear_mse_grads(w, x, b, y_true):
            x = np.asarray(x, dtype=float)
            g = 2 * (x @ w + b - y_true) / np.size(x @ w)
            return [list(g @ x if x.ndim == 2 else g * x), np.sum(g)]   # a list, np.float64
        """,
        ex12_descent="""
        import numpy as np
        def step_fixed(w, size):
            return w - size                         # a Python float for a float w
        def step_sign(w, slope, size):
            return (np.asarray(w) - size * np.sign(slope)).tolist()
        def step_gd(w, slope, lr):
            return np.asarray(w) - lr * np.asarray(slope)
        def gradient_descent(grad_fn, w0, lr, steps):
            out = [np.array(w0, dtype=float)]
            for _ in range(steps):
                out.append(out[-1] - lr * np.asarray(grad_fn(out[-1])))
            return [o.tolist() for o in out]
        """))
    assert report.score == report.max_score, {
        c.id: c.message for e in report.exercises for c in e.checks if not c.passed}


def test_exception_in_student_code_is_an_error_naming_it(workspace):
    report = grade(workspace(ex06_relu="""
        import numpy as np
        def relu(z):
            raise ValueError("my bug")
        def relu_grad(z):
            return (np.asarray(z) > 0).astype(float)
        def hard_sigmoid(z):
            return np.clip(z, 0, 1)
        """))
    bad = failing(report)
    assert list(bad) == ["ex06_relu"]
    assert {c.function for c in bad["ex06_relu"]} == {"relu"}
    for c in bad["ex06_relu"]:
        assert c.status is Status.ERROR and "ValueError: my bug" in c.message


def test_a_forgotten_bias_is_named_on_the_documents_example_too(workspace):
    module, source = MUTANTS["forgot-bias"]
    report = grade(workspace(**{module: source}), modules=[module])
    fixed = [c for c in report.exercises[0].checks if c.kind == "fixed"]
    assert fixed and all(c.diagnosis and c.diagnosis["id"] == "forgot-bias" for c in fixed)
