"""ex08: backpropagation through a 2-2-1 sigmoid network (document 003)."""
import numpy as np


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^(−z)), no overflow


def backprop(x, y, W1, b1, W2, b2):
    """Gradients of L = mse(y, o) for h = σ(x W1ᵀ + b1), o = σ(h W2ᵀ + b2).

    Args:
        x: one sample (d,) or a batch (n, d).
        y: targets, as many as outputs: shape like o, or (n,) for one output.
        W1: (hidden, d), b1: (hidden,), W2: (out, hidden), b2: (out,).
    Returns:
        A dict with keys "W1", "b1", "W2", "b2", each shaped like its parameter.
    """
    ### BEGIN SOLUTION
    X = np.atleast_2d(np.asarray(x, dtype=np.float64))        # (n, d)
    W1, W2 = np.asarray(W1, dtype=np.float64), np.asarray(W2, dtype=np.float64)
    h = _sigmoid(X @ W1.T + b1)                                # (n, hidden)
    o = _sigmoid(h @ W2.T + b2)                                # (n, out)
    y = np.asarray(y, dtype=np.float64).reshape(o.shape)
    dL_do = 2 * (o - y) / o.size                               # mse over all entries
    dL_dz2 = dL_do * o * (1 - o)                               # σ' = σ(1 − σ)
    dL_dz1 = (dL_dz2 @ W2) * h * (1 - h)                       # back through W2, then σ'
    return {"W1": dL_dz1.T @ X, "b1": dL_dz1.sum(axis=0),      # ∂z1/∂W1 = x, not W1
            "W2": dL_dz2.T @ h, "b2": dL_dz2.sum(axis=0)}
    ### END SOLUTION
