"""Formulas typed by students are parsed, never evaluated by Python: whitelist and bounds."""
import time

import numpy as np
import pytest

from mlgrade.quiz import formula
from mlgrade.quiz.formula import FormulaError

S = {"s": np.array([0.1, 0.5, 0.9])}


def value(text: str, variables=("s",), points=S):
    return formula.evaluate(formula.parse(text, variables), points)


def test_arithmetic_functions_and_the_documents_spellings():
    assert np.allclose(value("s*(1-s)"), [0.09, 0.25, 0.09])
    assert np.allclose(value("s·(1 − s)"), [0.09, 0.25, 0.09])
    assert np.allclose(value("s^2 + e - e"), [0.01, 0.25, 0.81])
    assert np.allclose(value("sigmoid(0) + relu(-s) + exp(0) + log(e) + sqrt(4)"), 4.5)


@pytest.mark.parametrize("text, reason", [
    ("__import__('os').system('true')", "function"),
    ("s.__class__", "syntax"),
    ("(lambda: 1)()", "function"),
    ("[s] * 10", "syntax"),
    ("'a' * 10", "constant"),
    ("s if s else 1", "syntax"),
    ("s < 1", "syntax"),
    ("s and 1", "syntax"),
    ("f'{s}'", "syntax"),
    ("open", "unknown_name"),
    ("x + 1", "unknown_name"),
    ("s(1 - s)", "not_a_function"),
    ("exp(1, 2)", "function"),
    ("exp(z=1)", "function"),
    ("s // 2", "operator"),
    ("s % 2", "operator"),
    ("s @ s", "operator"),
    ("~1", "operator"),
    ("True + s", "constant"),
    ("1j * s", "constant"),
    ("", "empty"),
    ("s +", "syntax"),
    ("s = 1", "syntax"),
    ("import os", "syntax"),
])
def test_everything_outside_the_whitelist_is_refused(text, reason):
    with pytest.raises(FormulaError) as info:
        value(text)
    assert info.value.key == reason


def test_size_and_exponents_are_bounded_so_nothing_hangs():
    start = time.perf_counter()
    for text in ("9**9**9", "2**10**10", "(s+1)**(9**9)", "10**1000"):
        with pytest.raises(FormulaError) as info:
            value(text)
        assert info.value.key == "exponent", text
    for text in ("s+" * 150 + "s", "(" * 150 + "s" + ")" * 150, "-" * 199 + "s"):
        with pytest.raises(FormulaError) as info:
            value(text)
        assert info.value.key in ("too_long", "syntax"), text
    with pytest.raises(FormulaError):
        value("1" * 5000)
    assert time.perf_counter() - start < 5       # all refused at once (generous on a busy machine)


def test_huge_values_become_inf_not_errors_or_hangs():
    got = value("exp(1000) * 1e308")
    assert np.all(np.isinf(got))


def test_a_function_name_alone_is_not_a_value():
    with pytest.raises(FormulaError) as info:
        value("exp + 1")
    assert info.value.key == "function_as_value"
