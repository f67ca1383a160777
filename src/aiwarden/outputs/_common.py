"""What several renderers share: ordering, grouping by guideline area, tallies, verdict."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from aiwarden.core.report import BaselineState, ReportedFinding, ScanReport
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity

if TYPE_CHECKING:  # the catalogue loads when a finding needs its area (not for a clean scan)
    from aiwarden.core.catalogue import Area

SEVERITIES_DESC: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))
"""Every severity, most severe first."""

JSONObject = dict[str, object]
"""A JSON object as built by the JSON and SARIF renderers."""

OTHER_AREA_TITLE = "Other"
"""Heading for findings whose rule maps to no guideline the catalogue knows."""


def location_key(rf: ReportedFinding) -> tuple[str, str, int, int, int, str, str]:
    """Sort key: path, archive member, line, column, byte offset, rule id, fingerprint."""
    loc = rf.finding.location
    return (
        loc.path,
        loc.member or "",
        loc.line or 0,
        loc.column or 0,
        loc.offset or 0,
        rf.finding.rule_id,
        rf.fingerprint,
    )


def sorted_findings(findings: Iterable[ReportedFinding]) -> list[ReportedFinding]:
    """Findings in a deterministic order (see :func:`location_key`)."""
    return sorted(findings, key=location_key)


def by_severity(findings: Iterable[ReportedFinding]) -> list[ReportedFinding]:
    """Findings most severe first, location order within one severity."""
    return sorted(findings, key=lambda rf: (-rf.finding.severity.rank, location_key(rf)))


def all_rules(report: ScanReport) -> list[Rule]:
    """The report's rules plus any rule a finding references, one per id, sorted by id."""
    rules: dict[str, Rule] = {}
    for rule in report.rules:
        rules.setdefault(rule.id, rule)
    for rf in report.findings:
        rules.setdefault(rf.finding.rule.id, rf.finding.rule)
    return [rules[rid] for rid in sorted(rules)]


def area_of(gid: str) -> Area | None:
    """The catalogue area of guideline or behaviour ``gid``, or None if it is unknown."""
    from aiwarden.core.catalogue import load_catalogue

    catalogue = load_catalogue()
    if not catalogue.knows_guideline(gid.split(".", 1)[0]):
        return None
    return catalogue.area_of(gid)


def area_heading(area: Area) -> str:
    """``"Secure design (SD)"``."""
    return f"{area.title} ({area.id})"


def area_ids(rule: Rule) -> list[str]:
    """Ids of the areas the rule's guidelines belong to, in first-seen order."""
    seen: dict[str, None] = {}
    for gid in rule.guidelines:
        area = area_of(gid)
        if area is not None:
            seen.setdefault(area.id, None)
    return list(seen)


def group_by_area(findings: Iterable[ReportedFinding]) -> list[tuple[str, list[ReportedFinding]]]:
    """Findings grouped under the area of their rule's first guideline.

    Groups follow catalogue order (SD, DV, DP, OM), then "Other"; within a group,
    findings are most severe first. Empty groups are left out.
    """
    groups: dict[str, list[ReportedFinding]] = {}
    for rf in findings:
        area = area_of(rf.finding.rule.guidelines[0])
        key = area.id if area is not None else ""
        groups.setdefault(key, []).append(rf)
    from aiwarden.core.catalogue import load_catalogue

    result: list[tuple[str, list[ReportedFinding]]] = []
    for area in load_catalogue().areas:
        if area.id in groups:
            result.append((area_heading(area), by_severity(groups[area.id])))
    if "" in groups:
        result.append((OTHER_AREA_TITLE, by_severity(groups[""])))
    return result


class Tally(NamedTuple):
    """How the findings of a report split up; ``active + suppressed + baselined`` is all.

    ``baselined`` counts findings not suppressed and already in the baseline
    (``UNCHANGED``).
    """

    by_severity: dict[Severity, int]
    active: int
    suppressed: int
    baselined: int
    blocking: int


def tally(report: ScanReport) -> Tally:
    """Count the findings of ``report``."""
    suppressed = sum(1 for rf in report.findings if rf.suppressed)
    baselined = sum(
        1
        for rf in report.findings
        if not rf.suppressed and rf.baseline_state is BaselineState.UNCHANGED
    )
    counts = report.severity_counts()
    return Tally(
        by_severity={s: counts[s] for s in SEVERITIES_DESC},
        active=sum(counts.values()),
        suppressed=suppressed,
        baselined=baselined,
        blocking=len(report.blocking()),
    )


def verdict(report: ScanReport) -> str:
    """One line: incomplete scan, N blocking findings, or nothing at or above ``fail_on``."""
    if not report.complete:
        return f"INCOMPLETE SCAN: {len(report.failed)} file(s) could not be fully analysed"
    blocking = len(report.blocking())
    if blocking:
        return f"{blocking} blocking finding(s) at or above {report.fail_on.value}"
    return f"No findings at or above {report.fail_on.value}"
