"""GgufAnalyzer: files written by gguf-py (both endiannesses), malformed headers built in code."""

from __future__ import annotations

import contextlib
import struct
import time
import tracemalloc
from pathlib import Path

import gguf
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_chat_template_real import CHATML, HERMES3_TOOL_USE, LLAMA31, QWEN3

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.gguf_file import GgufAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file

PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def _scan(path: Path, limits: Limits | None = None) -> list[Finding]:
    artifact = Artifact(path, path.name, classify_file(path), path.stat().st_size)
    analyzer = GgufAnalyzer()
    assert analyzer.accepts(artifact), artifact.format
    return list(analyzer.analyze(artifact, limits or Limits()))


def _write(
    path: Path,
    template: str = LLAMA31,
    *,
    endian: gguf.GGUFEndian = gguf.GGUFEndian.LITTLE,
    named: dict[str, str] | None = None,
) -> Path:
    writer = gguf.GGUFWriter(path, "llama", endianess=endian)
    writer.add_name("tiny-test")
    writer.add_block_count(1)
    writer.add_context_length(2048)
    writer.add_embedding_length(64)
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(["<s>", "</s>", "hello", "world"])
    writer.add_token_scores([0.0, 0.0, -1.0, -2.0])
    writer.add_token_types([3, 3, 1, 1])
    writer.add_bos_token_id(0)
    if named:
        writer.add_chat_template(
            [{"name": "default", "template": template}]
            + [{"name": k, "template": v} for k, v in named.items()]
        )
    else:
        writer.add_chat_template(template)
    writer.add_tensor("token_embd.weight", np.zeros((4, 64), dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.ones(64, dtype=np.float16))
    writer.add_tensor("blk.0.attn_q.weight", np.zeros((64, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def _header(version: int = 3, n_tensors: int = 0, n_kv: int = 1) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, n_tensors, n_kv)


def _string(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


@pytest.mark.parametrize("endian", [gguf.GGUFEndian.LITTLE, gguf.GGUFEndian.BIG])
@pytest.mark.parametrize("template", [LLAMA31, QWEN3, CHATML], ids=["llama31", "qwen3", "chatml"])
def test_real_gguf_files_are_clean(tmp_path: Path, endian: gguf.GGUFEndian, template: str) -> None:
    path = _write(tmp_path / "model.gguf", template, endian=endian)
    assert classify_file(path) is FileFormat.GGUF
    assert gguf.GGUFReader(path).fields  # the real reader agrees the file is valid (LE only)
    assert _scan(path) == []


def test_named_templates_are_checked(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.gguf", CHATML, named={"tool_use": HERMES3_TOOL_USE})
    assert _scan(path) == []
    path = _write(tmp_path / "bad.gguf", CHATML, named={"tool_use": PAYLOAD})
    findings = _scan(path)
    assert findings and {f.rule_id for f in findings} == {"AIW-MOD511"}
    assert "tokenizer.chat_template.tool_use" in findings[0].message


@pytest.mark.parametrize("endian", [gguf.GGUFEndian.LITTLE, gguf.GGUFEndian.BIG])
def test_cve_2024_34359_template_in_gguf(tmp_path: Path, endian: gguf.GGUFEndian) -> None:
    path = _write(tmp_path / "evil.gguf", QWEN3 + PAYLOAD, endian=endian)
    findings = _scan(path)
    assert findings[0].rule_id == "AIW-MOD511"
    assert findings[0].severity is Severity.CRITICAL
    assert findings[0].location.offset is not None


def test_obfuscated_template_in_gguf(tmp_path: Path) -> None:
    template = "{% set n = '__glo' ~ 'bals__' %}{{ cycler.__init__|attr(n) }}"
    assert any(f.rule_id == "AIW-MOD511" for f in _scan(_write(tmp_path / "o.gguf", template)))


def _raw(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "crafted.gguf"
    path.write_bytes(data)
    return path


CRAFTED: list[tuple[str, bytes, str]] = [
    ("bad version", _header(version=99), "unsupported GGUF version 99"),
    ("absurd kv count", _header(n_kv=2**40), "metadata entries"),
    ("absurd tensor count", _header(n_tensors=2**60), "tensor entries"),
    ("truncated after counts", _header()[:-3], "past the end"),
    ("key length past EOF", _header() + struct.pack("<Q", 2**50) + bytes(16), "runs past the end"),
    (
        "string value length past EOF",
        _header() + _string(b"general.name") + struct.pack("<I", 8) + struct.pack("<Q", 10**12),
        "runs past the end",
    ),
    (
        "unknown value type",
        _header() + _string(b"general.x") + struct.pack("<I", 77) + bytes(8),
        "unknown metadata value type 77",
    ),
    (
        "array length past EOF",
        _header() + _string(b"a") + struct.pack("<II", 9, 4) + struct.pack("<Q", 2**40),
        "runs past the end",
    ),
    (
        "arrays nested too deep",
        _header() + _string(b"a") + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1) * 6 + bytes(64),
        "nested more than",
    ),
    ("tensor with too many dimensions",
     _header(n_tensors=1, n_kv=0) + _string(b"t") + struct.pack("<I", 9) + bytes(200),
     "dimensions"),
]  # fmt: skip


@pytest.mark.parametrize(("technique", "data", "fragment"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_malformed_header_fails_closed(
    tmp_path: Path, technique: str, data: bytes, fragment: str
) -> None:
    findings = _scan(_raw(tmp_path, data))
    assert findings and findings[0].rule_id == "AIW-MOD501", technique
    assert fragment in findings[0].message, findings[0].message


def test_template_before_a_parse_error_is_still_checked(tmp_path: Path) -> None:
    data = (
        _header(n_kv=2) + _string(b"tokenizer.chat_template") + struct.pack("<I", 8)
        + _string(PAYLOAD.encode()) + struct.pack("<Q", 2**50)
    )  # fmt: skip
    ids = {f.rule_id for f in _scan(_raw(tmp_path, data))}
    assert ids == {"AIW-MOD501", "AIW-MOD511"}


def test_duplicate_key_is_reported(tmp_path: Path) -> None:
    entry = _string(b"general.name") + struct.pack("<I", 8) + _string(b"x")
    findings = _scan(_raw(tmp_path, _header(n_kv=2) + entry + entry))
    assert [f.rule_id for f in findings] == ["AIW-MOD502"]


def test_non_string_template_is_reported(tmp_path: Path) -> None:
    entry = _string(b"tokenizer.chat_template") + struct.pack("<I", 4) + struct.pack("<I", 7)
    assert [f.rule_id for f in _scan(_raw(tmp_path, _header() + entry))] == ["AIW-MOD503"]


def _tensor_file(tmp_path: Path, infos: list[tuple[bytes, list[int], int, int]], data: int) -> Path:
    body = _header(n_tensors=len(infos), n_kv=0)
    for name, dims, ggml_type, offset in infos:
        body += _string(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
        body += struct.pack("<IQ", ggml_type, offset)
    body += bytes(-len(body) % 32)
    return _raw(tmp_path, body + bytes(data))


TENSORS: list[tuple[str, list[tuple[bytes, list[int], int, int]], int, str]] = [
    ("tensor data past end", [(b"a", [64], 0, 0)], 16, "past the end"),
    ("overlapping tensors", [(b"a", [16], 0, 0), (b"b", [16], 0, 32)], 96, "overlaps"),
    ("misaligned offset", [(b"a", [4], 0, 4)], 64, "not aligned"),
    ("duplicate tensor name", [(b"a", [8], 0, 0), (b"a", [8], 0, 32)], 64, "more than once"),
    ("row not a multiple of block", [(b"q", [33], 2, 0)], 64, "multiple of 32"),
    ("negative dimension", [(b"a", [2**64 - 1], 0, 0)], 64, "negative"),
]


@pytest.mark.parametrize(
    ("technique", "infos", "data", "fragment"), TENSORS, ids=[t[0] for t in TENSORS]
)
def test_inconsistent_tensor_table(
    tmp_path: Path,
    technique: str,
    infos: list[tuple[bytes, list[int], int, int]],
    data: int,
    fragment: str,
) -> None:
    findings = _scan(_tensor_file(tmp_path, infos, data))
    assert any(f.rule_id == "AIW-MOD502" and fragment in f.message for f in findings), (
        technique,
        [f.message for f in findings],
    )


def test_consistent_hand_built_table_is_clean(tmp_path: Path) -> None:
    assert _scan(_tensor_file(tmp_path, [(b"a", [8], 0, 0), (b"b", [8], 0, 32)], 64)) == []


def test_trailing_bytes_are_an_anomaly(tmp_path: Path) -> None:
    findings = _scan(_tensor_file(tmp_path, [(b"a", [8], 0, 0)], 32 + 4096))
    assert [f.rule_id for f in findings] == ["AIW-MOD503"]


def test_large_sparse_gguf_is_fast_and_small(tmp_path: Path) -> None:
    size = 1_500_000_000
    n = size // 4
    path = _tensor_file(tmp_path, [(b"big", [n], 0, 0)], 0)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size + n * 4)
    tracemalloc.start()
    start = time.perf_counter()
    assert _scan(path) == []
    elapsed = time.perf_counter() - start
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10_000_000
    assert elapsed < 5  # generous: a sanity bound, not a benchmark


def test_metadata_over_read_limit_raises_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.gguf")
    with pytest.raises(LimitExceeded):
        _scan(path, Limits(max_read_bytes=16))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_gguf_never_crashes(tmp_path: Path, data: st.DataObject) -> None:
    source = tmp_path / "base.gguf"
    if not source.exists():
        _write(source, CHATML)
    raw = bytearray(source.read_bytes())
    for _ in range(data.draw(st.integers(0, 8))):
        index = data.draw(st.integers(0, min(len(raw) - 1, 2048)))
        raw[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(4, len(raw)))
    path = tmp_path / "fuzz.gguf"
    path.write_bytes(bytes(raw[:cut]))
    with contextlib.suppress(LimitExceeded):
        _scan(path)
