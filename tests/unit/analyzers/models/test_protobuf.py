"""The bounded protobuf wire-format reader, checked against the real protobuf library."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models.protobuf import (
    I32,
    I64,
    LEN,
    VARINT,
    ProtobufError,
    Walker,
    looks_like_onnx,
    mapped,
    path_looks_like_onnx,
    top_level,
)


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


def ld(number: int, payload: bytes) -> bytes:
    return tag(number, LEN) + varint(len(payload)) + payload


def small_model() -> onnx.ModelProto:
    node = helper.make_node("Relu", ["X"], ["Y"], name="relu")
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2])],
        [numpy_helper.from_array(np.zeros(4, np.float32), "W")],
    )
    return helper.make_model(graph, producer_name="test")


def test_top_level_fields_match_the_protobuf_library() -> None:
    model = small_model()
    data = model.SerializeToString()
    fields = top_level(Walker(data))
    expected = sorted(desc.number for desc, _value in model.ListFields())
    assert sorted({f.number for f in fields}) == expected
    graph = next(f for f in fields if f.number == 7)
    assert data[graph.start : graph.end] == model.graph.SerializeToString()
    ir = next(f for f in fields if f.number == 1)
    assert ir.wire == VARINT and ir.value == model.ir_version
    assert looks_like_onnx(fields)


@given(st.integers(min_value=0, max_value=(1 << 64) - 1))
def test_varint_round_trip(value: int) -> None:
    data = tag(1, VARINT) + varint(value)
    (field,) = top_level(Walker(data))
    assert (field.number, field.wire, field.value) == (1, VARINT, value)


def test_fixed_width_fields_decode_little_endian() -> None:
    data = tag(2, I64) + (7).to_bytes(8, "little") + tag(3, I32) + (9).to_bytes(4, "little")
    fields = top_level(Walker(data))
    assert [(f.number, f.wire, f.value) for f in fields] == [(2, I64, 7), (3, I32, 9)]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (tag(1, VARINT) + b"\xff\xff", "truncated varint"),
        (tag(1, VARINT) + b"\xff" * 11 + b"\x01", "longer than 10 bytes"),
        (tag(1, LEN) + varint(100) + b"abc", "runs past"),
        (tag(1, 3) + tag(1, 4), "group"),
        (tag(1, 4), "group"),
        (tag(1, 6), "unknown wire type 6"),
        (tag(1, 7), "unknown wire type 7"),
        (b"\x00\x01", "invalid field number 0"),
        (tag(1, I64) + b"\x00\x00", "truncated fixed-width"),
        (tag(1, I32) + b"\x00", "truncated fixed-width"),
    ],
)
def test_malformed_wire_data_raises_with_offset(data: bytes, needle: str) -> None:
    with pytest.raises(ProtobufError) as info:
        top_level(Walker(data))
    assert needle in info.value.message
    assert 0 <= info.value.offset < len(data)


def test_nested_length_cannot_escape_its_parent() -> None:
    inner = ld(1, b"x" * 10)
    # The parent claims 5 bytes but the child inside claims 10: the child must not escape.
    data = tag(7, LEN) + varint(5) + inner
    (parent,) = top_level(Walker(data[: 2 + 5]))
    with pytest.raises(ProtobufError):
        list(Walker(data).fields(parent.start, parent.end))
    outer = tag(7, LEN) + varint(len(inner)) + inner
    (parent,) = top_level(Walker(outer))
    with pytest.raises(ProtobufError):
        list(Walker(outer).fields(parent.start, parent.end - 1))


def test_field_budget_stops_with_limit_exceeded() -> None:
    data = (tag(1, VARINT) + b"\x01") * 50
    with pytest.raises(LimitExceeded):
        top_level(Walker(data, max_fields=10))


def test_data_copies_only_the_requested_prefix() -> None:
    payload = b"\x80\x04" + b"\x00" * 1000
    walker = Walker(ld(9, payload))
    (field,) = top_level(walker)
    assert walker.data(field, 2) == b"\x80\x04"
    assert field.value == len(payload)


def test_mapped_reads_files_and_empty_files(tmp_path: Path) -> None:
    path = tmp_path / "m.onnx"
    path.write_bytes(small_model().SerializeToString())
    with mapped(path) as buf:
        assert looks_like_onnx(top_level(Walker(buf)))
    assert path_looks_like_onnx(path)
    empty = tmp_path / "empty.pb"
    empty.write_bytes(b"")
    with mapped(empty) as buf:
        assert top_level(Walker(buf)) == []
    assert not path_looks_like_onnx(empty)
    junk = tmp_path / "junk.pb"
    junk.write_bytes(b"\x0f\xff\xff")
    assert not path_looks_like_onnx(junk)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_fields_or_protobuf_error(data: bytes) -> None:
    walker = Walker(data)
    try:
        fields = top_level(walker)
    except ProtobufError as exc:
        assert 0 <= exc.offset <= len(data)
        return
    for field in fields:
        assert 0 <= field.offset < field.start <= field.end <= len(data)
        if field.wire == LEN:
            with contextlib.suppress(ProtobufError):
                list(walker.fields(field.start, field.end))
