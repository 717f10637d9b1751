"""ex09: softmax and cross-entropy, and their joint gradient (document 004)."""
import numpy as np


def softmax(z):
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j), along the last axis.

    Args:
        z: the logits, a float64 array of shape (k,) or (n, k).
    Returns:
        The probabilities, an array shaped like z; stable for logits as large as 1e4.

    softmax(z)_k = e^(z_k) / Σ_j e^(z_j)，沿最后一个轴计算。

    参数:
        z: logits，形状为 (k,) 或 (n, k) 的 float64 数组。
    返回:
        概率，形状与 z 相同的数组；logits 大到 1e4 时也要数值稳定。
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # subtracting the max changes nothing
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION


def cross_entropy(probs, y):
    """Cross-entropy L = −1/n Σ_i log probs[i, y_i], the mean over the batch.

    Args:
        probs: the probabilities, a float64 array of shape (k,) (one sample) or (n, k).
        y: the true class, a Python int for one sample; an int array of shape (n,) for a batch.
    Returns:
        A float.

    交叉熵 L = −1/n Σ_i log probs[i, y_i]，对整批样本取平均。

    参数:
        probs: 概率，形状为 (k,)（一个样本）或 (n, k) 的 float64 数组。
        y: 真实类别；一个样本时是 Python 整数（int），一批样本时是形状为 (n,) 的整数（int）数组。
    返回:
        一个浮点数。
    """
    ### BEGIN SOLUTION
    P = np.atleast_2d(np.asarray(probs, dtype=np.float64))
    y = np.atleast_1d(np.asarray(y, dtype=int))
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))
    ### END SOLUTION


def softmax_cross_entropy_grad(z, y):
    """dL/dz for L = cross_entropy(softmax(z), y): (softmax(z) − onehot(y)) / n.

    Args:
        z: the logits, a float64 array of shape (k,) (one sample) or (n, k).
        y: the true class, a Python int for one sample; an int array of shape (n,) for a batch.
    Returns:
        dL/dz, an array shaped like z.

    L = cross_entropy(softmax(z), y) 对 z 的梯度：(softmax(z) − onehot(y)) / n。

    参数:
        z: logits，形状为 (k,)（一个样本）或 (n, k) 的 float64 数组。
        y: 真实类别；一个样本时是 Python 整数（int），一批样本时是形状为 (n,) 的整数（int）数组。
    返回:
        dL/dz，形状与 z 相同的数组。
    """
    ### BEGIN SOLUTION
    p = softmax(z)
    P = np.atleast_2d(p).copy()
    y = np.atleast_1d(np.asarray(y, dtype=int))
    P[np.arange(len(y)), y] -= 1                    # subtract the one-hot target
    return (P / len(y)).reshape(p.shape)
    ### END SOLUTION
