"""joblib dumps (raw and compressed, with interleaved array buffers) and numpy files.

Benign files are written by the real libraries (joblib, scikit-learn, numpy); payloads
are raw opcodes spliced into real joblib streams. Nothing is ever loaded.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Callable
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file

ANALYZER = PickleSerializationAnalyzer()
COMPRESSIONS = [0, "zlib", "gzip", "bz2", "lzma", "xz"]
PLACEHOLDER = b"X\x0f\x00\x00\x00PLACEHOLDER_XYZ"
"""How joblib (protocol 2) writes the string ``'PLACEHOLDER_XYZ'``: BINUNICODE."""
PAYLOAD = b"cos\nsystem\nX\x02\x00\x00\x00id\x85R"
"""``os.system('id')``: GLOBAL, BINUNICODE, TUPLE1, REDUCE."""


def scan_file(path: Path, limits: Limits | None = None) -> list[Finding]:
    fmt = classify_file(path)
    artifact = Artifact(path, path.name, fmt, path.stat().st_size)
    assert ANALYZER.accepts(artifact), fmt
    return list(ANALYZER.analyze(artifact, limits or Limits()))


def above_info(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.rule_id, f.evidence) for f in findings if f.severity > Severity.INFO]


def _models() -> list[object]:
    rng = np.random.default_rng(0)
    features = rng.random((40, 3))
    labels = (features[:, 0] > 0.5).astype(int)
    forest = RandomForestClassifier(n_estimators=3, random_state=np.random.RandomState(0))
    pipeline = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())])
    return [m.fit(features, labels) for m in (LogisticRegression(), forest, pipeline)]


@pytest.mark.parametrize("compress", COMPRESSIONS)
def test_sklearn_models_dumped_by_joblib_are_info_only(tmp_path: Path, compress: object) -> None:
    """Baseline: real scikit-learn estimators through joblib.dump, every compressor."""
    for index, model in enumerate(_models()):
        path = tmp_path / f"model{index}.joblib"
        joblib.dump(model, path, compress=compress)
        findings = scan_file(path)
        assert above_info(findings) == [], (index, compress)
        assert [f.rule_id for f in findings] == ["AIW-MOD001"]


def _spliced(array: np.ndarray) -> bytes:
    """A joblib stream: an array (buffer written in-stream), then a payload after it."""
    buffer = io.BytesIO()
    joblib.dump({"w": array, "z": "PLACEHOLDER_XYZ"}, buffer, protocol=2)
    raw = buffer.getvalue()
    assert raw.count(PLACEHOLDER) == 1
    return raw.replace(PLACEHOLDER, PAYLOAD)


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "raw": lambda data: data,
    "zlib": zlib.compress,
    "gzip": gzip.compress,
    "bz2": bz2.compress,
    "lzma": lambda data: lzma.compress(data, format=lzma.FORMAT_ALONE),
    "xz": lzma.compress,
}


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_payload_after_an_interleaved_numpy_buffer(tmp_path: Path, kind: str) -> None:
    """Technique: payload placed after joblib's raw array bytes (scanners that stop miss it)."""
    path = tmp_path / f"model.{kind}"
    path.write_bytes(COMPRESSORS[kind](_spliced(np.arange(1000, dtype="<f8"))))
    findings = scan_file(path)
    assert ("AIW-MOD002", "os.system('id')") in above_info(findings)
    assert "AIW-MOD004" not in {f.rule_id for f in findings}


def test_array_bytes_that_look_like_a_payload_are_skipped(tmp_path: Path) -> None:
    """Baseline: array data spelling a pickle payload is data, not opcodes."""
    fake = np.frombuffer(b"\x80\x02" + PAYLOAD + b".", dtype=np.uint8)
    path = tmp_path / "fake.joblib"
    joblib.dump({"w": fake, "f": np.ones((3, 4), dtype=np.float32, order="F")}, path)
    assert above_info(scan_file(path)) == []


def test_truncated_array_buffer_fails_closed(tmp_path: Path) -> None:
    """Fail closed: the stream ends inside an array buffer."""
    buffer = io.BytesIO()
    joblib.dump(np.arange(1000, dtype="<i8"), buffer)
    path = tmp_path / "cut.joblib"
    path.write_bytes(buffer.getvalue()[:2000])
    assert "AIW-MOD004" in {f.rule_id for f in scan_file(path)}


def test_joblib_object_array_is_scanned_as_nested_pickle(tmp_path: Path) -> None:
    """Baseline: an object-dtype array is pickled inside the joblib stream; plain data."""
    path = tmp_path / "obj.joblib"
    joblib.dump({"o": np.array([{"a": 1}, "text", 3], dtype=object)}, path)
    assert above_info(scan_file(path)) == []


def test_lzma_decompression_bomb_hits_the_limit(tmp_path: Path) -> None:
    """Limit: a joblib-lzma stream inflating past max_decompressed_bytes."""
    path = tmp_path / "bomb.joblib"
    size = 8 * 1024 * 1024
    body = b"\x80\x04\x8e" + size.to_bytes(8, "little") + bytes(size) + b"."  # BINBYTES8
    path.write_bytes(lzma.compress(body, format=lzma.FORMAT_ALONE))
    with pytest.raises(LimitExceeded):
        scan_file(path, Limits(max_decompressed_bytes=1024 * 1024))


def test_numpy_numeric_files_have_no_findings(tmp_path: Path) -> None:
    """Baseline: numpy.save / savez / savez_compressed of numeric arrays hold no pickle."""
    np.save(tmp_path / "a.npy", np.arange(10.0))
    np.savez(tmp_path / "b.npz", x=np.arange(3), y=np.eye(2))
    np.savez_compressed(tmp_path / "c.npz", x=np.arange(3))
    for name in ("a.npy", "b.npz", "c.npz"):
        assert scan_file(tmp_path / name) == [], name


def test_numpy_object_arrays_of_plain_data_are_info_only(tmp_path: Path) -> None:
    """Baseline: object arrays of plain Python data (npy, renamed npy, npz member)."""
    values = np.array([{"k": [1, 2]}, "s", None], dtype=object)
    np.save(tmp_path / "o.npy", values, allow_pickle=True)
    (tmp_path / "o.npy").rename(tmp_path / "weights.dat")
    np.savez(tmp_path / "o.npz", v=values, n=np.arange(2))
    for name in ("weights.dat", "o.npz"):
        findings = scan_file(tmp_path / name)
        assert [f.rule_id for f in findings] == ["AIW-MOD001"], name


def test_renamed_npy_object_array_with_payload(tmp_path: Path) -> None:
    """Technique: an .npy object array carrying ``os.system``, renamed to look like data."""
    values = np.array(["PLACEHOLDER_XYZ"], dtype=object)
    np.save(tmp_path / "x.npy", values, allow_pickle=True)
    raw = (tmp_path / "x.npy").read_bytes()
    marker = b"\x8c\x0fPLACEHOLDER_XYZ"
    assert marker in raw
    path = tmp_path / "embeddings.bin"
    path.write_bytes(raw.replace(marker, PAYLOAD))
    assert ("AIW-MOD002", "os.system('id')") in above_info(scan_file(path))
