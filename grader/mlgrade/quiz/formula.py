"""Safe parsing and numeric evaluation of a student's formula, e.g. "s*(1 - s)".

The text is parsed with `ast` into a tree whose every node is checked against a
whitelist (numbers, the question's variables, + − * / ** and a few functions); the
tree is then evaluated by the walk below in float64.  Nothing is ever passed to
`eval` or `compile`.  Size is bounded (characters, nodes) and so are exponents, so
`9**9**9` is refused at once instead of hanging.
"""
import ast
import math

import numpy as np

MAX_CHARS = 200
MAX_NODES = 120
MAX_EXPONENT = 64

_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
           ast.Div: np.divide, ast.Pow: np.power}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
FUNCTIONS = {
    "exp": np.exp, "log": np.log, "ln": np.log, "sqrt": np.sqrt, "tanh": np.tanh, "abs": np.abs,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)), "relu": lambda z: np.maximum(z, 0.0),
}
FUNCTIONS["σ"] = FUNCTIONS["sigmoid"]
CONSTANTS = {"e": math.e, "pi": math.pi}
# Characters a student may type from the documents or a Chinese keyboard.
_SPELLINGS = {"−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "^": "**",
              "（": "(", "）": ")", "，": ",", "η": "eta", "ŷ": "yhat"}


class FormulaError(ValueError):
    """The text is not an acceptable formula; `key` and `params` name the reason (locale)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def normalize(text: str) -> str:
    for odd, plain in _SPELLINGS.items():
        text = text.replace(odd, plain)
    return text.strip()


def parse(text: str, variables: tuple[str, ...]) -> ast.Expression:
    """The checked syntax tree of `text`; FormulaError if anything is outside the whitelist."""
    if not isinstance(text, str):
        raise FormulaError("not_text")
    if len(text) > MAX_CHARS:
        raise FormulaError("too_long", limit=MAX_CHARS)
    source = normalize(text)
    if not source:
        raise FormulaError("empty")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FormulaError("syntax") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError("too_long", limit=MAX_CHARS)
    for node in nodes:
        _allowed(node, variables)
    return tree


def _allowed(node: ast.AST, variables: tuple[str, ...]) -> None:
    """Raise FormulaError unless `node` is one of the few kinds a formula needs."""
    if isinstance(node, (ast.Expression, ast.Load, ast.operator, ast.unaryop)):
        if isinstance(node, ast.operator) and type(node) not in _BINARY:
            raise FormulaError("operator")
        if isinstance(node, ast.unaryop) and type(node) not in _UNARY:
            raise FormulaError("operator")
        return
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError("constant", text=repr(node.value)[:20])
        return
    if isinstance(node, ast.Name):
        if node.id not in variables and node.id not in CONSTANTS and node.id not in FUNCTIONS:
            raise FormulaError("unknown_name", name=node.id, names=", ".join(variables))
        return
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in variables:
            raise FormulaError("not_a_function", name=name)
        if name not in FUNCTIONS or node.keywords or len(node.args) != 1:
            raise FormulaError("function", functions=", ".join(sorted(FUNCTIONS)))
        return
    raise FormulaError("syntax")


def evaluate(tree: ast.Expression, values: dict[str, np.ndarray]) -> np.ndarray:
    """The formula's value at every point of `values` (arrays of one shape), in float64."""
    with np.errstate(all="ignore"):
        return np.asarray(_eval(tree.body, values), dtype=np.float64)


def _eval(node: ast.AST, values: dict):
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        if node.id in values:
            return values[node.id]
        if node.id in CONSTANTS:
            return np.float64(CONSTANTS[node.id])
        raise FormulaError("function_as_value", name=node.id)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Pow) and np.any(np.abs(right) > MAX_EXPONENT):
            raise FormulaError("exponent", limit=MAX_EXPONENT)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_eval(node.args[0], values))
    raise FormulaError("syntax")


def agrees(text: str, reference, variables: tuple[str, ...], points: dict[str, np.ndarray],
           rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Whether `text` equals `reference(**points)` at every point (FormulaError if unparsable)."""
    got = evaluate(parse(text, variables), points)
    want = np.asarray(reference(**points), dtype=np.float64)
    return bool(np.all(np.isfinite(got)) and np.allclose(got, want, rtol=rtol, atol=atol))
