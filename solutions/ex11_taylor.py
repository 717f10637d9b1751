"""ex11: the second-order Taylor expansion behind the update rule (documents 000, 002)."""
import numpy as np


def taylor2(L0, g, H, delta):
    """Second-order Taylor expansion: L(θ + δ) ≈ L0 + g·δ + ½ δᵀ H δ.

    Args:
        L0: the loss at θ, a Python float.
        g: the gradient at θ, a float64 array of shape (n,).
        H: the Hessian at θ, a float64 array of shape (n, n).
        delta: the step δ, a float64 array of shape (n,).
    Returns:
        A float.

    二阶泰勒展开：L(θ + δ) ≈ L0 + g·δ + ½ δᵀ H δ。

    参数:
        L0: θ 处的损失，Python 浮点数（float）。
        g: θ 处的梯度，形状为 (n,) 的 float64 数组。
        H: θ 处的 Hessian 矩阵，形状为 (n, n) 的 float64 数组。
        delta: 步长 δ，形状为 (n,) 的 float64 数组。
    返回:
        一个浮点数。
    """
    ### BEGIN SOLUTION
    g, H, delta = (np.asarray(a, dtype=np.float64) for a in (g, H, delta))
    return float(L0 + g @ delta + 0.5 * delta @ H @ delta)
    ### END SOLUTION


def hessian(f, theta, eps=1e-4):
    """Numerical Hessian H_ij = ∂²f / ∂θ_i ∂θ_j by central differences.

    H_ij ≈ [f(θ+εe_i+εe_j) − f(θ+εe_i−εe_j) − f(θ−εe_i+εe_j) + f(θ−εe_i−εe_j)] / 4ε².

    Args:
        f: a function that takes a float64 array of shape (n,) and returns a float.
        theta: the point θ, a float64 array of shape (n,); left unchanged.
        eps: the step ε, a Python float.
    Returns:
        The Hessian, an array of shape (n, n).

    用中心差分求数值 Hessian 矩阵 H_ij = ∂²f / ∂θ_i ∂θ_j。

    H_ij ≈ [f(θ+εe_i+εe_j) − f(θ+εe_i−εe_j) − f(θ−εe_i+εe_j) + f(θ−εe_i−εe_j)] / 4ε²。

    参数:
        f: 一个函数（function），输入形状为 (n,) 的 float64 数组，返回一个浮点数。
        theta: 点 θ，形状为 (n,) 的 float64 数组；不得修改。
        eps: 步长 ε，Python 浮点数（float）。
    返回:
        Hessian 矩阵，形状为 (n, n) 的数组。
    """
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=np.float64)
    n = theta.size
    steps = np.eye(n) * eps
    H = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = steps[i], steps[j]
            H[i, j] = (f(theta + ei + ej) - f(theta + ei - ej)
                       - f(theta - ei + ej) + f(theta - ei - ej)) / (4 * eps * eps)
    return H
    ### END SOLUTION
