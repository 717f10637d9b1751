"""ex10: checking gradients with central differences (CS231n practice)."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Central differences: df/dx_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / 2ε.

    Args:
        f: a function of an array returning a float.
        x: the point, an array of any shape; left unchanged.
        eps: the step ε.
    Returns:
        An array shaped like x.
    """
    ### BEGIN SOLUTION
    x = np.array(x, dtype=np.float64)              # a copy: the caller's x is not changed
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    ### END SOLUTION


def relative_error(a, b):
    """max over entries of |a − b| / (|a| + |b|), an entry where both are 0 counting 0.

    Args:
        a, b: arrays of the same shape (or floats).
    Returns:
        A float.
    """
    ### BEGIN SOLUTION
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    num, den = np.abs(a - b), np.abs(a) + np.abs(b)
    ratio = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return float(np.max(ratio, initial=0.0))
    ### END SOLUTION
