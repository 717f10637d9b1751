"""ex12: three ways to update w, and gradient descent (documents 001, 004)."""
import numpy as np


def step_fixed(w, size):
    """The fixed-value method (固定值法): w − size.

    Args:
        w: a float or an array.  size: the fixed step.
    Returns:
        w − size.
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - size
    ### END SOLUTION


def step_sign(w, slope, size):
    """The slope-sign method (斜率法): w − size · sign(slope).

    Args:
        w, slope: floats or arrays of the same shape.  size: the step.
    Returns:
        The new w.
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - size * np.sign(slope)
    ### END SOLUTION


def step_gd(w, slope, lr):
    """Gradient descent (小固定值*斜率): w − lr · slope.

    Args:
        w, slope: floats or arrays of the same shape.  lr: the learning rate.
    Returns:
        The new w.
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - lr * np.asarray(slope, dtype=np.float64)
    ### END SOLUTION


def gradient_descent(grad_fn, w0, lr, steps):
    """The iterates w_0, w_1, …, w_steps of w_{k+1} = w_k − lr · grad_fn(w_k).

    Args:
        grad_fn: a function returning the gradient at w.
        w0: the start, a float or an array of shape (d,).
        lr: the learning rate.  steps: the number of updates.
    Returns:
        An array of shape (steps + 1,) for a float w0, (steps + 1, d) otherwise;
        the first row is w0.
    """
    ### BEGIN SOLUTION
    path = [np.asarray(w0, dtype=np.float64)]
    for _ in range(steps):
        path.append(path[-1] - lr * np.asarray(grad_fn(path[-1]), dtype=np.float64))
    return np.stack(path)
    ### END SOLUTION
