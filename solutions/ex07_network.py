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
        x: one sample, a float64 array of shape (in,), or a batch, a float64 array of shape (n, in).
        W: the weights, a float64 array of shape (out, in).
        b: the biases, a float64 array of shape (out,).
        activation: the activation function's name, a str: "sigmoid", "relu" or "linear".
    Returns:
        The activations, an array of shape (out,) for one sample, (n, out) for a batch.

    一个全连接层：a = activation(x Wᵀ + b)。

    参数:
        x: 一个样本，形状为 (in,) 的 float64 数组；或一批样本，形状为 (n, in) 的 float64 数组。
        W: 权重，形状为 (out, in) 的 float64 数组。
        b: 偏置，形状为 (out,) 的 float64 数组。
        activation: 激活函数的名字，字符串（str）："sigmoid"、"relu" 或 "linear"。
    返回:
        该层的输出：一个样本时是形状为 (out,) 的数组，一批样本时是 (n, out)。
    """
    ### BEGIN SOLUTION
    z = np.asarray(x, dtype=np.float64) @ np.asarray(W, dtype=np.float64).T + np.asarray(b)
    return ACTIVATIONS[activation](z)
    ### END SOLUTION


def forward(x, layers):
    """Forward propagation: the output of the last layer, each layer's output feeding the next.

    Args:
        x: one sample, a float64 array of shape (in,), or a batch, a float64 array of shape (n, in).
        layers: a list of (W, b, activation) tuples, as for `dense`: W a float64 array of
            shape (out, in), b a float64 array of shape (out,), activation a str.
    Returns:
        The output of the last layer, an array of shape (out,) or (n, out).

    前向传播：每一层的输出作为下一层的输入，返回最后一层的输出。

    参数:
        x: 一个样本，形状为 (in,) 的 float64 数组；或一批样本，形状为 (n, in) 的 float64 数组。
        layers: 由 (W, b, activation) 元组组成的列表（list），同 `dense`：W 是形状为
            (out, in) 的 float64 数组，b 是形状为 (out,) 的 float64 数组，activation 是字符串。
    返回:
        最后一层的输出，形状为 (out,) 或 (n, out) 的数组。
    """
    ### BEGIN SOLUTION
    a = np.asarray(x, dtype=np.float64)
    for W, b, activation in layers:
        a = dense(a, W, b, activation)
    return a
    ### END SOLUTION
