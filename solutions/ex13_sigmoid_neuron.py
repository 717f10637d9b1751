"""ex13: the gradients of a single sigmoid neuron, the CS7015 toy data (document 002)."""
import numpy as np


def sigmoid_neuron_grads(w, b, x, y):
    """(dL/dw, dL/db) for f(x) = σ(w x + b) and L = ½ Σ (f(x) − y)².

    dL/dw = Σ (f − y) f (1 − f) x,  dL/db = Σ (f − y) f (1 − f).

    Args:
        w, b: floats.  x, y: 1-D arrays of the same length.
    Returns:
        Two floats, dL_dw and dL_db.
    """
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    f = 0.5 * (1 + np.tanh(0.5 * (w * x + b)))      # σ(wx + b) without overflow
    delta = (f - y) * f * (1 - f)                   # dL/dz for each sample
    return float(np.sum(delta * x)), float(np.sum(delta))
    ### END SOLUTION
