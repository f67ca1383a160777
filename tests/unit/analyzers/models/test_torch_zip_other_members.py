"""A torch checkpoint is read by the pickle analyzer for its pickles and storages only;
its other members (a nested archive in ``extra/``, TorchScript ``code/``) are expanded
by the engine and scanned by every analyzer, without reporting the pickles twice."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pickle_builders import payload, state_dict_pickle

from aiwarden.analyzers.interface import Limits
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.engine.worker import FileTask, analyze_file


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def findings(tmp_path: Path, members: dict[str, bytes]) -> list[tuple[str, str | None]]:
    path = tmp_path / "model.pt"
    path.write_bytes(zip_bytes(members))
    registry = load_analyzers(builtin_only=True)
    task = FileTask(str(path), path.name, tuple(a.name for a in registry.analyzers), Limits())
    result = analyze_file(task, registry)
    assert result.failure is None
    return sorted((f.rule_id, f.location.member) for f in result.findings)


def test_payload_in_a_nested_archive_inside_a_checkpoint_is_found(tmp_path: Path) -> None:
    nested = zip_bytes({"evil.pkl": payload("os", "system", "id")})
    found = findings(
        tmp_path,
        {
            "model/data.pkl": state_dict_pickle(),
            "model/data/0": bytes(16),
            "model/version": b"3\n",
            "model/extra/bundle.zip": nested,
        },
    )
    assert ("AIW-MOD002", "model/extra/bundle.zip!evil.pkl") in found


def test_checkpoint_pickles_are_reported_once(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        {
            "model/data.pkl": payload("os", "system", "id"),
            "model/data/0": bytes(16),
            "model/version": b"3\n",
            "model/code/__torch__/m.py": b"def forward(self, x):\n    return x\n",
        },
    )
    assert found.count(("AIW-MOD002", "model/data.pkl")) == 1
    assert [f for f in found if f[0] == "AIW-MOD001"] == [("AIW-MOD001", "model/data.pkl")]
