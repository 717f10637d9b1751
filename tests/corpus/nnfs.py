"""In the style of "Neural Networks from Scratch": layer objects, weights stored (in, out)."""
import numpy as np


class LayerDense:
    def __init__(self, W, b):
        self.weights = W.T                  # nnfs keeps (n_inputs, n_neurons)
        self.biases = b.reshape(1, -1)

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class ActivationSoftmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


def dense(x, W, b, activation):
    layer = LayerDense(W, b)
    layer.forward(np.atleast_2d(x))
    out = layer.output
    if activation == "relu":
        out = np.maximum(0, out)
    elif activation == "sigmoid":
        out = 1 / (1 + np.exp(-np.clip(out, -500, 500)))
    return out.reshape(-1) if x.ndim == 1 else out


def forward(x, layers):
    for W, b, activation in layers:
        x = dense(x, W, b, activation)
    return x


def softmax(z):
    act = ActivationSoftmax()
    act.forward(np.atleast_2d(z))
    return act.output.reshape(z.shape)


def softmax_cross_entropy_grad(z, y):
    dvalues = np.atleast_2d(softmax(z))
    y_true = np.atleast_1d(y)
    samples = len(dvalues)
    dinputs = dvalues.copy()
    dinputs[range(samples), y_true] -= 1
    dinputs = dinputs / samples
    return dinputs.reshape(z.shape)


def mse(y_true, y_pred):
    sample_losses = np.mean((np.atleast_1d(y_true) - np.atleast_1d(y_pred)) ** 2, axis=-1)
    return np.mean(sample_losses)


def mse_grad_pred(y_true, y_pred):
    dvalues = np.atleast_1d(y_pred)
    outputs = dvalues.shape[-1]
    samples = dvalues.size // outputs
    dinputs = -2 * (np.atleast_1d(y_true) - dvalues) / outputs
    return (dinputs / samples).reshape(np.shape(y_pred))


def relu(z):
    return np.maximum(0, z)


def relu_grad(z):
    dinputs = np.ones_like(z, dtype=float)
    dinputs[np.asarray(z) <= 0] = 0
    return dinputs
