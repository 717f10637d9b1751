"""ex05: the sigmoid activation function and its derivative (documents 002, 003, 004)."""
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.

    Args:
        z: a float or an array of any shape.
    Returns:
        An array shaped like z; no overflow warning for |z| up to 1e4.
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))                        # e^(−|z|) never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION


def sigmoid_grad(z):
    """σ'(z) = σ(z) (1 − σ(z)), elementwise.

    Args:
        z: a float or an array of any shape (the pre-activation, not σ(z)).
    Returns:
        An array shaped like z.
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 - s)
    ### END SOLUTION
