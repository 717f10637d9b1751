"""ex01: the forward pass of a linear neuron, y_pred = w·x + b (document 000)."""
import numpy as np


def predict(w, x, b):
    """Forward pass y_pred = w·x + b.

    Args:
        w: the weights, a float64 array of shape (d,).
        x: one sample, a float64 array of shape (d,), or a batch, a float64 array of shape (n, d).
        b: the bias, a Python float.
    Returns:
        A float for one sample; an array of shape (n,) for a batch.

    前向传播 y_pred = w·x + b。

    参数:
        w: 权重，形状为 (d,) 的 float64 数组。
        x: 一个样本，形状为 (d,) 的 float64 数组；或一批样本，形状为 (n, d) 的 float64 数组。
        b: 偏置，Python 浮点数（float）。
    返回:
        一个样本时返回一个浮点数；一批样本时返回形状为 (n,) 的数组。
    """
    ### BEGIN SOLUTION
    y_pred = np.asarray(x, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return float(y_pred) if np.ndim(y_pred) == 0 else y_pred
    ### END SOLUTION
