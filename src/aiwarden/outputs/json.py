"""The JSON report: an explicit, versioned output model with a published JSON Schema.

The document is built field by field from the domain objects (never with
``dataclasses.asdict``), so a change in the domain cannot silently change the
output. The schema lives in ``schemas/scan-report-v1.schema.json``; consumers should
ignore fields they do not know, and a breaking change bumps ``schema_version``.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final, cast

from aiwarden.core.location import Location
from aiwarden.core.report import ReportedFinding, ScanReport, Suppression
from aiwarden.core.rule import Rule
from aiwarden.outputs._common import JSONObject, all_rules, area_ids, sorted_findings, tally
from aiwarden.outputs.interface import Renderer

JSON_SCHEMA_VERSION: Final = "1.0"
"""The value of ``schema_version`` in every JSON report this module writes."""

JSON_SCHEMA_PATH: Final[Traversable] = resources.files("aiwarden.outputs").joinpath(
    "schemas", "scan-report-v1.schema.json"
)
"""The JSON Schema (draft 2020-12) of the report, as a package resource."""


def load_json_schema() -> JSONObject:
    """The JSON Schema of the report, parsed."""
    return cast(JSONObject, json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8")))


def _location(loc: Location) -> JSONObject:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "offset": loc.offset,
        "member": loc.member,
    }


def _suppression(suppression: Suppression | None) -> JSONObject | None:
    if suppression is None:
        return None
    return {
        "kind": suppression.kind.value,
        "reason": suppression.reason,
        "source": suppression.source,
    }


def _finding(rf: ReportedFinding) -> JSONObject:
    finding = rf.finding
    rule = finding.rule
    return {
        "rule_id": rule.id,
        "title": rule.title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "location": _location(finding.location),
        "related": [_location(loc) for loc in finding.related],
        "evidence": finding.evidence,
        "remediation": rule.remediation,
        "guidelines": list(rule.guidelines),
        "areas": area_ids(rule),
        "cwe": list(rule.cwe),
        "owasp_llm": list(rule.owasp_llm),
        "atlas": list(rule.atlas),
        "fingerprint": rf.fingerprint,
        "suppressed": rf.suppressed,
        "suppression": _suppression(rf.suppression),
        "baseline_state": rf.baseline_state.value if rf.baseline_state is not None else None,
    }


def _rule(rule: Rule) -> JSONObject:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "guidelines": list(rule.guidelines),
        "cwe": list(rule.cwe),
        "owasp_llm": list(rule.owasp_llm),
        "atlas": list(rule.atlas),
        "references": list(rule.references),
    }


def _scan(report: ScanReport) -> JSONObject:
    return {
        "root": report.root,
        "targets": list(report.targets),
        "started_at": report.started_at,
        "duration_s": report.duration_s,
        "complete": report.complete,
        "fail_on": report.fail_on.value,
        "baseline": report.baseline,
        "exit_code": report.exit_code(),
    }


def _summary(report: ScanReport) -> JSONObject:
    counts = tally(report)
    return {
        "by_severity": {s.value: n for s, n in counts.by_severity.items()},
        "active": counts.active,
        "suppressed": counts.suppressed,
        "baselined": counts.baselined,
        "blocking": counts.blocking,
    }


def _files(report: ScanReport) -> JSONObject:
    return {
        "scanned": [
            {"path": f.path, "format": f.format, "size": f.size, "duration_s": f.duration_s}
            for f in sorted(report.scanned, key=lambda f: f.path)
        ],
        "skipped": [
            {"path": f.path, "reason": f.reason}
            for f in sorted(report.skipped, key=lambda f: (f.path, f.reason))
        ],
        "failed": [
            {"path": f.path, "reason": f.reason}
            for f in sorted(report.failed, key=lambda f: (f.path, f.reason))
        ],
    }


def report_to_json(report: ScanReport) -> JSONObject:
    """The JSON report as a Python object (what :class:`JsonRenderer` serialises)."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "aiwarden", "version": report.tool_version},
        "scan": _scan(report),
        "summary": _summary(report),
        "files": _files(report),
        "rules": [_rule(rule) for rule in all_rules(report)],
        "findings": [_finding(rf) for rf in sorted_findings(report.findings)],
        "warnings": list(report.warnings),
    }


class JsonRenderer(Renderer):
    """Renders the versioned JSON report (``schema_version`` 1.0), indented, ASCII-only.

    Non-ASCII and control characters are written as ``\\uXXXX`` escapes, so the file
    is safe to print on a terminal even when findings quote hostile content.
    """

    def render(self, report: ScanReport) -> str:
        """The JSON document, ending with a newline."""
        return json.dumps(report_to_json(report), indent=2, ensure_ascii=True) + "\n"
