"""ex07: fully connected layers and the forward pass of a network (documents 000, 003, 004)."""
import numpy as np

# The activation functions, given: this exercise is about the layers.
ACTIVATIONS = {
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),  # = 1 / (1 + e^(−z)), no overflow
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def dense(x, W, b, activation):
    """One fully connected layer: a = activation(x Wᵀ + b).

    Args:
        x: one sample (in,) or a batch (n, in).
        W: weights, shape (out, in).  b: biases, shape (out,).
        activation: "sigmoid", "relu" or "linear".
    Returns:
        The activations, shape (out,) or (n, out).
    """
    ### BEGIN SOLUTION
    z = np.asarray(x, dtype=np.float64) @ np.asarray(W, dtype=np.float64).T + np.asarray(b)
    return ACTIVATIONS[activation](z)
    ### END SOLUTION


def forward(x, layers):
    """The output of the last layer, each layer's output feeding the next.

    Args:
        x: one sample (in,) or a batch (n, in).
        layers: a list of (W, b, activation) tuples, as for `dense`.
    Returns:
        The output of the last layer, shape (out,) or (n, out).
    """
    ### BEGIN SOLUTION
    a = np.asarray(x, dtype=np.float64)
    for W, b, activation in layers:
        a = dense(a, W, b, activation)
    return a
    ### END SOLUTION
