"""PyTorch zips whose pickle member is LZMA-compressed (zip method 14) are scanned, not
skipped: an unusual compression method is a known way to slip past zip-based scanners."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pickle_builders import payload, state_dict_pickle

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.formats import FileFormat


def scan(tmp_path: Path, pickle_bytes: bytes) -> dict[str, str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", pickle_bytes, compress_type=zipfile.ZIP_LZMA)
        archive.writestr("model/version", "3\n")
    path = tmp_path / "model.pt"
    path.write_bytes(buffer.getvalue())
    artifact = Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(artifact)
    return {f.rule_id: f.severity.value for f in analyzer.analyze(artifact, Limits())}


def test_malicious_pickle_in_an_lzma_member_is_found(tmp_path: Path) -> None:
    assert scan(tmp_path, payload("os", "system", "id")) == {
        "AIW-MOD001": "info",
        "AIW-MOD002": "critical",
    }


def test_benign_state_dict_in_an_lzma_member_is_info_only(tmp_path: Path) -> None:
    assert scan(tmp_path, state_dict_pickle()) == {"AIW-MOD001": "info"}
