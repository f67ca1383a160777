"""SafetensorsAnalyzer: benign files from the real library, malformed headers built in code."""

from __future__ import annotations

import contextlib
import json
import struct
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors import TensorSpec, serialize_file
from safetensors.numpy import save_file

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.safetensors_header import SafetensorsAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import classify_file


def _scan(path: Path) -> list[Finding]:
    artifact = Artifact(path, path.name, classify_file(path), path.stat().st_size)
    analyzer = SafetensorsAnalyzer()
    assert analyzer.accepts(artifact), artifact.format
    return list(analyzer.analyze(artifact, Limits()))


def _raw(tmp_path: Path, header: object, data: bytes = b"", *, text: bytes | None = None) -> Path:
    body = text if text is not None else json.dumps(header).encode()
    path = tmp_path / "model.safetensors"
    path.write_bytes(struct.pack("<Q", len(body)) + body + data)
    return path


def _one(
    dtype: str = "F32", shape: list[int] | None = None, offsets: list[int] | None = None
) -> dict[str, object]:
    return {"w": {"dtype": dtype, "shape": shape or [2, 2], "data_offsets": offsets or [0, 16]}}


def test_real_library_file_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    tensors: dict[str, np.ndarray[Any, Any]] = {
        "embed.weight": np.arange(12, dtype=np.float32).reshape(3, 4),
        "ids": np.arange(5, dtype=np.int64),
        "half": np.ones((2, 3), dtype=np.float16),
        "mask": np.array([True, False, True]),
        "bytes": np.zeros(7, dtype=np.uint8),
        "empty": np.zeros((0, 4), dtype=np.float64),
    }
    save_file(tensors, path, metadata={"format": "pt"})
    assert classify_file(path) is FileFormat.SAFETENSORS
    assert _scan(path) == []


def test_real_library_bf16_and_fp8_are_clean(tmp_path: Path) -> None:
    """bf16/fp8 via safetensors' own serializer (numpy has no bfloat16 dtype)."""
    path = tmp_path / "bf16.safetensors"
    bf16 = np.zeros(16, dtype=np.uint16)  # bfloat16 bit patterns
    fp8 = np.zeros(8, dtype=np.uint8)
    tensors = {
        "w": TensorSpec(dtype="bfloat16", shape=[4, 4], data_ptr=bf16.ctypes.data, data_len=32),
        "q": TensorSpec(dtype="float8_e4m3fn", shape=[8], data_ptr=fp8.ctypes.data, data_len=8),
    }
    serialize_file(tensors, str(path), metadata={"format": "pt"})
    header = json.loads(path.read_bytes()[8 : 8 + struct.unpack("<Q", path.read_bytes()[:8])[0]])
    assert {header["w"]["dtype"], header["q"]["dtype"]} == {"BF16", "F8_E4M3"}
    assert _scan(path) == []


def test_hand_built_valid_file_is_clean(tmp_path: Path) -> None:
    assert _scan(_raw(tmp_path, _one(), bytes(16))) == []


MALFORMED: list[tuple[str, bytes]] = [
    # technique, raw file bytes
    ("header length past end of file (loader OOB read)", struct.pack("<Q", 10_000) + b"{}"),
    ("header length over 100 MB (DoS)", struct.pack("<Q", 200_000_000) + b"{" + bytes(8)),
    ("file shorter than length prefix", b"\x01\x02"),
    ("invalid UTF-8 in header", struct.pack("<Q", 4) + b'{"\xff}'),
    ("invalid JSON", struct.pack("<Q", 6) + b'{"a":}'),
    ("JSON array header", struct.pack("<Q", 2) + b"[]"),
]


@pytest.mark.parametrize(("technique", "raw"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_prefix_is_reported(tmp_path: Path, technique: str, raw: bytes) -> None:
    path = tmp_path / "model.safetensors"
    path.write_bytes(raw)
    findings = _scan(path)
    assert findings and findings[0].rule_id == "AIW-MOD401", technique


HEADERS: list[tuple[str, object, int, str]] = [
    # technique, header, data bytes, expected fragment of the message
    ("unknown dtype", _one(dtype="F128"), 16, "unknown dtype"),
    ("dtype not a string", _one(dtype=7), 16, "unknown dtype"),  # type: ignore[arg-type]
    ("offsets out of bounds", _one(offsets=[0, 4096]), 16, "past the end"),
    ("size mismatch shape x dtype", _one(shape=[3, 3]), 16, "needs 36"),
    ("negative shape", _one(shape=[-1, 4]), 16, "invalid shape"),
    ("float shape", {"w": {"dtype": "F32", "shape": [2.0], "data_offsets": [0, 8]}}, 8, "shape"),
    ("huge shape overflow", _one(shape=[2**62, 2**62]), 16, "overflows"),
    ("offsets end before start", _one(offsets=[16, 0]), 16, "ends before"),
    ("missing data_offsets", {"w": {"dtype": "F32", "shape": [1]}}, 4, "invalid data_offsets"),
    ("bool offsets", {"w": {"dtype": "U8", "shape": [1], "data_offsets": [False, 1]}}, 1, "offs"),
    (
        "overlapping tensors (aliasing)",
        {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
         "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}},
        24,
        "overlaps",
    ),
    (
        "gap between tensors (hidden bytes)",
        {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
         "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}},
        12,
        "unaccounted",
    ),
    ("trailing data after tensors (polyglot)", _one(), 16 + 64, "after the last tensor"),
    ("sub-byte F4 not ending on a byte", _one(dtype="F4", shape=[3], offsets=[0, 2]), 2, "byte"),
    ("metadata not a map", {"__metadata__": ["x"], **_one()}, 16, "__metadata__"),
    ("metadata value not a string", {"__metadata__": {"k": 1}, **_one()}, 16, "__metadata__"),
    ("tensor entry not an object", {"w": "zzz"}, 0, "not an object"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("technique", "header", "size", "fragment"), HEADERS, ids=[h[0] for h in HEADERS]
)
def test_invalid_header_is_reported(
    tmp_path: Path, technique: str, header: object, size: int, fragment: str
) -> None:
    findings = _scan(_raw(tmp_path, header, bytes(size)))
    messages = " | ".join(f.message for f in findings if f.rule_id == "AIW-MOD401")
    assert fragment in messages, (technique, messages)


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    """Parser differential: two entries for one tensor name, each parser picks one."""
    text = (
        b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
        b'"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    )
    findings = _scan(_raw(tmp_path, None, bytes(4), text=text))
    assert any("more than once" in f.message for f in findings)


def test_metadata_anomalies_are_medium(tmp_path: Path) -> None:
    meta = {"format": "pt", "blob": "gASVCwAAAAAAAACMBXBvc2l4lC4="}
    findings = _scan(_raw(tmp_path, {"__metadata__": meta, **_one()}, bytes(16)))
    assert [f.rule_id for f in findings] == ["AIW-MOD402"]
    assert findings[0].severity.value == "medium"


def test_misnamed_non_safetensors_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    path.write_bytes(b"\x00" * 3 + b"not a header at all")
    findings = _scan(path)
    assert findings[0].rule_id == "AIW-MOD401"


def test_sparse_1_5_gb_file_reads_only_the_header(tmp_path: Path) -> None:
    size = 1_500_000_000
    header = {"w": {"dtype": "U8", "shape": [size], "data_offsets": [0, size]}}
    body = json.dumps(header).encode()
    path = tmp_path / "big.safetensors"
    with path.open("wb") as handle:
        handle.write(struct.pack("<Q", len(body)) + body)
        handle.truncate(8 + len(body) + size)
    tracemalloc.start()
    assert _scan(path) == []
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000


def test_header_over_read_limit_raises_limit(tmp_path: Path) -> None:
    path = _raw(tmp_path, _one(), bytes(16))
    artifact = Artifact(path, path.name, FileFormat.SAFETENSORS, path.stat().st_size)
    with pytest.raises(LimitExceeded):
        list(SafetensorsAnalyzer().analyze(artifact, Limits(max_read_bytes=10)))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_files_never_crash(tmp_path: Path, data: st.DataObject) -> None:
    base = bytearray(struct.pack("<Q", 80) + json.dumps(_one()).encode().ljust(80) + bytes(16))
    for _ in range(data.draw(st.integers(0, 6))):
        index = data.draw(st.integers(0, len(base) - 1))
        base[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(base)))
    path = tmp_path / "fuzz.safetensors"
    path.write_bytes(bytes(base[:cut]))
    artifact = Artifact(path, path.name, classify_file(path), path.stat().st_size)
    if SafetensorsAnalyzer().accepts(artifact):
        with contextlib.suppress(LimitExceeded):
            list(SafetensorsAnalyzer().analyze(artifact, Limits()))
