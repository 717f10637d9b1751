"""ex12: three ways to update w, and gradient descent (documents 001, 004)."""
import numpy as np


def step_fixed(w, size):
    """The fixed-value method (固定值法): w − size.

    Args:
        w: a Python float or a float64 array of shape (d,); not changed.
        size: the fixed step, a Python float.
    Returns:
        w − size, shaped like w (a float for a float w).

    固定值法：w − size。

    参数:
        w: Python 浮点数（float）或形状为 (d,) 的 float64 数组；不得修改。
        size: 固定的步长，Python 浮点数（float）。
    返回:
        w − size，形状与 w 相同（w 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - size
    ### END SOLUTION


def step_sign(w, slope, size):
    """The slope-sign method (斜率法): w − size · sign(slope).

    Args:
        w: a Python float or a float64 array of shape (d,); not changed.
        slope: the slope at w, of the same type and shape as w.
        size: the step, a Python float.
    Returns:
        The new w, shaped like w (a float for a float w).

    斜率法：w − size · sign(slope)。

    参数:
        w: Python 浮点数（float）或形状为 (d,) 的 float64 数组；不得修改。
        slope: w 处的斜率，类型和形状与 w 相同。
        size: 步长，Python 浮点数（float）。
    返回:
        新的 w，形状与 w 相同（w 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - size * np.sign(slope)
    ### END SOLUTION


def step_gd(w, slope, lr):
    """Gradient descent (小固定值*斜率): w − lr · slope.

    Args:
        w: a Python float or a float64 array of shape (d,); not changed.
        slope: the slope at w, of the same type and shape as w.
        lr: the learning rate, a Python float.
    Returns:
        The new w, shaped like w (a float for a float w).

    梯度下降（小固定值*斜率）：w − lr · slope。

    参数:
        w: Python 浮点数（float）或形状为 (d,) 的 float64 数组；不得修改。
        slope: w 处的斜率，类型和形状与 w 相同。
        lr: 学习率，Python 浮点数（float）。
    返回:
        新的 w，形状与 w 相同（w 是浮点数时返回浮点数）。
    """
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=np.float64) - lr * np.asarray(slope, dtype=np.float64)
    ### END SOLUTION


def gradient_descent(grad_fn, w0, lr, steps):
    """The iterates w_0, w_1, …, w_steps of w_{k+1} = w_k − lr · grad_fn(w_k).

    Args:
        grad_fn: a function that takes w (a float or an array like w0) and returns the
            gradient at w, of the same type and shape.
        w0: the start, a Python float or a float64 array of shape (d,).
        lr: the learning rate, a Python float.
        steps: the number of updates, a Python int.
    Returns:
        An array of shape (steps + 1,) for a float w0, (steps + 1, d) otherwise;
        the first row is w0.

    梯度下降的迭代值 w_0, w_1, …, w_steps，其中 w_{k+1} = w_k − lr · grad_fn(w_k)。

    参数:
        grad_fn: 一个函数（function），输入 w（浮点数或与 w0 形状相同的数组），
            返回 w 处的梯度，类型和形状与 w 相同。
        w0: 起点，Python 浮点数（float）或形状为 (d,) 的 float64 数组。
        lr: 学习率，Python 浮点数（float）。
        steps: 更新次数，Python 整数（int）。
    返回:
        w0 是浮点数时返回形状为 (steps + 1,) 的数组，否则为 (steps + 1, d)；第一行是 w0。
    """
    ### BEGIN SOLUTION
    path = [np.asarray(w0, dtype=np.float64)]
    for _ in range(steps):
        path.append(path[-1] - lr * np.asarray(grad_fn(path[-1]), dtype=np.float64))
    return np.stack(path)
    ### END SOLUTION
