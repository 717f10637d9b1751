"""ex11: the second-order Taylor expansion behind the update rule (documents 000, 002)."""
import numpy as np


def taylor2(L0, g, H, delta):
    """L(θ + δ) ≈ L0 + g·δ + ½ δᵀ H δ.

    Args:
        L0: the loss at θ, a float.  g: the gradient at θ, shape (n,).
        H: the Hessian at θ, shape (n, n).  delta: the step δ, shape (n,).
    Returns:
        A float.
    """
    ### BEGIN SOLUTION
    g, H, delta = (np.asarray(a, dtype=np.float64) for a in (g, H, delta))
    return float(L0 + g @ delta + 0.5 * delta @ H @ delta)
    ### END SOLUTION


def hessian(f, theta, eps=1e-4):
    """Numerical Hessian H_ij = ∂²f / ∂θ_i ∂θ_j by central differences.

    H_ij ≈ [f(θ+εe_i+εe_j) − f(θ+εe_i−εe_j) − f(θ−εe_i+εe_j) + f(θ−εe_i−εe_j)] / 4ε².

    Args:
        f: a function of an array of shape (n,) returning a float.
        theta: the point, shape (n,); left unchanged.
        eps: the step ε.
    Returns:
        An array of shape (n, n).
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
