"""In the style of CS231n's assignments: affine layers, softmax_loss, gradient checks."""
import numpy as np


def predict(w, x, b):
    out = x.reshape(-1, w.shape[0]).dot(w) + b
    return out[0] if x.ndim == 1 else out


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + eps
        fxph = f(x)
        x[ix] = oldval - eps
        fxmh = f(x)
        x[ix] = oldval                      # restore
        grad[ix] = (fxph - fxmh) / (2 * eps)
        it.iternext()
    return grad


def relative_error(a, b):
    return np.max(np.abs(a - b) / (np.maximum(1e-8, np.abs(a) + np.abs(b))))


def dense(x, W, b, activation):
    out = x.reshape(x.shape[0], -1).dot(W.T) + b if x.ndim > 1 else W.dot(x) + b
    if activation == "relu":
        out = np.maximum(0, out)
    elif activation == "sigmoid":
        out = 0.5 * (1 + np.tanh(0.5 * out))
    return out


def softmax_cross_entropy_grad(z, y):
    scores = np.atleast_2d(z)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted), axis=1, keepdims=True)
    probs = np.exp(shifted - np.log(Z))
    N = scores.shape[0]
    dx = probs.copy()
    dx[np.arange(N), np.atleast_1d(y)] -= 1
    dx /= N
    return dx.reshape(z.shape)


def cross_entropy(probs, y):
    probs = np.atleast_2d(probs)
    N = probs.shape[0]
    return -np.sum(np.log(probs[np.arange(N), np.atleast_1d(y)])) / N
