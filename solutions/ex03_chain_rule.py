"""ex03: the chain rule, gradients of the mean squared error (document 000)."""
import numpy as np


def mse_grad_pred(y_true, y_pred):
    """dL/dŷ for L = 1/n Σ (y_i − ŷ_i)²: 2 (ŷ − y) / n.

    Args:
        y_true, y_pred: floats or arrays of the same shape; n is the number of entries.
    Returns:
        An array shaped like y_pred.
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return 2 * (y_pred - np.asarray(y_true, dtype=np.float64)) / y_pred.size
    ### END SOLUTION


def linear_mse_grads(w, x, b, y_true):
    """(dL/dw, dL/db) for ŷ = x·w + b and L = mse(y_true, ŷ) over the batch.

    Chain rule: dL/dw = Σ_i dL/dŷ_i · x_i and dL/db = Σ_i dL/dŷ_i.

    Args:
        w: weights, shape (d,).
        x: one sample, shape (d,), or a batch, shape (n, d).
        b: bias, a float.
        y_true: a float for one sample, shape (n,) for a batch.
    Returns:
        dL_dw of shape (d,) and dL_db, a float.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y_pred = x @ np.asarray(w, dtype=np.float64) + b
    dL_dy = mse_grad_pred(y_true, y_pred)          # shape (n,) or ()
    dL_dw = dL_dy @ x if x.ndim == 2 else dL_dy * x  # chain rule: dŷ/dw = x
    return dL_dw, float(np.sum(dL_dy))               # dŷ/db = 1
    ### END SOLUTION
