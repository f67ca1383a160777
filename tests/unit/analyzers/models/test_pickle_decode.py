"""The fast opcode decoder yields exactly what pickletools.genops yields, errors included."""

from __future__ import annotations

import io
import pickle
import pickletools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.models._pickle_decode import iter_ops

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
    | st.builds(bytearray, st.binary())
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


def _outcome(decoder: object, data: bytes) -> tuple[list[tuple[str, str, int | None]], str]:
    ops: list[tuple[str, str, int | None]] = []
    try:
        for op, arg, pos in decoder(io.BytesIO(data)):  # type: ignore[operator]
            ops.append((op.name, repr(arg), pos))  # repr: a corrupted float may be NaN
    except ValueError as exc:
        return ops, str(exc)
    return ops, ""


@settings(max_examples=150, deadline=None)
@given(_values, st.integers(min_value=0, max_value=5))
def test_valid_pickles_decode_identically(value: object, protocol: int) -> None:
    data = pickle.dumps(value, protocol=protocol)
    assert _outcome(iter_ops, data) == _outcome(pickletools.genops, data)


@settings(max_examples=150, deadline=None)
@given(_values, st.integers(min_value=0, max_value=5), st.data())
def test_truncated_and_corrupted_pickles_fail_identically(
    value: object, protocol: int, data: st.DataObject
) -> None:
    raw = bytearray(pickle.dumps(value, protocol=protocol))
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    if data.draw(st.booleans()) and cut < len(raw):
        raw[cut] = data.draw(st.integers(min_value=0, max_value=255))
    else:
        del raw[cut:]
    assert _outcome(iter_ops, bytes(raw)) == _outcome(pickletools.genops, bytes(raw))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff",
        b"\x80\x05\x95",
        b"X\xff\xff\xff\xff",
        b"T\xff\xff\xff\xff.",
        b"\x8b\xff\xff\xff\xff.",
        b"\x8e" + b"\xff" * 8,
        b"\x8a\x2e",
        b"\x8b\x05\x00\x00\x00\x01",
        b"cos\nsystem\n(S'id'\ntR.",
        b"I01\nI00\nF1.5\nL5L\nV\\u0041\n.",
    ],
)
def test_edge_cases_decode_identically(data: bytes) -> None:
    assert _outcome(iter_ops, data) == _outcome(pickletools.genops, data)
