"""ex13: the gradients of a single sigmoid neuron, the CS7015 toy data (document 002)."""
import numpy as np


def sigmoid_neuron_grads(w, b, x, y):
    """(dL/dw, dL/db) for f(x) = σ(w x + b) and L = ½ Σ (f(x) − y)².

    dL/dw = Σ (f − y) f (1 − f) x,  dL/db = Σ (f − y) f (1 − f).

    Args:
        w: the weight, a Python float.
        b: the bias, a Python float.
        x: the inputs, a float64 array of shape (n,).
        y: the targets, a float64 array of shape (n,).
    Returns:
        A pair of floats (dL_dw, dL_db).

    对 f(x) = σ(w x + b) 和 L = ½ Σ (f(x) − y)² 求 (dL/dw, dL/db)。

    dL/dw = Σ (f − y) f (1 − f) x，dL/db = Σ (f − y) f (1 − f)。

    参数:
        w: 权重，Python 浮点数（float）。
        b: 偏置，Python 浮点数（float）。
        x: 输入，形状为 (n,) 的 float64 数组。
        y: 目标值，形状为 (n,) 的 float64 数组。
    返回:
        一对浮点数 (dL_dw, dL_db)。
    """
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    f = 0.5 * (1 + np.tanh(0.5 * (w * x + b)))      # σ(wx + b) without overflow
    delta = (f - y) * f * (1 - f)                   # dL/dz for each sample
    return float(np.sum(delta * x)), float(np.sum(delta))
    ### END SOLUTION
