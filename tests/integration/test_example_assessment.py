"""The bundled examples, assessed: the hardened twin scores visibly better.

Both projects are copied out of the repository so that each is its own scan root and
inherits none of aiwarden's own documents.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from aiwarden.assess.model import Scorecard, Status
from aiwarden.assess.run import AssessOptions, run_assessment
from aiwarden.engine.config import load_settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def assess(name: str, tmp_path: Path) -> Scorecard:
    copy = tmp_path / name
    shutil.copytree(EXAMPLES / name, copy)
    settings = load_settings([copy], env={})
    return run_assessment(
        AssessOptions(target=copy, settings=settings, today=dt.date(2026, 11, 26))
    )


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scorecard, Scorecard]:
    tmp = tmp_path_factory.mktemp("examples")
    return assess("chatbot", tmp), assess("chatbot-hardened", tmp)


def test_the_hardened_twin_scores_visibly_better(cards: tuple[Scorecard, Scorecard]) -> None:
    vulnerable, hardened = cards
    assert vulnerable.score is not None and hardened.score is not None
    assert hardened.score >= vulnerable.score + 0.35
    for area_v, area_h in zip(vulnerable.areas, hardened.areas, strict=True):
        assert (area_h.score or 0) > (area_v.score or 0), area_h.id


def test_the_vulnerable_example_fails_the_guidelines_its_problems_break(
    cards: tuple[Scorecard, Scorecard],
) -> None:
    vulnerable, _ = cards
    for gid in ("SD-2", "DP-1"):
        assert vulnerable.guideline(gid).status is Status.NOT_MET, gid
    om4b = vulnerable.guideline("OM-4").behaviours[1]
    assert (om4b.id, om4b.status) == ("OM-4.b", Status.NOT_MET)
    sd3d = vulnerable.guideline("SD-3").behaviours[3]
    assert sd3d.id == "SD-3.d"
    assert sd3d.status is Status.NOT_MET
    assert {"AIW-MOD002", "AIW-PY001"} <= {f.rule_id for f in sd3d.findings}
    assert vulnerable.next_steps[0].finding_fingerprints


def test_the_hardened_twin_has_nothing_not_met(cards: tuple[Scorecard, Scorecard]) -> None:
    _, hardened = cards
    assert hardened.scan.complete
    assert not hardened.scan.findings_by_severity
    statuses = {g.id: g.status for g in hardened.guidelines}
    assert Status.NOT_MET not in statuses.values()
    assert statuses["OM-4"] in (Status.MET, Status.PARTLY_MET)


def test_attestations_and_config_profile_are_used(cards: tuple[Scorecard, Scorecard]) -> None:
    _, hardened = cards
    sd1a = hardened.guideline("SD-1").behaviours[0]
    assert sd1a.status is Status.MET
    assert sd1a.attestation is not None and sd1a.attestation.attested_by.startswith("Maria")
    dp3b = hardened.guideline("DP-3").behaviours[1]
    assert dp3b.attestation is not None and dp3b.attestation.state.value == "expired"
    assert dp3b.status is Status.NEEDS_ATTESTATION
    pii = next(f for f in hardened.profile if f.name == "handles-personal-data")
    assert pii.value and pii.source == "config"
