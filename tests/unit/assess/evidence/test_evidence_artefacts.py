"""Tests of the model, BOM, integrity and asset-versioning evidence checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from machine_evidence_support import (
    DOCUMENT,
    HEURISTIC,
    SUPPORTS,
    UNDERMINES,
    VERIFIED,
    collect,
    pickle_bytes,
    polarity,
    safetensors_bytes,
    sha256,
    view,
    write,
)

from aiwarden.assess.evidence import _integrity
from aiwarden.assess.evidence._models import ModelFile, model_files
from aiwarden.assess.evidence.artefacts import (
    AssetVersioning,
    BomPresent,
    ModelIntegrity,
    ModelSafeFormats,
    ai_libraries,
)
from aiwarden.assess.evidence.interface import ProjectView


def test_all_safetensors_is_verified(tmp_path: Path) -> None:
    write(tmp_path, {f"models/m{i}.safetensors": safetensors_bytes() for i in range(4)})
    evidence = collect(ModelSafeFormats(), tmp_path)
    assert polarity(evidence, "SD-3.d") == {(SUPPORTS, VERIFIED)}
    assert "4 files" in evidence[0].summary
    assert polarity(evidence, "DV-1.b") == {(SUPPORTS, HEURISTIC)}


def test_pickle_model_undermines_and_is_listed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"models/ok.safetensors": safetensors_bytes(), "models/clf.pkl": pickle_bytes()},
    )
    evidence = collect(ModelSafeFormats(), tmp_path)
    assert polarity(evidence, "SD-3.d") == {(UNDERMINES, HEURISTIC)}
    assert evidence[0].paths == ("models/clf.pkl",)
    assert "clf.pkl" in evidence[0].summary


def test_pickle_renamed_as_safetensors_is_caught(tmp_path: Path) -> None:
    write(tmp_path, {"models/evil.safetensors": pickle_bytes()})
    assert polarity(collect(ModelSafeFormats(), tmp_path), "SD-3.d") == {(UNDERMINES, HEURISTIC)}


def test_no_models_no_evidence(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "print(1)\n"})
    assert collect(ModelSafeFormats(), tmp_path) == []
    assert collect(ModelIntegrity(), tmp_path) == []


def test_test_fixture_models_are_not_the_projects(tmp_path: Path) -> None:
    write(tmp_path, {"tests/fixtures/bad.pkl": pickle_bytes(), "app.py": "print(1)\n"})
    assert collect(ModelSafeFormats(), tmp_path) == []


def test_integrity_verified_when_hashes_match(tmp_path: Path) -> None:
    data = safetensors_bytes()
    write(
        tmp_path,
        {"models/a.safetensors": data, "SHA256SUMS": f"{sha256(data)}  models/a.safetensors\n"},
    )
    evidence = collect(ModelIntegrity(), tmp_path)
    assert polarity(evidence, "DP-2.c") == {(SUPPORTS, VERIFIED)}
    assert polarity(evidence, "DV-2.d") == {(SUPPORTS, HEURISTIC)}


def test_integrity_sidecar_and_bsd_formats(tmp_path: Path) -> None:
    data, other = safetensors_bytes(), pickle_bytes()
    write(
        tmp_path,
        {
            "models/a.safetensors": data,
            "models/a.safetensors.sha256": sha256(data) + "\n",
            "models/b.pkl": other,
            "checksums.txt": f"SHA256 (models/b.pkl) = {sha256(other)}\n",
        },
    )
    assert polarity(collect(ModelIntegrity(), tmp_path), "DP-2.c") == {(SUPPORTS, VERIFIED)}


def test_integrity_mismatch_is_verified_undermining(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"models/a.safetensors": safetensors_bytes(), "SHA256SUMS": "0" * 64 + "  a.safetensors\n"},
    )
    evidence = collect(ModelIntegrity(), tmp_path)
    assert polarity(evidence, "DP-2.c") == {(UNDERMINES, VERIFIED)}
    assert "models/a.safetensors" in evidence[0].paths


def test_integrity_missing_records_undermine(tmp_path: Path) -> None:
    data = safetensors_bytes()
    write(
        tmp_path,
        {
            "models/a.safetensors": data,
            "models/b.safetensors": data + b"",
            "SHA256SUMS": f"{sha256(data)}  models/a.safetensors\n",
        },
    )
    evidence = collect(ModelIntegrity(), tmp_path)
    assert (UNDERMINES, HEURISTIC) in polarity(evidence, "DP-2.c")
    undermining = [e for e in evidence if e.polarity is UNDERMINES]
    assert undermining[0].paths == ("models/b.safetensors",)


def test_integrity_over_budget_is_not_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = safetensors_bytes()
    write(
        tmp_path,
        {"models/a.safetensors": data, "SHA256SUMS": f"{sha256(data)}  models/a.safetensors\n"},
    )
    monkeypatch.setattr(_integrity, "MAX_HASH_BYTES", 10)
    project = view(tmp_path)
    records = _integrity.load_records(project, _models_of(project))
    assert _integrity.verify(project, records, budget=10).unverified == {
        "models/a.safetensors": "not verified: too large"
    }
    evidence = list(ModelIntegrity().collect(project))
    assert polarity(evidence, "DP-2.c") == {(SUPPORTS, DOCUMENT)}
    assert "too large" in evidence[0].summary


def _models_of(project: ProjectView) -> list[ModelFile]:
    return model_files(project)


def test_integrity_model_signing_bundle(tmp_path: Path) -> None:
    import base64

    data = safetensors_bytes()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "model", "digest": {"sha256": "f" * 64}}],
        "predicate": {"resources": [{"name": "a.safetensors", "digest": sha256(data)}]},
    }
    bundle = {
        "dsseEnvelope": {"payload": base64.b64encode(json.dumps(statement).encode()).decode()}
    }
    write(tmp_path, {"models/a.safetensors": data, "models/model.sig": json.dumps(bundle)})
    assert polarity(collect(ModelIntegrity(), tmp_path), "DP-2.c") == {(SUPPORTS, VERIFIED)}


def test_integrity_signature_only_is_document_present(tmp_path: Path) -> None:
    write(tmp_path, {"models/a.safetensors": safetensors_bytes(), "models/a.sig": "opaque"})
    assert polarity(collect(ModelIntegrity(), tmp_path), "DP-2.c") == {(SUPPORTS, DOCUMENT)}


def _bom(path: str, digest: str) -> str:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": [
                {
                    "type": "machine-learning-model",
                    "name": path,
                    "hashes": [{"alg": "SHA-256", "content": digest}],
                    "properties": [{"name": "aiwarden:path", "value": path}],
                }
            ],
        }
    )


def test_bom_matching_models_is_verified(tmp_path: Path) -> None:
    data = safetensors_bytes()
    write(
        tmp_path,
        {"models/a.safetensors": data, "bom.cdx.json": _bom("models/a.safetensors", sha256(data))},
    )
    evidence = collect(BomPresent(), tmp_path)
    assert polarity(evidence, "DV-3.c") == {(SUPPORTS, VERIFIED)}
    assert polarity(evidence, "DV-2.a") == {(SUPPORTS, DOCUMENT)}


def test_bom_that_drifted_is_only_present(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "models/a.safetensors": safetensors_bytes(),
            "bom.cdx.json": _bom("models/a.safetensors", "1" * 64),
        },
    )
    assert polarity(collect(BomPresent(), tmp_path), "DV-3.c") == {(SUPPORTS, DOCUMENT)}


def test_no_bom_with_models_or_ai_libraries_undermines(tmp_path: Path) -> None:
    write(tmp_path, {"models/a.safetensors": safetensors_bytes()})
    assert polarity(collect(BomPresent(), tmp_path), "DV-3.c") == {(UNDERMINES, HEURISTIC)}
    other = tmp_path / "other"
    write(other, {"app.py": "import openai\n"})
    assert polarity(collect(BomPresent(), other), "DV-3.c") == {(UNDERMINES, HEURISTIC)}


def test_ai_libraries_count_pyproject_runtime_and_extras_not_dev_groups(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "app"\ndependencies = ["anthropic>=0.40"]\n'
            '[project.optional-dependencies]\ngpu = ["torch"]\n'
            '[dependency-groups]\ntest = ["openai"]\n',
            "package.json": '{"devDependencies": {"@anthropic-ai/sdk": "1.0.0"}}',
        },
    )
    assert ai_libraries(view(tmp_path)) == ["anthropic", "torch"]


def test_a_dev_group_only_ai_library_needs_no_bom(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "lib"\n[dependency-groups]\ntest = ["openai"]\n',
            "lib.py": "import json\n",
        },
    )
    assert collect(BomPresent(), tmp_path) == []


def test_no_bom_for_plain_project_is_silent(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "import json\n"})
    assert collect(BomPresent(), tmp_path) == []


def test_assets_versioning_dvc_and_lfs(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "print(1)\n"})
    assert collect(AssetVersioning(), tmp_path) == []
    write(
        tmp_path,
        {
            "data/train.csv.dvc": "outs:\n- md5: abc\n  path: train.csv\n",
            ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
        },
    )
    evidence = collect(AssetVersioning(), tmp_path)
    assert polarity(evidence, "DV-2.d") == {(SUPPORTS, HEURISTIC)}
    assert any("*.safetensors" in e.summary for e in evidence)


def test_assets_versioning_mlflow_registry(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": "import mlflow\nmlflow.register_model(uri, 'clf')\n"})
    evidence = collect(AssetVersioning(), tmp_path)
    assert polarity(evidence, "DV-2.a") == {(SUPPORTS, HEURISTIC)}
