"""ex02: loss functions, mean squared error and mean absolute error (documents 000, 003, 004)."""
import numpy as np


def mse(y_true, y_pred):
    """Mean squared error L = 1/n Σ (y_i − ŷ_i)², n the number of entries.

    Args:
        y_true: the targets, a Python float or a float64 array of any shape.
        y_pred: the predictions, of the same type and shape as y_true.
    Returns:
        A float.

    均方误差 L = 1/n Σ (y_i − ŷ_i)²，n 为元素个数。

    参数:
        y_true: 真实值，Python 浮点数（float）或任意形状的 float64 数组。
        y_pred: 预测值，类型和形状与 y_true 相同。
    返回:
        一个浮点数。
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(error**2))
    ### END SOLUTION


def mae(y_true, y_pred):
    """Mean absolute error L = 1/n Σ |y_i − ŷ_i|, n the number of entries.

    Args:
        y_true: the targets, a Python float or a float64 array of any shape.
        y_pred: the predictions, of the same type and shape as y_true.
    Returns:
        A float.

    平均绝对误差 L = 1/n Σ |y_i − ŷ_i|，n 为元素个数。

    参数:
        y_true: 真实值，Python 浮点数（float）或任意形状的 float64 数组。
        y_pred: 预测值，类型和形状与 y_true 相同。
    返回:
        一个浮点数。
    """
    ### BEGIN SOLUTION
    error = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(np.abs(error)))
    ### END SOLUTION
