"""Classification by content first and name second; every fixture is built in code."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import pickle
import pickletools
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import pytest

from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import HEAD_BYTES, classify_bytes, classify_file


def _classify(tmp_path: Path, name: str, data: bytes) -> FileFormat:
    path = tmp_path / name
    path.write_bytes(data)
    return classify_file(path)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps([1, 2, 3]))
    return buffer.getvalue()


def _tar_bytes() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        payload = b"hello"
        info = tarfile.TarInfo("a.txt")
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _safetensors_bytes() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\x00\x00\x80\x3f"


def _numpy_bytes() -> bytes:
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\x00" * 4


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.zip", _zip_bytes(), FileFormat.ZIP),
        ("a.gz", gzip.compress(b"payload"), FileFormat.GZIP),
        ("a.bz2", bz2.compress(b"payload"), FileFormat.BZIP2),
        ("a.xz", lzma.compress(b"payload"), FileFormat.XZ),
        ("a.h5", b"\x89HDF\r\n\x1a\n" + b"\x00" * 100, FileFormat.HDF5),
        ("a.npy", _numpy_bytes(), FileFormat.NUMPY),
        ("a.gguf", b"GGUF\x03\x00\x00\x00" + b"\x00" * 16, FileFormat.GGUF),
        ("a.tar", _tar_bytes(), FileFormat.TAR),
        ("a.tflite", b"\x1c\x00\x00\x00TFL3" + b"\x00" * 32, FileFormat.TFLITE),
        ("a.safetensors", _safetensors_bytes(), FileFormat.SAFETENSORS),
        ("a.pkl", pickle.dumps({"a": 1}, protocol=2), FileFormat.PICKLE),
        ("a.pkl", pickle.dumps({"a": 1}, protocol=5), FileFormat.PICKLE),
        ("a.pkl", pickle.dumps({"a": [1, 2]}, protocol=1), FileFormat.PICKLE),
        ("a.bin", zlib.compress(b"payload" * 20), FileFormat.ZLIB),
        ("empty.pkl", b"", FileFormat.EMPTY),
    ],
)
def test_magic_bytes(tmp_path: Path, name: str, data: bytes, expected: FileFormat) -> None:
    assert _classify(tmp_path, name, data) is expected


def test_hdf5_with_user_block(tmp_path: Path) -> None:
    data = b"\x00" * 512 + b"\x89HDF\r\n\x1a\n" + b"\x00" * 64
    assert _classify(tmp_path, "weights.bin", data) is FileFormat.HDF5


def test_pickle_named_txt_is_pickle(tmp_path: Path) -> None:
    assert _classify(tmp_path, "notes.txt", pickle.dumps([1], protocol=4)) is FileFormat.PICKLE


def test_text_named_pkl_is_text(tmp_path: Path) -> None:
    assert _classify(tmp_path, "model.pkl", b"just some notes\n") is FileFormat.TEXT


def test_zip_with_prepended_data_is_zip(tmp_path: Path) -> None:
    data = os.urandom(100).replace(b"PK", b"pk") + _zip_bytes()
    assert _classify(tmp_path, "model.bin", data) is FileFormat.ZIP


def test_zip_hidden_after_large_prefix_is_found_in_tail(tmp_path: Path) -> None:
    data = b"#!/bin/sh\necho hi\n" + b"x" * (3 * HEAD_BYTES) + _zip_bytes()
    assert _classify(tmp_path, "installer.sh", data) is FileFormat.ZIP


def test_protocol_0_pickle_built_from_opcodes(tmp_path: Path) -> None:
    # MARK, LIST, PUT 0, INT 1, APPEND, STOP: a protocol 0 pickle of [1].
    data = b"(lp0\nI1\na."
    assert list(pickletools.genops(data))[-1][0].name == "STOP"
    assert _classify(tmp_path, "data.txt", data) is FileFormat.PICKLE


def test_protocol_0_global_reduce_pickle_is_pickle(tmp_path: Path) -> None:
    data = b"cos\nsystem\n(S'echo hi'\ntR."
    assert _classify(tmp_path, "payload.log", data) is FileFormat.PICKLE


def test_large_protocol_0_pickle_cut_by_head_is_pickle(tmp_path: Path) -> None:
    data = pickle.dumps([f"item-{i}" for i in range(2000)], protocol=0)
    assert len(data) > HEAD_BYTES
    assert _classify(tmp_path, "big.dat", data) is FileFormat.PICKLE


@pytest.mark.parametrize(
    "text",
    [
        b"cat\ndog\n.",  # parses as GLOBAL + STOP, too few opcodes to be a pickle
        b"(a).",  # opcode letters that underflow the stack
        b"chapter one\nthe end.",
        b"Ideas are cheap.",
        b"See the README for details.",
    ],
)
def test_text_ending_with_period_is_not_pickle(tmp_path: Path, text: bytes) -> None:
    assert _classify(tmp_path, "notes", text) is FileFormat.TEXT


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("model.onnx", FileFormat.ONNX),
        ("saved_model.pb", FileFormat.PROTOBUF),
        ("graph.pb", FileFormat.PROTOBUF),
        ("app.py", FileFormat.PYTHON),
        ("stubs.pyi", FileFormat.PYTHON),
        ("nb.ipynb", FileFormat.NOTEBOOK),
        ("mcp.json", FileFormat.JSON),
        ("ci.yaml", FileFormat.YAML),
        ("ci.yml", FileFormat.YAML),
        ("pyproject.toml", FileFormat.TOML),
        ("README.md", FileFormat.MARKDOWN),
        ("rules.mdc", FileFormat.MARKDOWN),
        ("Dockerfile", FileFormat.DOCKERFILE),
        ("Containerfile", FileFormat.DOCKERFILE),
        ("api.dockerfile", FileFormat.DOCKERFILE),
        ("Dockerfile.prod", FileFormat.DOCKERFILE),
        ("notes.txt", FileFormat.TEXT),
    ],
)
def test_by_name(name: str, expected: FileFormat) -> None:
    head = b"content\n"
    assert classify_bytes(name, head, head, len(head)) is expected


def test_python_shebang_without_extension() -> None:
    head = b"#!/usr/bin/env python3\nprint('hi')\n"
    assert classify_bytes("tool", head, head, len(head)) is FileFormat.PYTHON
    assert classify_bytes("tool.sh", head, head, len(head)) is FileFormat.TEXT


def test_binary_without_magic_is_binary() -> None:
    head = b"\x00\x01\x02\xff\xfe"
    assert classify_bytes("blob", head, head, len(head)) is FileFormat.BINARY


def test_text_cut_inside_multibyte_character_is_still_text() -> None:
    head = ("é" * HEAD_BYTES).encode()[: HEAD_BYTES - 1]
    assert classify_bytes("notes", head, head, 10 * HEAD_BYTES) is FileFormat.TEXT


def test_zlib_header_in_text_is_text() -> None:
    head = b"x^ is the math notation used here\n"
    assert classify_bytes("notes", head, head, len(head)) is FileFormat.TEXT


def test_safetensors_header_length_must_fit_in_file() -> None:
    head = struct.pack("<Q", 10_000) + b"{}"
    assert classify_bytes("x.safetensors", head, head, len(head)) is FileFormat.BINARY


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_classify_file_refuses_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OSError, match="not a regular file"):
        classify_file(tmp_path / "pipe")


def test_classify_file_missing_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        classify_file(tmp_path / "gone")


def test_classify_file_uses_given_name(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_text("print(1)\n")
    assert classify_file(path, name="script.py") is FileFormat.PYTHON
