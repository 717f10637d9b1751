"""ex01: the forward pass of a linear neuron, y_pred = w·x + b (document 000)."""
import numpy as np


def predict(w, x, b):
    """Forward pass y_pred = w·x + b.

    Args:
        w: weights, shape (d,).
        x: one sample, shape (d,), or a batch, shape (n, d).
        b: bias, a float.
    Returns:
        A float for one sample, an array of shape (n,) for a batch.
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(x, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return float(y_pred) if np.ndim(y_pred) == 0 else y_pred
    ### END SOLUTION
