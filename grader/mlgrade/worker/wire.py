"""Plain-data wire format between grader and worker: JSON lines, never pickle.

Values are numbers, strings, None, lists, tuples, dicts with str keys and numpy
arrays of numeric dtype.  Anything else is sent as an `Unsupported` marker that
names its type, so the grading process never receives a live object.
"""
import base64
import json
import math

import numpy as np

MAX_DEPTH = 16
MAX_ITEMS = 1_000_000     # JSON values in one message (commas are counted before parsing)
MAX_CONTAINERS = 100_000  # lists and dicts in one message (brackets are counted)
MAX_BYTES = 16 << 20      # one message; a numeric array of up to ~12 MB fits
NUMERIC_KINDS = "biuf"


class WireError(ValueError):
    """A message that is not plain data of the agreed form."""


class Unsupported:
    """Stands for a value the worker could not send: an object, a string array, …"""

    def __init__(self, type_name: str, text: str = ""):
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


class Callable:
    """A named test function of `testfns` that a check passes to student code.

    It never crosses the wire: the grading process sends a `Function` in its place
    and evaluates it on the worker's callback requests (callbacks.py).
    """

    def __init__(self, name: str, **params):
        self.name = name
        self.params = params

    def __repr__(self) -> str:
        return f"<function {self.name}>"


class Function:
    """The stand-in of the `number`-th function passed in a call: nothing but a number."""

    def __init__(self, number: int):
        self.number = number


def _encode_float(x: float):
    if math.isfinite(x):
        return x
    return {"$f": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _real_items(a: np.ndarray) -> np.ndarray | None:
    """An object array whose items are all real numbers, as float64 (else None)."""
    if a.size > MAX_ITEMS:
        return None
    items = a.ravel().tolist()
    if not all(type(v) in (int, float) or isinstance(v, (np.integer, np.floating))
               for v in items):
        return None
    try:
        return np.array(items, dtype=np.float64).reshape(a.shape)
    except (OverflowError, ValueError):
        return None


def _encode_array(a: np.ndarray, scalar: bool):
    if a.dtype == object:
        real = _real_items(a)
        if real is None:
            return {"$bad": "numpy array of dtype object holding non-numbers", "repr": ""}
        return {**_encode_array(real, scalar), "object": True}
    if a.dtype.kind not in NUMERIC_KINDS:
        return {"$bad": f"numpy array of dtype {a.dtype}", "repr": ""}
    if a.dtype.itemsize > 1:
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
    data = base64.b64encode(a.tobytes(order="C")).decode("ascii")
    return {"$nd": a.dtype.str, "shape": list(a.shape), "data": data, "scalar": scalar}


def encode(obj, depth: int = 0):
    """Turn a value into JSON-able data, tagging what JSON cannot say."""
    if depth > MAX_DEPTH:
        return {"$bad": "structure nested too deeply", "repr": ""}
    t = type(obj)
    if obj is None or t is bool or t is int or t is str:
        return obj
    if t is float:
        return _encode_float(obj)
    if isinstance(obj, np.generic):
        return _encode_array(np.asarray(obj), scalar=True)
    if isinstance(obj, np.ndarray):
        return _encode_array(np.asarray(obj), scalar=False)
    if t is list:
        return [encode(v, depth + 1) for v in obj]
    if t is tuple:
        return {"$t": [encode(v, depth + 1) for v in obj]}
    if t is dict and all(type(k) is str for k in obj):
        return {"$d": [[k, encode(v, depth + 1)] for k, v in obj.items()]}
    if t is Function:
        return {"$fn": obj.number}
    return {"$bad": _type_name(obj), "repr": _safe_repr(obj)}


def _type_name(obj) -> str:
    t = type(obj)
    for base in (float, int, str, list, tuple, dict):
        if isinstance(obj, base):
            return f"{t.__name__} (a subclass of {base.__name__})"
    return t.__name__


def _safe_repr(obj) -> str:
    try:
        return str(object.__repr__(obj))[:200]
    except Exception:  # noqa: BLE001 - any object may break repr
        return ""


def decode(obj, depth: int = 0):
    """Inverse of `encode`, strict: anything unexpected raises WireError."""
    if depth > MAX_DEPTH + 2:
        raise WireError("nested too deeply")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, list):
        return [decode(v, depth + 1) for v in obj]
    if not isinstance(obj, dict) or len(obj) == 0:
        raise WireError(f"unexpected {type(obj).__name__}")
    if "$f" in obj:
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[obj["$f"]]
    if "$t" in obj:
        return tuple(decode(v, depth + 1) for v in obj["$t"])
    if "$d" in obj:
        return {str(k): decode(v, depth + 1) for k, v in obj["$d"]}
    if "$nd" in obj:
        return _decode_array(obj)
    if "$bad" in obj:
        return Unsupported(str(obj["$bad"])[:200], str(obj.get("repr", ""))[:200])
    if "$fn" in obj:
        if type(obj["$fn"]) is not int:
            raise WireError("bad function number")
        return Function(obj["$fn"])
    raise WireError(f"unknown tag {sorted(obj)[:3]}")


def _decode_array(obj) -> np.ndarray:
    dtype = np.dtype(str(obj["$nd"]))
    if dtype.kind not in NUMERIC_KINDS or dtype.itemsize > 16:
        raise WireError(f"dtype {dtype} is not numeric")
    shape = tuple(int(n) for n in obj["shape"])
    if any(n < 0 for n in shape) or len(shape) > 32:
        raise WireError("bad shape")
    raw = base64.b64decode(obj["data"], validate=True)
    if math.prod(shape) * dtype.itemsize != len(raw):
        raise WireError("array data does not match its shape")
    a = np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
    if obj.get("object"):      # an object array of real numbers: rebuilt of Python floats
        boxed = np.empty(shape, dtype=object)
        boxed.ravel()[:] = a.ravel().tolist() if a.size else []
        a = boxed
    return a[()] if obj.get("scalar") else a


def dumps(message: dict) -> bytes:
    """One message as one line of JSON."""
    return json.dumps(encode(message), separators=(",", ":")).encode() + b"\n"


def loads(line: bytes) -> dict:
    """Parse one line; raise WireError unless it is a dict of plain data.

    The size, the number of values and of containers are bounded before parsing, so a
    hostile line costs at most a few hundred ms and ~10 times MAX_BYTES of memory.
    """
    if len(line) > MAX_BYTES:
        raise WireError(f"message larger than {MAX_BYTES >> 20} MB")
    if line.count(b",") > MAX_ITEMS:
        raise WireError(f"more than {MAX_ITEMS} values")
    if line.count(b"[") + line.count(b"{") > MAX_CONTAINERS:
        raise WireError(f"more than {MAX_CONTAINERS} nested lists or dicts")
    try:
        message = decode(json.loads(line))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise WireError(str(exc)[:200]) from None
    if not isinstance(message, dict):
        raise WireError("message is not a dict")
    return message
