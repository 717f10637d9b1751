"""ex09: softmax and cross-entropy, and their joint gradient (document 004)."""
import numpy as np


def softmax(z):
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j), along the last axis.

    Args:
        z: logits, shape (k,) or (n, k).
    Returns:
        Probabilities shaped like z; stable for logits as large as 1e4.
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # subtracting the max changes nothing
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION


def cross_entropy(probs, y):
    """L = −1/n Σ_i log probs[i, y_i], the mean over the batch.

    Args:
        probs: probabilities, shape (k,) or (n, k).
        y: the true class, an int (one sample) or an int array of shape (n,).
    Returns:
        A float.
    """
    ### BEGIN SOLUTION
    P = np.atleast_2d(np.asarray(probs, dtype=np.float64))
    y = np.atleast_1d(np.asarray(y, dtype=int))
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))
    ### END SOLUTION


def softmax_cross_entropy_grad(z, y):
    """dL/dz for L = cross_entropy(softmax(z), y): (softmax(z) − onehot(y)) / n.

    Args:
        z: logits, shape (k,) or (n, k).
        y: an int or an int array of shape (n,).
    Returns:
        An array shaped like z.
    """
    ### BEGIN SOLUTION
    p = softmax(z)
    P = np.atleast_2d(p).copy()
    y = np.atleast_1d(np.asarray(y, dtype=int))
    P[np.arange(len(y)), y] -= 1                    # subtract the one-hot target
    return (P / len(y)).reshape(p.shape)
    ### END SOLUTION
