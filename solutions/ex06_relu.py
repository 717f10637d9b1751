"""ex06: the ReLU activation function, and a hard sigmoid made of two ReLUs (document 004)."""
import numpy as np


def relu(z):
    """ReLU(z) = max(0, z), elementwise.

    Args:
        z: a Python float, or a float64 array of any shape.
    Returns:
        ReLU(z), shaped like z (a float for a float z).

    ReLU(z) = max(0, z)，逐元素计算。

    参数:
        z: Python 浮点数（float），或任意形状的 float64 数组。
    返回:
        ReLU(z)，形状与 z 相同（z 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
    ### END SOLUTION


def relu_grad(z):
    """ReLU'(z): 0 where z ≤ 0, 1 elsewhere.

    Args:
        z: a Python float, or a float64 array of any shape.
    Returns:
        0.0 and 1.0, shaped like z (a float for a float z).

    ReLU'(z)：z ≤ 0 处为 0，其余为 1。

    参数:
        z: Python 浮点数（float），或任意形状的 float64 数组。
    返回:
        由 0.0 和 1.0 组成，形状与 z 相同（z 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)
    ### END SOLUTION


def hard_sigmoid(z):
    """relu(z) − relu(z − 1): 0 below 0, z on [0, 1], 1 above 1.

    Args:
        z: a Python float, or a float64 array of any shape.
    Returns:
        An array shaped like z (a float for a float z).

    relu(z) − relu(z − 1)：小于 0 时为 0，在 [0, 1] 上为 z，大于 1 时为 1。

    参数:
        z: Python 浮点数（float），或任意形状的 float64 数组。
    返回:
        形状与 z 相同的数组（z 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return relu(z) - relu(np.asarray(z, dtype=np.float64) - 1)
    ### END SOLUTION
