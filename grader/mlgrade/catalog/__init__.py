"""The exercise declarations, one module per exercise, in catalog order."""
import importlib

from ..spec import Exercise

MODULES = (
    "ex01_forward", "ex02_mse", "ex03_chain_rule", "ex04_update", "ex05_sigmoid",
    "ex06_relu", "ex07_network", "ex08_backprop", "ex09_softmax", "ex10_gradcheck",
    "ex11_taylor", "ex12_descent", "ex13_sigmoid_neuron",
)


def get(module: str) -> Exercise:
    """The declaration of one exercise module."""
    return importlib.import_module(f"{__name__}.{module}").EXERCISE


def path(module: str) -> str:
    """The file that declares `module`, for pytest to collect."""
    return importlib.import_module(f"{__name__}.{module}").__file__


def exercises() -> list[Exercise]:
    return [get(m) for m in MODULES]
