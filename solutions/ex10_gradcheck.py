"""ex10: checking gradients with central differences (CS231n practice)."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Central differences: df/dx_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / 2ε.

    Args:
        f: a function that takes a float64 array shaped like x and returns a float.
        x: the point, a float64 array of any shape; left unchanged.
        eps: the step ε, a Python float.
    Returns:
        The gradient, an array shaped like x.

    中心差分：df/dx_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / 2ε。

    参数:
        f: 一个函数（function），输入与 x 形状相同的 float64 数组，返回一个浮点数。
        x: 求梯度的点，任意形状的 float64 数组；不得修改。
        eps: 步长 ε，Python 浮点数（float）。
    返回:
        梯度，形状与 x 相同的数组。
    """
    ### BEGIN SOLUTION
    x = np.array(x, dtype=np.float64)              # a copy: the caller's x is not changed
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    ### END SOLUTION


def relative_error(a, b):
    """max over entries of |a − b| / (|a| + |b|), an entry where both are 0 counting 0.

    Args:
        a: a Python float or a float64 array of any shape.
        b: of the same type and shape as a.
    Returns:
        A float.

    逐元素计算 |a − b| / (|a| + |b|) 并取最大值；两者都为 0 的元素记为 0。

    参数:
        a: Python 浮点数（float）或任意形状的 float64 数组。
        b: 类型和形状与 a 相同。
    返回:
        一个浮点数。
    """
    ### BEGIN SOLUTION
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    num, den = np.abs(a - b), np.abs(a) + np.abs(b)
    ratio = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return float(np.max(ratio, initial=0.0))
    ### END SOLUTION
