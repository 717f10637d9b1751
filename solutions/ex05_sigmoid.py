"""ex05: the sigmoid activation function and its derivative (documents 002, 003, 004)."""
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.

    Args:
        z: a Python float, or a float64 array of any shape (1-D, 2-D, …).
    Returns:
        σ(z), shaped like z (a float for a float z); no overflow warning and no nan
        for |z| up to 1e4.

    σ(z) = 1 / (1 + e^(−z))，逐元素计算。

    参数:
        z: Python 浮点数（float），或任意形状的 float64 数组（一维、二维……）。
    返回:
        σ(z)，形状与 z 相同（z 是浮点数时返回浮点数）；|z| 大到 1e4 也不能有溢出警告或 nan。
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))                        # e^(−|z|) never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION


def sigmoid_grad(z):
    """σ'(z) = σ(z) (1 − σ(z)), elementwise.

    Args:
        z: the pre-activation (not σ(z)), a Python float or a float64 array of any shape.
    Returns:
        σ'(z), shaped like z (a float for a float z); no overflow warning and no nan
        for |z| up to 1e4.

    σ'(z) = σ(z) (1 − σ(z))，逐元素计算。

    参数:
        z: 激活函数的输入（不是 σ(z)），Python 浮点数（float）或任意形状的 float64 数组。
    返回:
        σ'(z)，形状与 z 相同（z 是浮点数时返回浮点数）；|z| 大到 1e4 也不能有溢出警告或 nan。
    """
    ### BEGIN SOLUTION
    s = sigmoid(z)
    return s * (1 - s)
    ### END SOLUTION
