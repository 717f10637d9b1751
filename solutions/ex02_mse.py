"""ex02: loss functions, mean squared error and mean absolute error (documents 000, 003, 004)."""
import numpy as np


def mse(y_true, y_pred):
    """Mean squared error L = 1/n Σ (y_i − ŷ_i)².

    Args:
        y_true, y_pred: floats or arrays of the same shape.
    Returns:
        A float.
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(error**2))
    ### END SOLUTION


def mae(y_true, y_pred):
    """Mean absolute error L = 1/n Σ |y_i − ŷ_i|.

    Args:
        y_true, y_pred: floats or arrays of the same shape.
    Returns:
        A float.
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(np.abs(error)))
    ### END SOLUTION
