"""Polyglot files: a harmless pickle at the start, a zip with a malicious checkpoint at the
end. zipfile-based loaders read the zip (its directory is at the end); a scanner that
trusts the first bytes sees only the pickle. aiwarden analyses both views."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

from aiwarden.analyzers.interface import Limits
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import classify_views
from aiwarden.engine.worker import FileTask, analyze_file

MALICIOUS = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."


def polyglot(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", MALICIOUS)
        archive.writestr("model/version", "3\n")
    path = tmp_path / "model.bin"
    path.write_bytes(pickle.dumps({"weights": [1.0, 2.0]}, protocol=2) + buffer.getvalue())
    return path


def test_both_views_are_classified(tmp_path: Path) -> None:
    assert classify_views(polyglot(tmp_path)) == (FileFormat.PICKLE, FileFormat.ZIP)
    plain = tmp_path / "plain.pkl"
    plain.write_bytes(pickle.dumps([1, 2, 3], protocol=4))
    assert classify_views(plain) == (FileFormat.PICKLE,)


def test_the_zip_at_the_end_of_a_pickle_is_scanned(tmp_path: Path) -> None:
    path = polyglot(tmp_path)
    registry = load_analyzers(builtin_only=True)
    task = FileTask(str(path), path.name, tuple(a.name for a in registry.analyzers), Limits())
    rules = {f.rule_id for f in analyze_file(task, registry).findings}
    assert "AIW-MOD002" in rules
