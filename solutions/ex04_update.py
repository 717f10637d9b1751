"""ex04: gradient descent and the learning rate, the house-price example (documents 000, 002)."""
import numpy as np


def sgd_update(param, grad, lr):
    """One gradient-descent step: param − lr · grad, as a new array.

    Args:
        param, grad: arrays of the same shape (or floats); neither is changed.
        lr: the learning rate η.
    Returns:
        A new array.
    """
    ### BEGIN SOLUTION
    return np.asarray(param, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)
    ### END SOLUTION


def train_linear(w, b, x, y_true, lr, epochs):
    """Full-batch gradient descent on the mse of ŷ = x·w + b.

    Args:
        w: initial weights, shape (d,).  b: initial bias, a float.
        x: one sample (d,) or a batch (n, d).  y_true: a float or shape (n,).
        lr: the learning rate η.  epochs: the number of updates.
    Returns:
        A list of epochs + 1 dicts; entry k is the state after k updates, with keys
        "w" (array (d,)), "b" (float), "y_pred" (float for one sample, array (n,)
        for a batch) and "loss" (float).
    """
    ### BEGIN SOLUTION
    w = np.array(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    history = []
    for k in range(epochs + 1):
        y_pred = x @ w + b
        dL_dy = 2 * (y_pred - y_true) / np.size(y_pred)   # chain rule through the mse
        loss = float(np.mean((y_true - y_pred) ** 2))
        history.append({"w": w.copy(), "b": float(b), "loss": loss,
                        "y_pred": float(y_pred) if np.ndim(y_pred) == 0 else y_pred})
        if k < epochs:
            w = w - lr * (dL_dy @ x if x.ndim == 2 else dL_dy * x)
            b = b - lr * float(np.sum(dL_dy))
    return history
    ### END SOLUTION
