"""Correct results in every form the catalog allows: object arrays (np.frompyfunc,
np.vectorize), lists, 0-d arrays, numpy scalars, int dtypes where exact."""
import math

import numpy as np


def _sigma(v):
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


_sigmoid_obj = np.frompyfunc(_sigma, 1, 1)


def sigmoid(z):
    return _sigmoid_obj(z)                      # dtype object (or a float for a float z)


def sigmoid_grad(z):
    s = np.vectorize(_sigma, otypes=[object])(z)
    return s * (1 - s)


def relu(z):
    return np.maximum(z, 0).tolist() if np.ndim(z) else max(z, 0.0)


def relu_grad(z):
    return (np.asarray(z) > 0).astype(np.int8)  # an int dtype: exact


def hard_sigmoid(z):
    return np.asarray(np.clip(z, 0, 1), dtype=object)


def predict(w, x, b):
    return np.asarray(np.dot(x, w) + b)         # a 0-d array for one sample


def mse(y_true, y_pred):
    return np.float64(np.mean(np.square(np.subtract(y_true, y_pred))))


def mae(y_true, y_pred):
    return np.array(np.mean(np.abs(np.subtract(y_true, y_pred))))


def step_fixed(w, size):
    return (np.asarray(w) - size).tolist()


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).tolist()
