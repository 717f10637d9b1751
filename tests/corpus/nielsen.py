"""In the style of Nielsen's network.py: column vectors, zip over layers, sigmoid_prime."""
import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))     # network.py's 1/(1+exp(-z)), without overflow


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


sigmoid_grad = sigmoid_prime


def backprop(x, y, W1, b1, W2, b2):
    weights, biases = [W1, W2], [b1.reshape(-1, 1), b2.reshape(-1, 1)]
    X = np.atleast_2d(x).T                      # one column per sample
    Y = np.reshape(y, (X.shape[1], -1)).T
    activation, activations, zs = X, [X], []
    for b, w in zip(biases, weights, strict=True):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    delta = 2 * (activations[-1] - Y) / Y.size * sigmoid_prime(zs[-1])
    nabla_b = [None, delta.sum(axis=1)]
    nabla_w = [None, np.dot(delta, activations[-2].transpose())]
    delta = np.dot(weights[-1].transpose(), delta) * sigmoid_prime(zs[-2])
    nabla_b[0], nabla_w[0] = delta.sum(axis=1), np.dot(delta, activations[0].transpose())
    return {"W1": nabla_w[0], "b1": nabla_b[0], "W2": nabla_w[1], "b2": nabla_b[1]}


def forward(x, layers):
    a = np.atleast_2d(x).T
    for W, b, activation in layers:
        z = np.dot(W, a) + b.reshape(-1, 1)
        a = {"sigmoid": sigmoid, "relu": lambda v: np.maximum(v, 0), "linear": lambda v: v}[
            activation](z)
    return a[:, 0] if np.ndim(x) == 1 else a.T


def sigmoid_neuron_grads(w, b, x, y):
    grad_w = grad_b = 0.0
    for xi, yi in zip(x, y, strict=True):
        fx = sigmoid(w * xi + b)
        grad_w += (fx - yi) * fx * (1 - fx) * xi
        grad_b += (fx - yi) * fx * (1 - fx)
    return grad_w, grad_b
