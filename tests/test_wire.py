"""The wire format: plain data in, plain data out, nothing live ever decoded."""
import json
import math

import numpy as np
import pytest

from mlgrade.worker import wire


def roundtrip(value):
    return wire.loads(wire.dumps({"v": value}))["v"]


@pytest.mark.parametrize("value", [0.25, -3, None, "text", [1, [2.5, None]], (1.0, 2.0),
                                   {"w": 1.0, "b": [2]}])
def test_plain_values_roundtrip(value):
    assert roundtrip(value) == value


def test_arrays_keep_dtype_shape_and_0d():
    for a in (np.arange(6.0).reshape(2, 3), np.array(3.5), np.array([True, False]),
              np.arange(4, dtype=np.int32)):
        back = roundtrip(a)
        assert back.dtype == a.dtype and back.shape == a.shape and np.array_equal(back, a)
    scalar = roundtrip(np.float64(2.5))
    assert isinstance(scalar, np.floating) and scalar == 2.5


def test_non_finite_floats_roundtrip():
    back = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1:] == [math.inf, -math.inf]


def test_objects_become_unsupported_markers():
    class Liar(float):
        def __eq__(self, other):
            return True

    class Anything:
        pass

    for value in (Liar(1.0), Anything(), np.array(["a"]), np.array([object()]), {1: 2}):
        back = roundtrip(value)
        assert isinstance(back, wire.Unsupported)
    assert "subclass of float" in roundtrip(Liar(1.0)).type_name


@pytest.mark.parametrize("line", [
    b'{"v": {"$nd": "|O", "shape": [1], "data": "AAAAAAAAAAA="}}',   # object dtype
    b'{"v": {"$nd": "<f8", "shape": [3], "data": "AAAAAAAAAAA="}}',  # data too short
    b'{"v": {"__reduce__": 1}}',                                      # unknown tag
    b'[1, 2]', b'not json',
])
def test_forged_messages_are_rejected(line):
    with pytest.raises(wire.WireError):
        wire.loads(line)


def test_messages_are_single_json_lines():
    line = wire.dumps({"v": np.ones((2, 2)), "s": "a\nb"})
    assert line.count(b"\n") == 1 and json.loads(line)
