"""The guideline catalogue, and every rule's mapping into it."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core import Rule
from aiwarden.core.catalogue import load_catalogue
from aiwarden.engine.archives import ARCHIVE_RULES
from aiwarden.engine.rules import ENGINE_RULES


def all_rules() -> list[Rule]:
    registry = load_analyzers()
    assert not registry.warnings, registry.warnings
    return [*registry.rules, *ENGINE_RULES, *ARCHIVE_RULES]


def test_catalogue_has_four_areas_and_seventeen_guidelines() -> None:
    catalogue = load_catalogue()
    assert [a.id for a in catalogue.areas] == ["SD", "DV", "DP", "OM"]
    assert [len(a.guidelines) for a in catalogue.areas] == [4, 4, 5, 4]
    assert all(g.behaviours for g in catalogue.guidelines)
    assert catalogue.knows_guideline("SD-3.d")
    assert not catalogue.knows_guideline("SD-3.z")
    assert not catalogue.knows_guideline("SD-9")


def test_owasp_llm_2025_is_complete() -> None:
    catalogue = load_catalogue()
    assert [e.id for e in catalogue.owasp_llm] == [f"LLM{n:02d}:2025" for n in range(1, 11)]


def test_cross_walk_ids_exist() -> None:
    catalogue = load_catalogue()
    for guideline in catalogue.guidelines:
        for oid in guideline.owasp_llm:
            assert catalogue.owasp_name(oid), oid
        for aid in guideline.atlas:
            assert catalogue.atlas_name(aid), aid


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_maps_only_to_known_ids(rule: Rule) -> None:
    catalogue = load_catalogue()
    unknown = [g for g in rule.guidelines if not catalogue.knows_guideline(g)]
    unknown += [o for o in rule.owasp_llm if catalogue.owasp_name(o) is None]
    unknown += [a for a in rule.atlas if catalogue.atlas_name(a) is None]
    assert unknown == []


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_check_rule_cites_references_and_a_weakness(rule: Rule) -> None:
    # Engine rules describe aiwarden itself; every other rule documents a real weakness.
    if rule.family == "ENG":
        return
    assert rule.references, rule.id
    assert all(ref.startswith("https://") for ref in rule.references), rule.id
    assert rule.cwe, rule.id


def test_the_mapping_check_can_fail() -> None:
    catalogue = load_catalogue()
    assert not catalogue.knows_guideline("XX-1")
    assert catalogue.owasp_name("LLM11:2025") is None
    assert catalogue.atlas_name("AML.T9999") is None


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
