"""Rule metadata: what a check looks for, how bad it is and which guidelines it evidences.

A :class:`Rule` is declared once, beside the analyzer that reports it. ``aiwarden rules``,
the documentation and SARIF ``reportingDescriptor`` objects are all generated from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NewType

from aiwarden.core.severity import Severity

RuleId = NewType("RuleId", str)

RULE_ID_PATTERN = re.compile(r"^AIW-(?P<family>[A-Z]{2,5})(?P<number>\d{3})$")


@dataclass(frozen=True, slots=True)
class Rule:
    """The metadata of one check.

    ``id`` is stable and never reused (``AIW-<FAMILY><NNN>``). ``guidelines`` holds
    catalogue ids such as ``"SD-3"`` or behaviour ids such as ``"SD-3.d"``;
    ``owasp_llm`` ids carry the edition (``"LLM03:2025"``); ``atlas`` ids are MITRE
    ATLAS technique or mitigation ids (``"AML.T0011.000"``). ``help`` is Markdown.
    """

    id: RuleId
    title: str
    severity: Severity
    summary: str
    help: str
    remediation: str
    guidelines: tuple[str, ...]
    cwe: tuple[int, ...] = ()
    owasp_llm: tuple[str, ...] = ()
    atlas: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not RULE_ID_PATTERN.match(self.id):
            raise ValueError(f"rule id {self.id!r} does not match AIW-<FAMILY><NNN>")
        if not self.guidelines:
            raise ValueError(f"rule {self.id} maps to no guideline")
        for name in ("title", "summary", "help", "remediation"):
            if not getattr(self, name).strip():
                raise ValueError(f"rule {self.id} has an empty {name}")

    @property
    def family(self) -> str:
        """The family part of the id: ``"MOD"`` for ``AIW-MOD001``."""
        match = RULE_ID_PATTERN.match(self.id)
        assert match is not None  # validated in __post_init__
        return match.group("family")

    @property
    def guideline_ids(self) -> tuple[str, ...]:
        """Guideline ids without behaviour suffixes (``SD-3.d`` -> ``SD-3``), deduplicated."""
        seen: dict[str, None] = {}
        for gid in self.guidelines:
            seen.setdefault(gid.split(".", 1)[0], None)
        return tuple(seen)
