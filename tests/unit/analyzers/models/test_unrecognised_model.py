"""Model-named files in formats nothing can parse fail closed (nullifAI, LFS pointers)."""

from __future__ import annotations

import lzma
import pickle
from pathlib import Path

import pytest

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.unrecognised import UnrecognisedModelAnalyzer
from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import classify_file

ANALYZER = UnrecognisedModelAnalyzer()


def findings(tmp_path: Path, name: str, data: bytes) -> list[tuple[str, str]]:
    path = tmp_path / name
    path.write_bytes(data)
    artifact = Artifact(path, name, classify_file(path), len(data))
    if not ANALYZER.accepts(artifact):
        return []
    return [(f.rule_id, f.message) for f in ANALYZER.analyze(artifact, Limits())]


def test_seven_zip_packed_checkpoint_nullifai_is_reported(tmp_path: Path) -> None:
    # nullifAI (ReversingLabs, 2025): PyTorch models packed with 7-Zip instead of zip.
    data = b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200)
    ((rule, message),) = findings(tmp_path, "pytorch_model.pt", data)
    assert rule == "AIW-MOD007"
    assert "7-Zip" in message


@pytest.mark.parametrize("name", ["model.pkl", "weights.h5", "clf.joblib", "vectors.npy"])
def test_unrecognised_binary_under_a_model_name_is_reported(tmp_path: Path, name: str) -> None:
    data = bytes(range(256)) * 4  # no known magic, not text
    assert [r for r, _ in findings(tmp_path, name, data)] == ["AIW-MOD007"]


def test_lfs_pointer_is_low_and_says_the_model_was_not_scanned(tmp_path: Path) -> None:
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\n"
    ((rule, message),) = findings(tmp_path, "model.safetensors.pt", pointer)
    assert rule == "AIW-MOD008" and "not scanned" in message


def test_recognised_formats_and_other_names_are_left_alone(tmp_path: Path) -> None:
    assert findings(tmp_path, "model.pkl", pickle.dumps({"w": [1.0]}, protocol=4)) == []
    assert findings(tmp_path, "data.bin", bytes(range(256))) == []  # .bin is too generic
    assert findings(tmp_path, "notes.txt", b"hello") == []
    assert findings(tmp_path, "empty.pt", b"") == []


def test_joblib_raw_lzma_dump_is_left_to_the_pickle_analyzer(tmp_path: Path) -> None:
    data = lzma.compress(pickle.dumps([1, 2, 3]), format=lzma.FORMAT_ALONE)
    path = tmp_path / "model.joblib"
    path.write_bytes(data)
    assert classify_file(path) is FileFormat.BINARY
    assert findings(tmp_path, "model.joblib", data) == []


@pytest.mark.parametrize("data", [b"I1\n.", b"N.", b"cos\nsystem\n."])
def test_short_protocol_0_pickles_named_as_pickles_are_classified_as_pickles(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "tiny.pkl"
    path.write_bytes(data)
    assert classify_file(path) is FileFormat.PICKLE
    other = tmp_path / "tiny.txt"
    other.write_bytes(b"hello world.")
    assert classify_file(other) is FileFormat.TEXT


def test_site_packages_path_file_is_not_a_checkpoint(tmp_path: Path) -> None:
    # .pth is both PyTorch's extension and Python's path-configuration file.
    assert findings(tmp_path, "distutils-precedence.pth", b"import os; pass\n") == []
    assert [r for r, _ in findings(tmp_path, "model.pth", bytes(range(256)))] == ["AIW-MOD007"]


def test_python2_npy_header_with_long_literals_parses(tmp_path: Path) -> None:
    from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer

    # numpy under Python 2 wrote shapes as (3L,); numpy strips the suffix when loading.
    header = b"{'descr': '<i8', 'fortran_order': False, 'shape': (3L,), }"
    header += b" " * (63 - len(header) % 64) + b"\n"
    data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(24)
    path = tmp_path / "py2.npy"
    path.write_bytes(data)
    artifact = Artifact(path, "py2.npy", classify_file(path), len(data))
    assert list(PickleSerializationAnalyzer().analyze(artifact, Limits())) == []
