"""Helpers for the document evidence checks' tests: build a tree, scan it, collect evidence."""

from __future__ import annotations

from collections.abc import Iterable

from aiw_test_support import project_view, write_tree
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Polarity, Strength

AI_REQUIREMENTS = {"requirements.txt": "openai==1.55.0\n"}
"""Makes a tree an AI project (it depends on an AI library)."""
PLAIN_REQUIREMENTS = {"requirements.txt": "flask==3.0.3\n"}


write = write_tree

view_of = project_view


def collect(check: EvidenceCheck, view: ProjectView) -> list[Evidence]:
    """The evidence ``check`` yields, checked against its declared behaviours."""
    evidence = list(check.collect(view))
    for item in evidence:
        assert item.check == check.id
        assert item.behaviour in check.behaviours, item
        assert item.summary.endswith("."), item.summary
        assert "\n" not in item.summary
    return evidence


def pick(
    evidence: Iterable[Evidence],
    behaviour: str,
    polarity: Polarity | None = None,
) -> list[Evidence]:
    """The items about ``behaviour`` (and of ``polarity`` when given)."""
    return [
        e
        for e in evidence
        if e.behaviour == behaviour and (polarity is None or e.polarity is polarity)
    ]


def one(
    evidence: Iterable[Evidence],
    behaviour: str,
    polarity: Polarity,
    strength: Strength | None = None,
) -> Evidence:
    """The single item about ``behaviour`` with ``polarity`` (and ``strength``)."""
    found = pick(evidence, behaviour, polarity)
    assert len(found) == 1, found
    if strength is not None:
        assert found[0].strength is strength, found[0]
    return found[0]


def polarities(evidence: Iterable[Evidence]) -> set[tuple[str, Polarity]]:
    """``{(behaviour, polarity)}`` of ``evidence``."""
    return {(e.behaviour, e.polarity) for e in evidence}
