"""SARIF 2.1.0 output, shaped for GitHub code scanning.

Every finding is a result, suppressed ones included (with ``suppressions``), so
auditors see what was waived and why. Paths are repo-relative URIs against
``%SRCROOT%``; identity across runs rides on ``partialFingerprints`` under
:data:`~aiwarden.core.fingerprint.FINGERPRINT_VERSION`, and GitHub's upload action
adds its own ``primaryLocationLineHash``. Files that failed or were skipped, and
scan warnings, become ``toolExecutionNotifications``; ``executionSuccessful`` is
false for an incomplete scan.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Final
from urllib.parse import quote

from aiwarden.core.fingerprint import FINGERPRINT_VERSION
from aiwarden.core.location import Location
from aiwarden.core.report import ReportedFinding, ScanReport, SuppressionKind
from aiwarden.outputs._common import JSONObject, all_rules, sorted_findings
from aiwarden.outputs._sarif_rules import LEVEL, reporting_descriptor
from aiwarden.outputs.interface import Renderer

SARIF_VERSION: Final = "2.1.0"
"""The SARIF version written."""
SARIF_SCHEMA_URI: Final = "https://json.schemastore.org/sarif-2.1.0.json"
"""The ``$schema`` of the log (the URI GitHub's documentation uses)."""
INFORMATION_URI: Final = "https://github.com/aiwarden/aiwarden"
SRCROOT: Final = "%SRCROOT%"
"""The ``uriBaseId`` every artifact location is relative to."""

_SUPPRESSION_KIND: Final = {SuppressionKind.INLINE: "inSource", SuppressionKind.CONFIG: "external"}


def artifact_uri(path: str) -> str:
    """A repo-relative POSIX path as a percent-encoded relative URI (``/`` kept)."""
    return quote(path.replace("\\", "/"), safe="/")


def root_uri(root: str) -> str:
    """The ``file:`` URI of the scan root, ending with ``/``."""
    path = PurePath(root) if PurePath(root).is_absolute() else Path(root).absolute()
    uri = path.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _artifact(path: str) -> JSONObject:
    return {"uri": artifact_uri(path), "uriBaseId": SRCROOT}


def _region(loc: Location, evidence: str | None) -> JSONObject:
    if loc.line is None:
        region: JSONObject = {"startLine": 1}
        if loc.offset is not None:
            region["byteOffset"] = loc.offset
        return region
    region = {"startLine": loc.line}
    if loc.column is not None:
        region["startColumn"] = loc.column
    if loc.end_line is not None:
        region["endLine"] = loc.end_line
    if loc.end_column is not None:
        region["endColumn"] = loc.end_column
    if evidence:
        region["snippet"] = {"text": evidence}
    return region


def _physical(loc: Location, evidence: str | None = None) -> JSONObject:
    return {"artifactLocation": _artifact(loc.path), "region": _region(loc, evidence)}


def _properties(rf: ReportedFinding) -> JSONObject:
    finding = rf.finding
    props: JSONObject = {
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
    }
    if finding.location.member is not None:
        props["member"] = finding.location.member
    if finding.location.offset is not None:
        props["offset"] = finding.location.offset
    return props


def _related_text(location: Location) -> str:
    """``"LLM output (app.py:38)"``; the bare location when it has no label."""
    if location.label:
        return f"{location.label} ({location.display()})"
    return location.display()


def _result(rf: ReportedFinding, rule_index: dict[str, int]) -> JSONObject:
    finding = rf.finding
    result: JSONObject = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical(finding.location, finding.evidence)}],
    }
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(loc), "message": {"text": _related_text(loc)}}
            for i, loc in enumerate(finding.related, start=1)
        ]
    result["partialFingerprints"] = {FINGERPRINT_VERSION: rf.fingerprint}
    if rf.suppression is not None:
        result["suppressions"] = [
            {
                "kind": _SUPPRESSION_KIND[rf.suppression.kind],
                "status": "accepted",
                "justification": rf.suppression.reason,
                "properties": {"source": rf.suppression.source},
            }
        ]
    if rf.baseline_state is not None:
        result["baselineState"] = rf.baseline_state.value
    result["properties"] = _properties(rf)
    return result


def _notification(level: str, text: str, path: str | None = None) -> JSONObject:
    note: JSONObject = {"level": level, "message": {"text": text}}
    if path is not None:
        note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(path)}}]
    return note


def _invocation(report: ScanReport) -> JSONObject:
    notes = [
        _notification("error", f"{f.path}: {f.reason}", f.path)
        for f in sorted(report.failed, key=lambda f: (f.path, f.reason))
    ]
    notes += [
        _notification("note", f"{f.path}: {f.reason}", f.path)
        for f in sorted(report.skipped, key=lambda f: (f.path, f.reason))
    ]
    notes += [_notification("warning", warning) for warning in report.warnings]
    return {"executionSuccessful": report.complete, "toolExecutionNotifications": notes}


def report_to_sarif(report: ScanReport) -> JSONObject:
    """The SARIF log as a Python object (what :class:`SarifRenderer` serialises)."""
    rules = all_rules(report)
    rule_index: dict[str, int] = {rule.id: i for i, rule in enumerate(rules)}
    driver: JSONObject = {
        "name": "aiwarden",
        "version": report.tool_version,
        "semanticVersion": report.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [reporting_descriptor(rule) for rule in rules],
    }
    run: JSONObject = {
        "tool": {"driver": driver},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(report.root)}},
        "results": [_result(rf, rule_index) for rf in sorted_findings(report.findings)],
        "properties": {"complete": report.complete},
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


class SarifRenderer(Renderer):
    """Renders a SARIF 2.1.0 log with one run, indented, ASCII-only."""

    def render(self, report: ScanReport) -> str:
        """The SARIF document, ending with a newline."""
        return json.dumps(report_to_sarif(report), indent=2, ensure_ascii=True) + "\n"
