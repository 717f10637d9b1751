"""A second correct implementation of every catalog function, written apart from solutions/.

It takes other routes than the reference solutions (log-sum-exp, einsum, explicit loops,
exp(−|z|)) so that a check which only accepts the reference's own rounding shows up in the
seed sweep.  Function names are unique across the catalog, so this one module serves as
the workspace module of every exercise.
"""
import math

import numpy as np


# ex01_forward
def predict(w, x, b):
    y = np.einsum("...d,d->...", x, w) + b
    return y.item() if y.ndim == 0 else y


# ex02_mse
def mse(y_true, y_pred):
    e = np.ravel(np.subtract(y_true, y_pred))
    return math.fsum(e * e) / e.size


def mae(y_true, y_pred):
    e = np.ravel(np.subtract(y_true, y_pred))
    return math.fsum(np.abs(e)) / e.size


# ex03_chain_rule
def mse_grad_pred(y_true, y_pred):
    diff = np.subtract(y_pred, y_true)
    return diff * (2.0 / np.size(diff))


def linear_mse_grads(w, x, b, y_true):
    X = x.reshape(-1, w.size)
    err = (X @ w + b - np.reshape(y_true, -1)) * (2.0 / len(X))
    return np.einsum("n,nd->d", err, X), float(err.sum())


# ex04_update
def sgd_update(param, grad, lr):
    return param + (-lr) * grad


def train_linear(w, b, x, y_true, lr, epochs):
    history = []
    for k in range(epochs + 1):
        y_pred = x @ w + b
        err = y_pred - y_true
        history.append({"w": np.copy(w), "b": b, "y_pred": y_pred,
                        "loss": float(np.mean(np.square(err)))})
        if k == epochs:
            break
        g = 2 * err / np.size(err)
        w = w - lr * (x.T @ g if x.ndim == 2 else g * x)
        b = b - lr * float(np.sum(g))
    return history


# ex05_sigmoid
def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(np.asarray(z) >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


# ex06_relu
def relu(z):
    return np.where(np.asarray(z) > 0, z, 0.0)


def relu_grad(z):
    return np.heaviside(z, 0.0)


def hard_sigmoid(z):
    return relu(z) - relu(np.subtract(z, 1))


# ex07_network
ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "linear": lambda z: z}


def dense(x, W, b, activation):
    return ACTIVATIONS[activation](np.einsum("...i,oi->...o", x, W) + b)


def forward(x, layers):
    for W, b, activation in layers:
        x = dense(x, W, b, activation)
    return x


# ex08_backprop
def backprop(x, y, W1, b1, W2, b2):
    X = x.reshape(-1, W1.shape[1])
    h = sigmoid(X @ W1.T + b1)
    o = sigmoid(h @ W2.T + b2)
    d_o = 2 * (o - np.reshape(y, o.shape)) / o.size
    d_z2 = d_o * sigmoid_grad(h @ W2.T + b2)
    d_z1 = d_z2 @ W2 * sigmoid_grad(X @ W1.T + b1)
    return {"W1": np.einsum("nh,nd->hd", d_z1, X), "b1": d_z1.sum(axis=0),
            "W2": np.einsum("no,nh->oh", d_z2, h), "b2": d_z2.sum(axis=0)}


# ex09_softmax
def _log_softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def softmax(z):
    return np.exp(_log_softmax(z))


def cross_entropy(probs, y):
    picked = np.take_along_axis(np.reshape(probs, (-1, probs.shape[-1])),
                                np.reshape(y, (-1, 1)), axis=1)
    return -float(np.mean(np.log(picked)))


def softmax_cross_entropy_grad(z, y):
    p = softmax(z).reshape(-1, z.shape[-1])
    onehot = np.eye(z.shape[-1])[np.reshape(y, -1)]
    return ((p - onehot) / len(p)).reshape(z.shape)


# ex10_gradcheck
def numerical_gradient(f, x, eps=1e-5):
    flat = x.astype(float).ravel()
    grad = np.empty_like(flat)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up.reshape(x.shape)) - f(down.reshape(x.shape))) / (2 * eps)
    return grad.reshape(x.shape)


def relative_error(a, b):
    a, b = np.ravel(a), np.ravel(b)
    best = 0.0
    for u, v in zip(a, b, strict=True):
        if u != 0 or v != 0:
            best = max(best, abs(u - v) / (abs(u) + abs(v)))
    return best


# ex11_taylor
def taylor2(L0, g, H, delta):
    return L0 + float(np.dot(g, delta)) + 0.5 * float(np.einsum("i,ij,j->", delta, H, delta))


def hessian(f, theta, eps=1e-4):
    n = theta.size
    H = np.zeros((n, n))
    steps = np.eye(n) * eps
    for i in range(n):
        for j in range(i, n):
            H[i, j] = H[j, i] = (f(theta + steps[i] + steps[j]) - f(theta + steps[i] - steps[j])
                                 - f(theta - steps[i] + steps[j])
                                 + f(theta - steps[i] - steps[j])) / (4 * eps * eps)
    return H


# ex12_descent
def step_fixed(w, size):
    return np.subtract(w, size)


def step_sign(w, slope, size):
    return np.subtract(w, np.multiply(size, np.sign(slope)))


def step_gd(w, slope, lr):
    return np.subtract(w, np.multiply(lr, slope))


def gradient_descent(grad_fn, w0, lr, steps):
    path = np.empty((steps + 1,) + np.shape(w0))
    path[0] = w0
    for k in range(steps):
        path[k + 1] = path[k] - lr * grad_fn(path[k])
    return path


# ex13_sigmoid_neuron
def sigmoid_neuron_grads(w, b, x, y):
    f = sigmoid(w * x + b)
    delta = (f - y) * f * (1 - f)
    return float(delta @ x), float(delta.sum())
