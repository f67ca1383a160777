"""The JSON report: an explicit, versioned output model with a published JSON Schema.

The document is built field by field from the domain objects (never with
``dataclasses.asdict``), so a change in the domain cannot silently change the
output. The schema lives in ``schemas/scan-report-v1.schema.json``; consumers should
ignore fields they do not know, and a breaking change bumps ``schema_version``.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Final, cast

from aiwarden.core.location import Location
from aiwarden.core.report import ReportedFinding, ScanReport, Suppression
from aiwarden.core.rule import Rule
from aiwarden.outputs._common import JSONObject, all_rules, area_ids, sorted_findings, tally
from aiwarden.outputs.interface import Renderer

JSON_SCHEMA_VERSION: Final = "1.1"
"""The value of ``schema_version`` in every JSON report this module writes."""

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    JSON_SCHEMA_PATH: Traversable
    """The JSON Schema (draft 2020-12) of the report, as a package resource."""


def _schema_path() -> Traversable:
    from importlib import resources  # only for the schema, not for writing reports

    return resources.files("aiwarden.outputs").joinpath("schemas", "scan-report-v1.schema.json")


def __getattr__(name: str) -> object:
    """``JSON_SCHEMA_PATH``, resolved on first use (``importlib.resources`` is costly)."""
    if name == "JSON_SCHEMA_PATH":
        return _schema_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_json_schema() -> JSONObject:
    """The JSON Schema of the report, parsed."""
    return cast(JSONObject, json.loads(_schema_path().read_text(encoding="utf-8")))


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


def _finding(rf: ReportedFinding, areas: dict[tuple[str, ...], list[str]]) -> JSONObject:
    finding = rf.finding
    rule = finding.rule
    return {
        "rule_id": rule.id,
        "title": rule.title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "location": _location(finding.location),
        "related": [_location(loc) | {"label": loc.label} for loc in finding.related],
        "evidence": finding.evidence,
        "remediation": rule.remediation,
        "guidelines": list(rule.guidelines),
        "areas": _areas(rule, areas),
        "cwe": list(rule.cwe),
        "owasp_llm": list(rule.owasp_llm),
        "atlas": list(rule.atlas),
        "fingerprint": rf.fingerprint,
        "suppressed": rf.suppressed,
        "suppression": _suppression(rf.suppression),
        "baseline_state": rf.baseline_state.value if rf.baseline_state is not None else None,
    }


def _areas(rule: Rule, known: dict[tuple[str, ...], list[str]]) -> list[str]:
    """:func:`area_ids` of ``rule``, looked up once per set of guidelines in a report."""
    ids = known.get(rule.guidelines)
    if ids is None:
        ids = known[rule.guidelines] = area_ids(rule)
    return list(ids)


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
    areas: dict[tuple[str, ...], list[str]] = {}
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "aiwarden", "version": report.tool_version},
        "scan": _scan(report),
        "summary": _summary(report),
        "files": _files(report),
        "rules": [_rule(rule) for rule in all_rules(report)],
        "findings": [_finding(rf, areas) for rf in sorted_findings(report.findings)],
        "warnings": list(report.warnings),
    }


_INDENT: Final = "  "


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key_text(key: object) -> str:
    if isinstance(key, str):
        return encode_basestring_ascii(key)
    if key is None or isinstance(key, bool):
        return f'"{_scalar_text(key)}"'
    if isinstance(key, float):
        return f'"{_float_text(key)}"'
    if isinstance(key, int):
        return f'"{int.__repr__(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar_text(value: object) -> str:
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _inline(item: object) -> str | None:
    """The text of a value that needs no recursion (string, null, bool, int, empty
    list or object), or None for anything else; types checked exactly, so subclasses
    take the general path of :func:`_write`."""
    kind = type(item)
    if kind is str:
        return encode_basestring_ascii(cast(str, item))
    if item is None:
        return "null"
    if kind is int:
        return int.__repr__(cast(int, item))
    if kind is bool:
        return "true" if item else "false"
    if kind is list and not item:
        return "[]"
    if kind is dict and not item:
        return "{}"
    return None


def _write(value: object, out: list[str], level: int) -> None:
    """Append ``value`` as ``json.dumps(value, indent=2, ensure_ascii=True)`` writes it.

    The standard library falls back to its pure-Python encoder whenever ``indent`` is
    set; this writer produces the same text with far fewer calls per value: members
    that need no recursion (:func:`_inline`) are written in the loop over their
    container, and strings still go through the C escaper.
    """
    if type(value) is str:
        out.append(encode_basestring_ascii(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + _INDENT * (level + 1)
        sep = "{" + inner
        for key, item in value.items():
            name = encode_basestring_ascii(key) if type(key) is str else _key_text(key)
            text = _inline(item)
            if text is not None:
                out.append(f"{sep}{name}: {text}")
            else:
                out.append(f"{sep}{name}: ")
                _write(item, out, level + 1)
            sep = "," + inner
        out.append("\n" + _INDENT * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + _INDENT * (level + 1)
        sep = "[" + inner
        for item in value:
            text = _inline(item)
            if text is not None:
                out.append(sep + text)
            else:
                out.append(sep)
                _write(item, out, level + 1)
            sep = "," + inner
        out.append("\n" + _INDENT * level + "]")
    else:
        out.append(_scalar_text(value))


def dumps_indented(value: object) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=True)``, the same text, faster."""
    out: list[str] = []
    _write(value, out, 0)
    return "".join(out)


class JsonRenderer(Renderer):
    """Renders the versioned JSON report (``schema_version`` 1.0), indented, ASCII-only.

    Non-ASCII and control characters are written as ``\\uXXXX`` escapes, so the file
    is safe to print on a terminal even when findings quote hostile content.
    """

    def render(self, report: ScanReport) -> str:
        """The JSON document, ending with a newline."""
        return dumps_indented(report_to_json(report)) + "\n"
