"""ex08: backpropagation through a 2-2-1 sigmoid network (document 003)."""
import numpy as np


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^(−z)), no overflow


def backprop(x, y, W1, b1, W2, b2):
    """Backpropagation: the gradients of L = mse(y, o) for h = σ(x W1ᵀ + b1), o = σ(h W2ᵀ + b2).

    Args:
        x: one sample, a float64 array of shape (d,), or a batch, a float64 array of shape (n, d).
        y: the targets, as many as the outputs o: a Python float (one sample, one output)
            or a float64 array of shape (out,), (n,) for one output, or (n, out).
        W1: a float64 array of shape (hidden, d).
        b1: a float64 array of shape (hidden,).
        W2: a float64 array of shape (out, hidden).
        b2: a float64 array of shape (out,).
    Returns:
        A dict with the keys "W1", "b1", "W2", "b2", each an array shaped like its parameter.

    反向传播：对 h = σ(x W1ᵀ + b1)、o = σ(h W2ᵀ + b2) 求 L = mse(y, o) 的梯度。

    参数:
        x: 一个样本，形状为 (d,) 的 float64 数组；或一批样本，形状为 (n, d) 的 float64 数组。
        y: 目标值，个数与输出 o 相同：Python 浮点数（float，一个样本、一个输出），
            或形状为 (out,)、(n,)（一个输出）或 (n, out) 的 float64 数组。
        W1: 形状为 (hidden, d) 的 float64 数组。
        b1: 形状为 (hidden,) 的 float64 数组。
        W2: 形状为 (out, hidden) 的 float64 数组。
        b2: 形状为 (out,) 的 float64 数组。
    返回:
        字典（dict），键为 "W1"、"b1"、"W2"、"b2"，每个值是与对应参数形状相同的数组。
    """
    ### BEGIN SOLUTION
    X = np.atleast_2d(np.asarray(x, dtype=np.float64))        # (n, d)
    W1, W2 = np.asarray(W1, dtype=np.float64), np.asarray(W2, dtype=np.float64)
    h = _sigmoid(X @ W1.T + b1)                                # (n, hidden)
    o = _sigmoid(h @ W2.T + b2)                                # (n, out)
    y = np.asarray(y, dtype=np.float64).reshape(o.shape)
    dL_do = 2 * (o - y) / o.size                               # mse over all entries
    dL_dz2 = dL_do * o * (1 - o)                               # σ' = σ(1 − σ)
    dL_dz1 = (dL_dz2 @ W2) * h * (1 - h)                       # back through W2, then σ'
    return {"W1": dL_dz1.T @ X, "b1": dL_dz1.sum(axis=0),      # ∂z1/∂W1 = x, not W1
            "W2": dL_dz2.T @ h, "b2": dL_dz2.sum(axis=0)}
    ### END SOLUTION
