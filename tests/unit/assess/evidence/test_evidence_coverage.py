"""Tests of the scan-coverage check, and of every machine check's declared behaviours."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from machine_evidence_support import (
    HEURISTIC,
    SUPPORTS,
    pickle_bytes,
    safetensors_bytes,
    view,
    write,
)

from aiwarden.assess.evidence import artefacts, coverage, pipeline, tooling
from aiwarden.assess.evidence.coverage import ScanCoverage, family_behaviours
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.report import FailedFile
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions, run_scan

MACHINE_CHECKS = (*pipeline.CHECKS, *artefacts.CHECKS, *tooling.CHECKS, *coverage.CHECKS)


def _summaries(project: ProjectView) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for evidence in ScanCoverage().collect(project):
        assert (evidence.polarity, evidence.strength) == (SUPPORTS, HEURISTIC)
        out.setdefault(evidence.summary.split(" rules")[0].rsplit(" ", 1)[-1], set()).add(
            evidence.behaviour
        )
    return out


def test_clean_python_supports_the_python_rules_behaviours(tmp_path: Path) -> None:
    write(tmp_path, {f"pkg/m{i}.py": f"def f{i}(x):\n    return x + {i}\n" for i in range(3)})
    families = _summaries(view(tmp_path))
    assert families["AIW-PY"] == set(family_behaviours()["AIW-PY"][1])
    summary = next(
        e.summary for e in ScanCoverage().collect(view(tmp_path)) if "AIW-PY" in e.summary
    )
    assert "3 Python files or notebooks" in summary
    assert "AIW-NB" not in families and "AIW-MOD" not in families  # nothing examined


def test_a_finding_silences_its_family_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": "import pickle\nobj = pickle.loads(data)\n",
            "m.safetensors": safetensors_bytes(),
        },
    )
    families = _summaries(view(tmp_path))
    assert "AIW-PY" not in families
    assert "AIW-MOD" in families


def test_unsafe_model_silences_model_family(tmp_path: Path) -> None:
    write(tmp_path, {"m.pkl": pickle_bytes(), "ok.safetensors": safetensors_bytes()})
    assert "AIW-MOD" not in _summaries(view(tmp_path))


def test_empty_project_is_vacuous(tmp_path: Path) -> None:
    write(tmp_path, {"data.bin": b"\x00\x01\x02"})
    assert "AIW-PY" not in _summaries(view(tmp_path))


def test_failed_file_makes_family_incomplete(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "x = 1\n"})
    project = view(tmp_path)
    assert "AIW-PY" in _summaries(project)
    report = project.report
    failed = dataclasses.replace(report, failed=(FailedFile("b.py", "timeout"),))
    assert "AIW-PY" not in _summaries(ProjectView.from_report(failed, tmp_path))


def test_dependency_family(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    assert "AIW-SCA" in _summaries(view(tmp_path))


@pytest.mark.parametrize("check", MACHINE_CHECKS, ids=lambda c: c.id)
def test_declared_behaviours_exist_in_the_catalogue(check: object) -> None:
    known = {b.id for g in load_catalogue().guidelines for b in g.behaviours}
    assert set(check.behaviours) <= known  # type: ignore[attr-defined]
    assert check.remediation and check.title  # type: ignore[attr-defined]


def test_check_ids_are_unique() -> None:
    ids = [c.id for c in MACHINE_CHECKS]
    assert len(ids) == len(set(ids))


PROJECTS = {
    "insecure": {
        "app.py": "import pickle, openai\nfrom fastapi import FastAPI\nx = pickle.loads(b)\n",
        "requirements.txt": "fastapi\nopenai\n",
        "models/a.pkl": pickle_bytes(),
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - uses: someone/act@v1\n",
    },
    "hardened": {
        "app.py": "@app.post('/v1/chat')\ndef chat(): ...\n",
        "models/a.safetensors": safetensors_bytes(),
        "requirements.txt": "flask==3.0.3 --hash=sha256:" + "a" * 64 + "\n",
        ".github/dependabot.yml": "version: 2\nupdates: []\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: bandit -r . && pip-audit && modelscan -p models && cosign sign x\n",
    },
}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_every_evidence_is_about_a_declared_behaviour(tmp_path: Path, name: str) -> None:
    write(tmp_path, PROJECTS[name])  # type: ignore[arg-type]
    project = view(tmp_path)
    emitted = 0
    for check in MACHINE_CHECKS:
        for evidence in check.collect(project):
            emitted += 1
            assert evidence.check == check.id
            assert evidence.behaviour in check.behaviours, (check.id, evidence.behaviour)
            assert evidence.summary
            assert all((project.root / p).is_file() for p in evidence.paths), evidence
    assert emitted >= 5


def test_a_family_with_a_rule_the_scan_did_not_run_vouches_for_nothing(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n")
    settings = load_settings([tmp_path], env={}, overrides={"ignore": ("AIW-PY001",)})
    report = run_scan(ScanOptions(targets=(tmp_path,), settings=settings))
    selected = ProjectView.from_report(report, tmp_path)  # the report knows what ran
    summaries = {e.summary for e in ScanCoverage().collect(selected)}
    assert not any("AIW-PY rules" in s for s in summaries)
    everything = ProjectView.from_report(report, tmp_path, lambda rule_id: True)
    assert any("AIW-PY rules" in e.summary for e in ScanCoverage().collect(everything))
