"""The behaviour table covers the catalogue exactly, and every rule maps to behaviours."""

from __future__ import annotations

from aiwarden.analyzers.registry import load_analyzers
from aiwarden.assess.behaviours import SPECS, Mode
from aiwarden.core.catalogue import load_catalogue
from aiwarden.engine.archives import ARCHIVE_RULES
from aiwarden.engine.rules import ENGINE_RULES


def test_specs_cover_every_catalogue_behaviour_once() -> None:
    catalogue_ids = [b.id for g in load_catalogue().guidelines for b in g.behaviours]
    assert len(catalogue_ids) == 63
    assert sorted(SPECS) == sorted(catalogue_ids)


def test_every_spec_has_a_prompt_and_known_traits() -> None:
    for spec in SPECS.values():
        assert spec.prompt.strip().endswith("."), spec.id
        assert len(set(spec.applies_if)) == len(spec.applies_if)


def test_attestation_only_behaviours_exist_in_every_area() -> None:
    areas = {spec.id[:2] for spec in SPECS.values() if spec.mode is Mode.ATTEST}
    assert areas == {"SD", "DV", "DP", "OM"}


def test_every_builtin_rule_names_a_behaviour_the_assessment_can_judge() -> None:
    catalogue = load_catalogue()
    rules = [*load_analyzers(builtin_only=True).rules, *ENGINE_RULES, *ARCHIVE_RULES]
    for rule in rules:
        behaviours = [g for g in rule.guidelines if "." in g]
        assert behaviours, f"{rule.id} names no behaviour id"
        for gid in rule.guidelines:
            assert catalogue.knows_guideline(gid), (rule.id, gid)
