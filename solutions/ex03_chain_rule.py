"""ex03: the chain rule, gradients of the mean squared error (document 000)."""
import numpy as np


def mse_grad_pred(y_true, y_pred):
    """dL/dŷ for L = 1/n Σ (y_i − ŷ_i)²: 2 (ŷ − y) / n, n the number of entries.

    Args:
        y_true: the targets, a Python float or a float64 array of any shape.
        y_pred: the predictions ŷ, of the same type and shape as y_true.
    Returns:
        dL/dŷ, shaped like y_pred (a float for a float y_pred).

    损失函数 L = 1/n Σ (y_i − ŷ_i)² 对 ŷ 的导数 dL/dŷ = 2 (ŷ − y) / n，n 为元素个数。

    参数:
        y_true: 真实值，Python 浮点数（float）或任意形状的 float64 数组。
        y_pred: 预测值 ŷ，类型和形状与 y_true 相同。
    返回:
        dL/dŷ，形状与 y_pred 相同（y_pred 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return 2 * (y_pred - np.asarray(y_true, dtype=np.float64)) / y_pred.size
    ### END SOLUTION


def linear_mse_grads(w, x, b, y_true):
    """(dL/dw, dL/db) for ŷ = x·w + b and L = mse(y_true, ŷ) over the batch.

    Chain rule: dL/dw = Σ_i dL/dŷ_i · x_i and dL/db = Σ_i dL/dŷ_i.

    Args:
        w: the weights, a float64 array of shape (d,).
        x: one sample, a float64 array of shape (d,), or a batch, a float64 array of shape (n, d).
        b: the bias, a Python float.
        y_true: the target, a Python float for one sample, a float64 array of shape (n,)
            for a batch.
    Returns:
        A pair (dL_dw, dL_db): an array of shape (d,) and a float.

    对 ŷ = x·w + b 和整批样本上的 L = mse(y_true, ŷ)，求 (dL/dw, dL/db)。

    链式法则：dL/dw = Σ_i dL/dŷ_i · x_i，dL/db = Σ_i dL/dŷ_i。

    参数:
        w: 权重，形状为 (d,) 的 float64 数组。
        x: 一个样本，形状为 (d,) 的 float64 数组；或一批样本，形状为 (n, d) 的 float64 数组。
        b: 偏置，Python 浮点数（float）。
        y_true: 真实值；一个样本时是 Python 浮点数（float），一批样本时是形状为 (n,) 的 float64 数组。
    返回:
        一对值 (dL_dw, dL_db)：形状为 (d,) 的数组和一个浮点数。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y_pred = x @ np.asarray(w, dtype=np.float64) + b
    dL_dy = mse_grad_pred(y_true, y_pred)          # shape (n,) or ()
    dL_dw = dL_dy @ x if x.ndim == 2 else dL_dy * x  # chain rule: dŷ/dw = x
    return dL_dw, float(np.sum(dL_dy))               # dŷ/db = 1
    ### END SOLUTION
