"""Every document check: declared behaviours, the catalogue, and the example projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docs_evidence_support import PLAIN_REQUIREMENTS, collect, view_of, write

from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.evidence import documents
from aiwarden.assess.evidence.interface import EvidenceCheck
from aiwarden.assess.model import Evidence, Polarity
from aiwarden.core.catalogue import load_catalogue

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "fixtures" / "governance"
S, U = Polarity.SUPPORTS, Polarity.UNDERMINES


def _catalogue_behaviours() -> set[str]:
    return {b.id for g in load_catalogue().guidelines for b in g.behaviours}


def test_checks_are_instances_with_unique_ids_and_known_behaviours() -> None:
    known = _catalogue_behaviours()
    ids = [check.id for check in documents.CHECKS]
    assert len(ids) == len(set(ids)) == 10
    for check in documents.CHECKS:
        assert isinstance(check, EvidenceCheck)
        assert check.id.startswith("docs.")
        assert check.title and len(check.remediation) > 80
        assert check.behaviours and set(check.behaviours) <= known
        assert set(check.behaviours) <= set(SPECS)


def _run_all(project: Path) -> list[Evidence]:
    view = view_of(project)
    return [item for check in documents.CHECKS for item in collect(check, view)]


def _copy(source: Path, tmp_path: Path) -> Path:
    # a copy, so that the documents of the repository around it are not inherited
    target = tmp_path / source.name
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.mark.parametrize(
    "source",
    [FIXTURES / "hardened", FIXTURES / "vulnerable", REPO / "examples" / "chatbot"],
    ids=["hardened", "vulnerable", "chatbot"],
)
def test_every_evidence_names_a_declared_catalogue_behaviour(source: Path, tmp_path: Path) -> None:
    known = _catalogue_behaviours()
    evidence = _run_all(_copy(source, tmp_path))
    assert evidence
    for item in evidence:
        check = next(c for c in documents.CHECKS if c.id == item.check)
        assert item.behaviour in check.behaviours and item.behaviour in known
        assert all(not p.startswith("/") for p in item.paths)


def test_hardened_twin_has_no_negative_evidence(tmp_path: Path) -> None:
    evidence = _run_all(_copy(FIXTURES / "hardened", tmp_path))
    assert [e for e in evidence if e.polarity is U] == []
    supported = {e.behaviour for e in evidence}
    assert {"OM-4.b", "SD-2.b", "DV-3.a", "DV-3.b", "DP-3.a", "OM-2.a", "SD-1.d"} <= supported


def test_vulnerable_twin_has_the_expected_negative_evidence(tmp_path: Path) -> None:
    evidence = _run_all(_copy(FIXTURES / "vulnerable", tmp_path))
    negative = {(e.check, e.behaviour) for e in evidence if e.polarity is U}
    assert negative == {
        ("docs.threat-model", "SD-2.b"),  # STRIDE only, no AI threat
        ("docs.threat-model", "SD-2.d"),  # last updated 2023-02-14
        ("docs.model-cards", "DV-3.a"),
        ("docs.data-cards", "DV-3.a"),
        ("docs.incident-response", "DP-3.a"),
    }
    # its SECURITY.md only says "open an issue": left to AIW-GOV001, no evidence either way
    assert not [e for e in evidence if e.check == "docs.security-policy"]


def test_example_chatbot_lacks_its_ai_documents(tmp_path: Path) -> None:
    evidence = _run_all(_copy(REPO / "examples" / "chatbot", tmp_path))
    negative = {(e.check, e.behaviour) for e in evidence if e.polarity is U}
    assert {
        ("docs.security-policy", "OM-4.b"),
        ("docs.threat-model", "SD-2.a"),
        ("docs.threat-model", "SD-2.b"),
        ("docs.model-cards", "DV-3.a"),
        ("docs.incident-response", "DP-3.a"),
    } <= negative
    assert not [e for e in evidence if e.polarity is S and e.check == "docs.model-cards"]


def test_plain_project_gets_negative_evidence_only_for_its_disclosure_policy(
    tmp_path: Path,
) -> None:
    files = {
        "README.md": "# Web shop\n\n## Install\n\npip install shop\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "data/countries.csv": "code,name\nfr,France\n",
        **PLAIN_REQUIREMENTS,
    }
    evidence = _run_all(write(tmp_path, files))
    negative = {(e.check, e.behaviour) for e in evidence if e.polarity is U}
    assert negative == {("docs.security-policy", "OM-4.b")}


def test_a_new_view_of_a_changed_tree_sees_the_change(tmp_path: Path) -> None:
    write(tmp_path, {"models/m.safetensors": b"\x02\x00\x00\x00\x00\x00\x00\x00{}"})
    check = next(c for c in documents.CHECKS if c.id == "docs.model-cards")
    before = collect(check, view_of(tmp_path))
    assert [e.polarity for e in before] == [U]
    write(tmp_path, {"models/README.md": "# Model\n\nA small classifier for tickets.\n"})
    after = collect(check, view_of(tmp_path))
    assert [e.polarity for e in after] == [S]
