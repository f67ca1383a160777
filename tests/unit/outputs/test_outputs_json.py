"""The versioned JSON report and its JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.core import ScanReport
from aiwarden.outputs import JSON_SCHEMA_PATH, JsonRenderer, load_json_schema
from aiwarden.outputs.json import dumps_indented


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json(report: ScanReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(JsonRenderer().render(report))
    return data


def _by_message(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["message"]: f for f in data["findings"]}


def test_schema_resource_is_shipped() -> None:
    assert JSON_SCHEMA_PATH.name == "scan-report-v1.schema.json"
    schema = load_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", ["complete", "incomplete", "empty"])
def test_validates_against_its_schema(
    kind: str,
    make_report: Callable[..., ScanReport],
    validator: jsonschema.Draft202012Validator,
) -> None:
    report = make_report(incomplete=kind == "incomplete", empty=kind == "empty")
    errors = sorted(validator.iter_errors(_json(report)), key=str)
    assert errors == []


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.update(surprise=1), id="unknown-top-level-key"),
        pytest.param(lambda d: d["scan"].update(extra=True), id="unknown-scan-key"),
        pytest.param(lambda d: d["findings"][0].update(extra=1), id="unknown-finding-key"),
        pytest.param(lambda d: d["findings"][0]["location"].pop("line"), id="missing-line"),
        pytest.param(lambda d: d.update(schema_version="2.0"), id="wrong-version"),
        pytest.param(lambda d: d["findings"][0].update(severity="urgent"), id="bad-severity"),
    ],
)
def test_schema_rejects_drift(
    mutate: Callable[[dict[str, Any]], object],
    report: ScanReport,
    validator: jsonschema.Draft202012Validator,
) -> None:
    data = _json(report)
    mutate(data)
    assert not validator.is_valid(data)


def test_top_level(report: ScanReport) -> None:
    data = _json(report)
    assert data["schema_version"] == "1.1"
    assert data["tool"] == {"name": "aiwarden", "version": "0.1.0"}
    assert data["scan"] == {
        "root": "/work/repo",
        "targets": ["."],
        "started_at": "2026-01-02T03:04:05+00:00",
        "duration_s": 1.5,
        "complete": True,
        "fail_on": "high",
        "baseline": ".aiwarden-baseline.json",
        "exit_code": 1,
    }
    assert data["warnings"] == ["plugin 'broken' failed to load"]


def test_summary(report: ScanReport) -> None:
    summary = _json(report)["summary"]
    assert summary == {
        "by_severity": {"critical": 1, "high": 1, "medium": 1, "low": 1, "info": 0},
        "active": 4,
        "suppressed": 2,
        "baselined": 1,
        "blocking": 2,
    }
    assert summary["active"] + summary["suppressed"] + summary["baselined"] == len(report.findings)


def test_incomplete_scan(incomplete_report: ScanReport) -> None:
    data = _json(incomplete_report)
    assert data["scan"]["complete"] is False
    assert data["scan"]["exit_code"] == 2
    assert data["files"]["failed"] == [
        {"path": "models/broken.pt", "reason": "analyzer crashed: ValueError"},
        {"path": "models/huge.bin", "reason": "timed out after 60s"},
    ]
    assert "AIW-ENG001" in [r["id"] for r in data["rules"]]


def test_suppressed_and_baselined_findings_are_present_and_marked(report: ScanReport) -> None:
    findings = _by_message(_json(report))
    inline = findings["pickle.load in tests"]
    assert inline["suppressed"] is True
    assert inline["suppression"] == {
        "kind": "inline",
        "reason": "test fixture, reviewed",
        "source": "src/app.py:9",
    }
    assert findings["vendored download"]["suppression"]["kind"] == "config"
    assert findings["old bind"]["baseline_state"] == "unchanged"
    assert findings["old bind"]["suppressed"] is False
    active = findings["binds 0.0.0.0"]
    assert active["suppressed"] is False
    assert active["suppression"] is None
    assert active["baseline_state"] is None


def test_finding_fields(report: ScanReport) -> None:
    finding = _by_message(_json(report))["pickle imports os.system"]
    assert finding["rule_id"] == "AIW-TST001"
    assert finding["severity"] == "critical"
    assert finding["confidence"] == "high"
    assert finding["location"] == {
        "path": "models/my model.pkl",
        "line": None,
        "column": None,
        "end_line": None,
        "end_column": None,
        "offset": 1234,
        "member": "archive/data.pkl",
    }
    assert finding["guidelines"] == ["SD-3.d", "DV-1"]
    assert finding["areas"] == ["SD", "DV"]
    assert finding["cwe"] == [502]
    assert finding["owasp_llm"] == ["LLM03:2025"]
    assert finding["atlas"] == ["AML.T0011.000"]
    assert finding["remediation"] == "Use safetensors instead of pickle."
    assert finding["evidence"] == "os.system"
    expected = next(rf.fingerprint for rf in report.findings if rf.finding.evidence == "os.system")
    assert finding["fingerprint"] == expected


def test_related_locations(report: ScanReport) -> None:
    finding = next(f for f in _json(report)["findings"] if f["related"])
    assert [(r["path"], r["line"], r["label"]) for r in finding["related"]] == [
        ("src/config.py", 3, "LLM output"),
        ("src/app.py", 2, None),
    ]


def test_a_1_0_report_still_validates(
    report: ScanReport, validator: jsonschema.Draft202012Validator
) -> None:
    """Schema 1.1 only added the related locations' label: 1.0 reports stay valid."""
    data = _json(report)
    data["schema_version"] = "1.0"
    for finding in data["findings"]:
        for related in finding["related"]:
            del related["label"]
    validator.validate(data)


def test_findings_sorted_by_path_line_offset_rule(report: ScanReport) -> None:
    findings = _json(report)["findings"]
    keys = [(f["location"]["path"], f["location"]["line"] or 0) for f in findings]
    assert keys == sorted(keys)
    assert findings[0]["location"]["path"] == "deploy/old.py"


def test_rules_sorted_with_metadata(report: ScanReport) -> None:
    rules = _json(report)["rules"]
    assert [r["id"] for r in rules] == ["AIW-TST001", "AIW-TST002", "AIW-TST003", "AIW-TST004"]
    assert rules[0]["references"] == ["https://example.org/rules/AIW-TST001"]


def test_output_is_indented_ascii_with_escaped_controls(report: ScanReport) -> None:
    text = JsonRenderer().render(report)
    assert text.startswith('{\n  "schema_version": "1.1"')
    assert text.isascii()
    assert "\x1b" not in text
    assert "\r" not in text
    hostile = next(f for f in json.loads(text)["findings"] if "evil" in f["message"])
    assert "\x1b[31m" in hostile["message"]  # the data itself is preserved exactly


_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: json.dumps writes them as NaN/Infinity
    | st.text()
)
_json_keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats()
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(_json_keys, inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_fast_writer_matches_the_standard_library(value: Any) -> None:
    """The renderer's writer is the text of json.dumps(indent=2, ensure_ascii=True)."""
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=True)


@pytest.mark.parametrize("value", [object(), {"k": {1, 2}}, {(1, 2): "tuple key"}])
def test_fast_writer_refuses_what_json_refuses(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, indent=2)
    with pytest.raises(TypeError):
        dumps_indented(value)
