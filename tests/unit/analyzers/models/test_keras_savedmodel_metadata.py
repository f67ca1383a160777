"""Keras layers saved in a TF SavedModel: ``keras_metadata.pb`` carries each layer's config
as JSON, Lambda bytecode included (the Lambda-layer RCE the guidelines cite, SD-3.c)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_keras_builders import k2_dense, lambda_bytecode, rule_ids, scan

from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import classify_file


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _len_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def saved_metadata(layers: list[dict[str, Any]]) -> bytes:
    """SavedMetadata{nodes=1: SavedObject{node_id=2, node_path=3, identifier=4, metadata=5}}."""
    out = b""
    for index, layer in enumerate(layers):
        node = (
            _varint(2 << 3) + _varint(index)
            + _len_field(3, f"root.layer-{index}".encode())
            + _len_field(4, b"_tf_keras_layer")
            + _len_field(5, json.dumps(layer).encode())
        )  # fmt: skip
        out += _len_field(1, node)
    return out


def write(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "saved_model"
    folder.mkdir()
    path = folder / "keras_metadata.pb"
    path.write_bytes(data)
    return path


def test_lambda_bytecode_in_savedmodel_metadata_is_critical(tmp_path: Path) -> None:
    lam = {
        "class_name": "Lambda",
        "name": "payload",
        "config": {"name": "payload", "function": [lambda_bytecode(), None, None],
                   "function_type": "lambda", "output_shape": None},
    }  # fmt: skip
    path = write(tmp_path, saved_metadata([k2_dense("d", 4), lam]))
    assert classify_file(path) is FileFormat.PROTOBUF
    findings = scan(path, FileFormat.PROTOBUF)
    assert rule_ids(findings) == ["AIW-MOD101"]
    assert "system" in (findings[0].evidence or "")


def test_benign_savedmodel_metadata_has_no_findings(tmp_path: Path) -> None:
    path = write(tmp_path, saved_metadata([k2_dense("a", 8), k2_dense("b", 2, "softmax")]))
    assert scan(path, FileFormat.PROTOBUF) == []


def test_corrupt_metadata_fails_closed(tmp_path: Path) -> None:
    data = saved_metadata([k2_dense("a", 8)])
    path = write(tmp_path, data[:-10] + b"\x0a\xff\xff\xff\x7f")
    assert "AIW-MOD105" in rule_ids(scan(path, FileFormat.PROTOBUF))


def test_only_the_metadata_file_is_taken(tmp_path: Path) -> None:
    from aiwarden.analyzers.interface import Artifact

    other = tmp_path / "saved_model.pb"
    other.write_bytes(b"\x0a\x00")
    artifact = Artifact(other, other.name, FileFormat.PROTOBUF, 2)
    assert not KerasAnalyzer().accepts(artifact)


def test_pickle_in_keras_assets_is_scanned_by_the_engine(tmp_path: Path) -> None:
    """A claimed .keras archive still has its other members (assets/) expanded and scanned."""
    import io
    import zipfile

    from pickle_builders import payload

    from aiwarden.analyzers.interface import Limits
    from aiwarden.analyzers.registry import load_analyzers
    from aiwarden.engine.worker import FileTask, analyze_file

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps(k2_dense("d", 2)))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.5.0"}))
        archive.writestr("assets/vocab.pkl", payload("os", "system", "id"))
    path = tmp_path / "model.keras"
    path.write_bytes(buffer.getvalue())
    registry = load_analyzers()
    task = FileTask(str(path), path.name, tuple(a.name for a in registry.analyzers), Limits())
    found = {(f.rule_id, f.location.member) for f in analyze_file(task, registry).findings}
    assert ("AIW-MOD002", "assets/vocab.pkl") in found
    assert not any(member == "config.json" for _, member in found)
