"""In the style of "Deep Learning from Scratch" (ゼロから作る): numerical_gradient with nditer
that changes x in place and restores it, softmax with c = max, batch-aware cross entropy."""
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    h = eps
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad


def softmax(z):
    if z.ndim == 2:
        z = z.T
        z = z - np.max(z, axis=0)
        y = np.exp(z) / np.sum(np.exp(z), axis=0)
        return y.T
    z = z - np.max(z)
    return np.exp(z) / np.sum(np.exp(z))


def cross_entropy(probs, y):
    if probs.ndim == 1:
        y = np.array([y])
        probs = probs.reshape(1, probs.size)
    batch_size = probs.shape[0]
    return -np.sum(np.log(probs[np.arange(batch_size), y])) / batch_size


def sigmoid(z):
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


def sigmoid_grad(z):
    return (1.0 - sigmoid(z)) * sigmoid(z)


def relu(z):
    mask = (z <= 0)
    out = np.array(z, dtype=float, copy=True)
    out[mask] = 0
    return out


def relu_grad(z):
    dout = np.ones_like(z, dtype=float)
    dout[z <= 0] = 0
    return dout


def gradient_descent(grad_fn, w0, lr, steps):
    x = np.array(w0, dtype=float)
    x_history = []
    for _ in range(steps):
        x_history.append(x.copy())
        x -= lr * grad_fn(x)
    x_history.append(x.copy())
    return np.array(x_history)
