"""ex06: the ReLU activation function, and a hard sigmoid made of two ReLUs (document 004)."""
import numpy as np


def relu(z):
    """ReLU(z) = max(0, z), elementwise.

    Args:
        z: a float or an array of any shape.
    Returns:
        An array shaped like z.
    """
    ### BEGIN SOLUTION
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
    ### END SOLUTION


def relu_grad(z):
    """ReLU'(z): 0 where z ≤ 0, 1 elsewhere.

    Args:
        z: a float or an array of any shape.
    Returns:
        An array shaped like z, of 0.0 and 1.0.
    """
    ### BEGIN SOLUTION
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)
    ### END SOLUTION


def hard_sigmoid(z):
    """relu(z) − relu(z − 1): 0 below 0, z on [0, 1], 1 above 1.

    Args:
        z: a float or an array of any shape.
    Returns:
        An array shaped like z.
    """
    ### BEGIN SOLUTION
    return relu(z) - relu(np.asarray(z, dtype=np.float64) - 1)
    ### END SOLUTION
