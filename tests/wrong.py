"""Wrong implementations that real code contains, each with the verdict it must get.

WRONG[name] = (function names it replaces, source, diagnosis id or None).  The source
defines those functions (it may use `np` and the reference functions of its module,
imported by the test); every other function of the exercise stays correct.
"""

WRONG = {
    "forgot-bias": (("predict",), """
def predict(w, x, b):
    return x @ w
""", "forgot-bias"),
    "mse-sum-not-mean": (("mse",), """
def mse(y_true, y_pred):
    return np.sum((y_true - y_pred) ** 2)
""", "mse-sum-not-mean"),
    "half-mse": (("mse",), """
def mse(y_true, y_pred):          # the d2l / scikit-learn convention
    return 0.5 * np.mean((y_true - y_pred) ** 2)
""", "half-mse"),
    "missing-factor-2": (("mse_grad_pred",), """
def mse_grad_pred(y_true, y_pred):
    return (y_pred - y_true) / np.size(y_pred)
""", "missing-factor-2"),
    "not-averaged": (("mse_grad_pred",), """
def mse_grad_pred(y_true, y_pred):
    return 2 * (y_pred - y_true)
""", "not-averaged"),
    "sign-flipped": (("sigmoid_neuron_grads",), """
def sigmoid_neuron_grads(w, b, x, y):
    f = 0.5 * (1 + np.tanh(0.5 * (w * x + b)))
    d = (y - f) * f * (1 - f)
    return float(d @ x), float(d.sum())
""", "sign-flipped"),
    "update-wrong-direction": (("step_gd",), """
def step_gd(w, slope, lr):
    return w + lr * slope
""", "update-wrong-direction"),
    "history-off-by-one": (("train_linear",), """
def train_linear(w, b, x, y_true, lr, epochs):
    history = []
    for _ in range(epochs + 1):
        g = 2 * (x @ w + b - y_true) / np.size(y_true)
        w, b = w - lr * (g @ x if x.ndim == 2 else g * x), b - lr * np.sum(g)
        y_pred = x @ w + b
        history.append({"w": w.copy(), "b": b, "y_pred": y_pred,
                        "loss": np.mean((y_true - y_pred) ** 2)})
    return history
""", "history-off-by-one"),
    "history-aliased": (("train_linear",), """
def train_linear(w, b, x, y_true, lr, epochs):
    w = w.copy()
    history = []
    for k in range(epochs + 1):
        y_pred = x @ w + b
        history.append({"w": w, "b": b, "y_pred": y_pred,
                        "loss": np.mean((y_true - y_pred) ** 2)})
        g = 2 * (y_pred - y_true) / np.size(y_true)
        w -= lr * (g @ x if x.ndim == 2 else g * x)      # in place: every entry is this w
        b -= lr * np.sum(g)
    return history
""", "history-aliased"),
    "history-aliased-descent": (("gradient_descent",), """
def gradient_descent(grad_fn, w0, lr, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w -= lr * grad_fn(w)
        path.append(w)
    return np.stack(path)
""", "history-aliased"),
    "descent-stops-early": (("gradient_descent",), """
def gradient_descent(grad_fn, w0, lr, steps):
    path = [np.array(w0, dtype=float)]
    for _ in range(steps):
        g = grad_fn(path[-1])
        if np.max(np.abs(g)) < 1e-8:      # "converged"
            break
        path.append(path[-1] - lr * g)
    return np.stack(path)
""", None),
    "sigmoid-overflow": (("sigmoid",), """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
""", "sigmoid-overflow"),
    "sigmoid-grad-of-preactivation": (("sigmoid_grad",), """
def sigmoid_grad(z):
    return z * (1 - z)
""", "sigmoid-grad-of-preactivation"),
    "float32-result": (("sigmoid",), """
def sigmoid(z):
    return (0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=np.float32)))).astype(np.float32)
""", "float32-result"),
    "softmax-overflow": (("softmax",), """
def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
""", "softmax-overflow"),
    "ce-sum-not-mean": (("cross_entropy",), """
def cross_entropy(probs, y):
    P, y = np.atleast_2d(probs), np.atleast_1d(y)
    return -np.sum(np.log(P[np.arange(len(y)), y]))
""", "ce-sum-not-mean"),
    "log-epsilon": (("cross_entropy",), """
def cross_entropy(probs, y):
    P, y = np.atleast_2d(probs), np.atleast_1d(y)
    return -np.mean(np.log(P[np.arange(len(y)), y] + 1e-7))
""", "log-epsilon"),
    "log-epsilon-clip": (("cross_entropy",), """
def cross_entropy(probs, y):                     # the nnfs way: clip to [1e-7, 1 - 1e-7]
    P, y = np.clip(np.atleast_2d(probs), 1e-7, 1 - 1e-7), np.atleast_1d(y)
    return -np.mean(np.log(P[np.arange(len(y)), y]))
""", "log-epsilon"),
    "softmax-grad-missing-onehot": (("softmax_cross_entropy_grad",), """
def softmax_cross_entropy_grad(z, y):
    return softmax(z) / len(np.atleast_1d(y))
""", "softmax-grad-missing-onehot"),
    "backprop-uses-weight-not-input": (("backprop",), """
def backprop(x, y, W1, b1, W2, b2):
    right = _reference_backprop(x, y, W1, b1, W2, b2)
    X = np.atleast_2d(x)
    h = 0.5 * (1 + np.tanh(0.5 * (X @ W1.T + b1)))
    o = 0.5 * (1 + np.tanh(0.5 * (h @ W2.T + b2)))
    dz2 = 2 * (o - np.reshape(y, o.shape)) / o.size * o * (1 - o)
    dz1 = (dz2 @ W2) * h * (1 - h)
    return {**right, "W1": dz1.sum(axis=0)[:, None] * W1}
""", "backprop-uses-weight-not-input"),
    "transposed-weights": (("dense",), """
def dense(x, W, b, activation):
    z = x @ W + b
    return {"sigmoid": lambda v: 0.5 * (1 + np.tanh(0.5 * v)), "relu": lambda v: np.maximum(v, 0),
            "linear": lambda v: v}[activation](z)
""", "transposed-weights"),
    "forward-difference": (("numerical_gradient",), """
def numerical_gradient(f, x, eps=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - fx) / eps
        x[i] = old
    return grad
""", "forward-difference"),
    "gradient-ignores-eps": (("numerical_gradient",), """
def numerical_gradient(f, x, eps=1e-5):
    h = 1e-5                                   # eps is ignored
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad
""", None),
    "gradient-perturbs-rows": (("numerical_gradient",), """
def numerical_gradient(f, x, eps=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in range(len(x)):                    # a whole row of a matrix at once
        old = x[i].copy()
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad
""", None),
    "relative-error-of-norms": (("relative_error",), """
def relative_error(a, b):
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else np.linalg.norm(a - b) / den
""", None),
    "mutates-input": (("relu",), """
def relu(z):
    if isinstance(z, np.ndarray):
        np.maximum(z, 0.0, out=z)
        return z
    return max(z, 0.0)
""", "mutates-input"),
    "object-dtype": (("relu",), """
def relu(z):                                   # an object array of arrays, not of numbers
    return np.frompyfunc(lambda v: np.array([max(v, 0.0)]), 1, 1)(z)
""", "object-dtype"),
    # wrong for one input class only: every seed covers it, so every seed fails it
    "batch-of-one-squeezed": (("softmax_cross_entropy_grad",), """
def softmax_cross_entropy_grad(z, y):
    P = np.atleast_2d(softmax(z)).copy()
    y = np.atleast_1d(y)
    P[np.arange(len(y)), y] -= 1
    return np.squeeze(P / len(y))              # (1, k) comes back as (k,)
""", None),
    "no-0d-input": (("relu",), """
def relu(z):
    out = z.copy()
    out[out < 0] = 0                           # item assignment: fails on a 0-d value
    return out
""", None),
    "one-sample-only": (("predict",), """
def predict(w, x, b):
    return sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
""", None),
    "both-zero-not-handled": (("relative_error",), """
def relative_error(a, b):
    return np.max(np.abs(a - b) / (np.abs(a) + np.abs(b)))   # 0/0 = nan where both are 0
""", None),
}
