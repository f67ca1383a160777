"""The fast opcode decoder yields exactly what pickletools.genops yields, errors included."""

from __future__ import annotations

import io
import pickle
import pickletools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models._pickle_decode import _iter_any, iter_ops
from aiwarden.analyzers.models._stream import BoundedReader, Budget

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


class _Trickle:
    """A source that returns at most ``step`` bytes per read: buffer edges everywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def read(self, size: int = -1, /) -> bytes:
        return self._data.read(self._step if size < 0 else min(size, self._step))


def _bounded_outcome(
    decoder: object, data: bytes, step: int, limit: int
) -> tuple[list[tuple[object, ...]], str]:
    """Ops with the reader's position and both budgets after each, and the error."""
    budget = Budget(Limits(max_read_bytes=limit, max_decompressed_bytes=limit + 7))
    reader = BoundedReader(_Trickle(data, step), budget, decompressed=True)
    ops: list[tuple[object, ...]] = []
    try:
        for op, arg, pos in decoder(reader):  # type: ignore[operator]
            state = (reader.tell(), budget.read_left, budget.decompressed_left)
            ops.append((op.name, repr(arg), pos, *state))
    except (ValueError, LimitExceeded) as exc:
        return ops, f"{type(exc).__name__}: {exc}"
    return ops, ""


@settings(max_examples=200, deadline=None)
@given(
    _values,
    st.integers(min_value=0, max_value=5),
    st.data(),
    st.integers(min_value=1, max_value=70_000),
    st.integers(min_value=0, max_value=400),
)
def test_buffered_path_matches_reading_op_by_op(
    value: object, protocol: int, data: st.DataObject, step: int, limit: int
) -> None:
    """In-place decoding of a BoundedReader's buffer takes exactly what read() would.

    Same opcodes, arguments and offsets, the same reader position and budgets after
    every opcode, the same error (parse error or limit), whatever the chunking of the
    source and wherever the read limit falls.
    """
    raw = bytearray(pickle.dumps(value, protocol=protocol))
    if data.draw(st.booleans()):
        cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
        if data.draw(st.booleans()) and cut < len(raw):
            raw[cut] = data.draw(st.integers(min_value=0, max_value=255))
        else:
            del raw[cut:]
    blob = bytes(raw)
    buffered = _bounded_outcome(iter_ops, blob, step, limit)
    one_by_one = _bounded_outcome(_iter_any, blob, step, limit)
    assert buffered == one_by_one
    if limit >= len(blob) + 1:
        ops, error = _outcome(pickletools.genops, blob)
        assert [op[:3] for op in buffered[0]] == ops
        assert (buffered[1] == "") == (error == "")


_EVERY_KIND = [
    pickle.dumps(value, protocol=protocol)
    for protocol in (0, 2, 4, 5)
    for value in (
        ["ab", "x" * 300, b"by", b"y" * 300, 7, 300, 70_000, 2**40, -(2**70), 1.5, None, True],
        {"k": ("t", ("u", "v", "w"), bytearray(b"z"))},
    )
]


@pytest.mark.parametrize("blob", _EVERY_KIND, ids=range(len(_EVERY_KIND)))
@pytest.mark.parametrize("step", [1, 2, 3, 64, 1 << 16])
def test_buffered_path_at_every_limit(blob: bytes, step: int) -> None:
    """Every read limit from 0 to past the end: no byte is taken beyond an allowance."""
    for limit in range(len(blob) + 2):
        assert _bounded_outcome(iter_ops, blob, step, limit) == _bounded_outcome(
            _iter_any, blob, step, limit
        ), limit
