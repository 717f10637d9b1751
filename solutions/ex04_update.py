"""ex04: gradient descent and the learning rate, the house-price example (documents 000, 002)."""
import numpy as np


def sgd_update(param, grad, lr):
    """One gradient-descent step: param − lr · grad, as a new value.

    Args:
        param: the parameter, a Python float or a float64 array of any shape; not changed.
        grad: its gradient, of the same type and shape as param; not changed.
        lr: the learning rate η, a Python float.
    Returns:
        The new parameter, shaped like param (a new array, or a float for a float param).

    梯度下降的一步：param − lr · grad，返回新的值。

    参数:
        param: 参数，Python 浮点数（float）或任意形状的 float64 数组；不得修改。
        grad: 它的梯度，类型和形状与 param 相同；不得修改。
        lr: 学习率 η，Python 浮点数（float）。
    返回:
        新的参数，形状与 param 相同（新数组；param 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return np.asarray(param, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)
    ### END SOLUTION


def train_linear(w, b, x, y_true, lr, epochs):
    """Full-batch gradient descent on the mse of ŷ = x·w + b.

    Args:
        w: the initial weights, a float64 array of shape (d,); not changed.
        b: the initial bias, a Python float.
        x: one sample, a float64 array of shape (d,), or a batch, a float64 array of shape (n, d).
        y_true: the target, a Python float for one sample, a float64 array of shape (n,)
            for a batch.
        lr: the learning rate η, a Python float.
        epochs: the number of updates, a Python int.
    Returns:
        A list of epochs + 1 dicts; entry k is the state after k updates, with the keys
        "w" (an array of shape (d,)), "b" (a float), "y_pred" (a float for one sample,
        an array of shape (n,) for a batch) and "loss" (a float).

    对 ŷ = x·w + b 的均方误差做全批量梯度下降。

    参数:
        w: 初始权重，形状为 (d,) 的 float64 数组；不得修改。
        b: 初始偏置，Python 浮点数（float）。
        x: 一个样本，形状为 (d,) 的 float64 数组；或一批样本，形状为 (n, d) 的 float64 数组。
        y_true: 真实值；一个样本时是 Python 浮点数（float），一批样本时是形状为 (n,) 的 float64 数组。
        lr: 学习率 η，Python 浮点数（float）。
        epochs: 更新次数，Python 整数（int）。
    返回:
        由 epochs + 1 个字典组成的列表；第 k 项是 k 次更新后的状态，键为
        "w"（形状为 (d,) 的数组）、"b"（浮点数）、"y_pred"（一个样本时是浮点数，
        一批样本时是形状为 (n,) 的数组）和 "loss"（浮点数）。
    """
    ### BEGIN SOLUTION
    w = np.array(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    history = []
    for k in range(epochs + 1):
        y_pred = x @ w + b
        dL_dy = 2 * (y_pred - y_true) / np.size(y_pred)   # chain rule through the mse
        loss = float(np.mean((y_true - y_pred) ** 2))
        history.append({"w": w.copy(), "b": float(b), "loss": loss,
                        "y_pred": float(y_pred) if np.ndim(y_pred) == 0 else y_pred})
        if k < epochs:
            w = w - lr * (dL_dy @ x if x.ndim == 2 else dL_dy * x)
            b = b - lr * float(np.sum(dL_dy))
    return history
    ### END SOLUTION
