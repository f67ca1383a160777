"""AIW-BOM001/002: a committed BOM checked against the model files beside it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from aiwarden.analyzers.bom_drift.analyzer import BomDriftAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.bom import BomOptions, InventoryOptions, build_inventory, cyclonedx_json
from aiwarden.core.finding import Finding
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file

ANALYZER = BomDriftAnalyzer()


def _write_bom(project: Path, relpath: str = "bom.cdx.json") -> Path:
    inventory = build_inventory(project, InventoryOptions(dependencies=False))
    path = project / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cyclonedx_json(inventory, BomOptions(reproducible=True)))
    return path


def _artifact(root: Path, path: Path) -> Artifact:
    return Artifact(
        path, path.relative_to(root).as_posix(), classify_file(path), path.stat().st_size
    )


def _scan(root: Path, path: Path) -> list[Finding]:
    artifact = _artifact(root, path)
    assert ANALYZER.accepts(artifact)
    return list(ANALYZER.analyze(artifact, Limits()))


def _summary(findings: list[Finding]) -> set[tuple[str, Severity, str]]:
    """(rule, severity, model path) of each finding."""
    words = [f.message.split(" ") for f in findings]
    return {
        (f.rule_id, f.severity, w[1] if w[0] == "Model" else w[0])
        for f, w in zip(findings, words, strict=True)
    }


def test_fresh_bom_matches(project: Path) -> None:
    assert _scan(project, _write_bom(project)) == []


def test_changed_missing_and_unlisted_models(project: Path) -> None:
    bom = _write_bom(project)
    (project / "models/legacy.pkl").write_bytes(b"\x80\x04K\x02.")  # changed (size differs)
    data = bytearray((project / "models/tiny.onnx").read_bytes())
    data[-1] ^= 1
    (project / "models/tiny.onnx").write_bytes(bytes(data))  # changed, same size
    (project / "models/embeddings.npy").unlink()  # missing
    np.save(project / "models/new.npy", np.ones(2))  # unlisted
    findings = _scan(project, bom)
    assert _summary(findings) == {
        ("AIW-BOM001", Severity.HIGH, "models/legacy.pkl"),
        ("AIW-BOM001", Severity.HIGH, "models/tiny.onnx"),
        ("AIW-BOM001", Severity.MEDIUM, "models/embeddings.npy"),
        ("AIW-BOM001", Severity.MEDIUM, "models/new.npy"),
    }
    unlisted = next(f for f in findings if "not listed" in f.message)
    assert [r.path for r in unlisted.related] == ["models/new.npy"]
    changed = next(f for f in findings if "tiny.onnx" in f.message)
    assert changed.location.line is not None


def test_savedmodel_directory_change_is_detected(project: Path) -> None:
    bom = _write_bom(project)
    (project / "models/savedmodel/variables/variables.index").write_bytes(b"\x00INDEX")
    assert _summary(_scan(project, bom)) == {("AIW-BOM001", Severity.HIGH, "models/savedmodel")}


def test_bom_in_a_subdirectory_resolves_from_the_project_root(project: Path) -> None:
    bom = _write_bom(project, "docs/bom.cdx.json")
    assert _scan(project, bom) == []
    (project / "models/clf.joblib").unlink()
    assert _summary(_scan(project, bom)) == {("AIW-BOM001", Severity.MEDIUM, "models/clf.joblib")}


def test_lfs_pointer_matches_the_real_file_it_stands_for(tmp_path: Path) -> None:
    np.save(tmp_path / "w.npy", np.arange(4))
    bom = _write_bom(tmp_path)
    real = (tmp_path / "w.npy").read_bytes()
    oid = hashlib.sha256(real).hexdigest()
    (tmp_path / "w.npy").write_text(
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(real)}\n"
    )
    assert _scan(tmp_path, bom) == []


def _bom(components: list[dict[str, object]], tool: str = "other-tool") -> str:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "metadata": {"tools": {"components": [{"type": "application", "name": tool}]}},
            "components": components,
        }
    )


def test_path_outside_the_project_is_refused_not_read(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (tmp_path / "outside.bin").write_bytes(b"secret")
    bom = project / "bom.cdx.json"
    bom.write_text(
        _bom(
            [
                {
                    "type": "machine-learning-model",
                    "name": "x",
                    "hashes": [{"alg": "SHA-256", "content": "0" * 64}],
                    "properties": [{"name": "aiwarden:path", "value": "../outside.bin"}],
                }
            ]
        )
    )
    (finding,) = _scan(project, bom)
    assert finding.rule_id == "AIW-BOM002" and "outside" in finding.message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6",\n<<<<<<< HEAD\n', "not valid JSON"),
        ('{"bomFormat": "SPDX"}', "not a CycloneDX BOM"),
        ('{"bomFormat": "CycloneDX"}', "specVersion"),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}', "not a list"),
        (
            _bom(
                [
                    {
                        "type": "machine-learning-model",
                        "name": "m",
                        "hashes": [{"alg": "SHA-256", "content": "xyz"}],
                    }
                ]
            ),
            "malformed",
        ),
    ],
)
def test_unreadable_boms_fail_closed(tmp_path: Path, text: str, problem: str) -> None:
    bom = tmp_path / "model.cdx.json"
    bom.write_text(text)
    (finding,) = _scan(tmp_path, bom)
    assert finding.rule_id == "AIW-BOM002" and problem in finding.message


def test_other_json_is_not_a_bom(tmp_path: Path) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "x", "bomFormat_note": "no"}')
    assert not ANALYZER.accepts(_artifact(tmp_path, other))
    spdx = tmp_path / "sbom.json"
    spdx.write_text('{"bomFormat": "SPDX", "note": "CycloneDX"}')
    assert list(ANALYZER.analyze(_artifact(tmp_path, spdx), Limits())) == []


def test_third_party_bom_without_local_models_does_not_flag_every_model(tmp_path: Path) -> None:
    np.save(tmp_path / "w.npy", np.arange(4))
    bom = tmp_path / "sbom.cdx.json"
    bom.write_text(_bom([{"type": "library", "name": "requests", "version": "2.0"}]))
    assert _scan(tmp_path, bom) == []
    bom.write_text(_bom([], tool="aiwarden"))  # but an aiwarden BOM owns the directory
    assert _summary(_scan(tmp_path, bom)) == {("AIW-BOM001", Severity.MEDIUM, "w.npy")}


def test_hub_models_without_hashes_and_occurrences_with_lines_are_not_files(
    tmp_path: Path,
) -> None:
    bom = tmp_path / "bom.json"
    bom.write_text(
        _bom(
            [
                {
                    "type": "machine-learning-model",
                    "name": "org/m",
                    "evidence": {"occurrences": [{"location": "app.py", "line": 3}]},
                },
                {
                    "type": "machine-learning-model",
                    "name": "org/n",
                    "hashes": [{"alg": "SHA-256", "content": "a" * 64}],
                    "evidence": {"occurrences": [{"location": "app.py", "line": 4}]},
                },
            ]
        )
    )
    assert _scan(tmp_path, bom) == []


def test_the_analyzer_is_registered_with_valid_metadata() -> None:
    registry = load_analyzers(builtin_only=True)
    assert "bom-drift" in {a.name for a in registry.analyzers}
    rule_ids = {r.id for r in registry.rules}
    assert {"AIW-BOM001", "AIW-BOM002"} <= rule_ids
