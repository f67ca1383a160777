"""SARIF 2.1.0 output for GitHub code scanning."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from aiwarden.core import FINGERPRINT_VERSION, ScanReport
from aiwarden.outputs import SARIF_SCHEMA_URI, SarifRenderer
from aiwarden.outputs._sarif_rules import pascal_name
from aiwarden.outputs.sarif import artifact_uri, root_uri


def _sarif(report: ScanReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SarifRenderer().render(report))
    return data


def _run(report: ScanReport) -> dict[str, Any]:
    run: dict[str, Any] = _sarif(report)["runs"][0]
    return run


def _results_by_message(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["message"]["text"]: r for r in run["results"]}


def _rule(run: dict[str, Any], rule_id: str) -> dict[str, Any]:
    rules: list[dict[str, Any]] = run["tool"]["driver"]["rules"]
    return next(r for r in rules if r["id"] == rule_id)


@pytest.mark.parametrize("kind", ["complete", "incomplete", "empty"])
def test_validates_against_the_official_schema(
    kind: str,
    make_report: Callable[..., ScanReport],
    sarif_validator: jsonschema.Draft4Validator,
) -> None:
    report = make_report(incomplete=kind == "incomplete", empty=kind == "empty")
    errors = sorted(sarif_validator.iter_errors(_sarif(report)), key=str)
    assert errors == []


def test_schema_check_can_fail(
    report: ScanReport, sarif_validator: jsonschema.Draft4Validator
) -> None:
    data = _sarif(report)
    data["runs"][0]["results"][0]["level"] = "critical"
    assert not sarif_validator.is_valid(data)


def test_log_header_and_driver(report: ScanReport) -> None:
    data = _sarif(report)
    assert data["$schema"] == SARIF_SCHEMA_URI
    assert data["version"] == "2.1.0"
    assert len(data["runs"]) == 1
    driver = data["runs"][0]["tool"]["driver"]
    assert driver["name"] == "aiwarden"
    assert driver["version"] == driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/aiwarden/aiwarden"
    assert [r["id"] for r in driver["rules"]] == [
        "AIW-TST001",
        "AIW-TST002",
        "AIW-TST003",
        "AIW-TST004",
    ]


def test_rule_metadata(report: ScanReport) -> None:
    rule = _rule(_run(report), "AIW-TST001")
    assert rule["name"] == "UnsafePickleGlobalTest"
    assert rule["shortDescription"] == {"text": "Unsafe pickle global (test)"}
    assert rule["fullDescription"] == {"text": "A pickle imports a callable that can run code."}
    assert rule["helpUri"] == "https://example.org/rules/AIW-TST001"
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert "Use safetensors" in rule["help"]["text"]
    markdown = rule["help"]["markdown"]
    assert "**Remediation:** Use safetensors instead of pickle." in markdown
    assert "SD-3.d: Design your system for security" in markdown
    assert "DV-1: Secure your supply chain" in markdown
    assert "CWE-502" in markdown
    assert "LLM03:2025" in markdown
    assert "AML.T0011.000" in markdown
    props = rule["properties"]
    assert props["security-severity"] == "9.5"
    assert props["guidelines"] == ["SD-3.d", "DV-1"]
    tags = props["tags"]
    assert tags[0] == "security"
    for tag in ("external/cwe/cwe-502", "guideline/SD-3", "guideline/DV-1", "owasp-llm/LLM03:2025"):
        assert tag in tags
    assert len(tags) <= 20


def test_rule_without_references_has_no_help_uri(report: ScanReport) -> None:
    assert "helpUri" not in _rule(_run(report), "AIW-TST002")


@pytest.mark.parametrize(
    ("rule_id", "level", "score"),
    [
        ("AIW-TST001", "error", "9.5"),
        ("AIW-TST003", "error", "8.0"),
        ("AIW-TST002", "warning", "5.5"),
        ("AIW-TST004", "note", "2.5"),
    ],
)
def test_levels_and_security_severity(
    report: ScanReport, rule_id: str, level: str, score: str
) -> None:
    run = _run(report)
    rule = _rule(run, rule_id)
    assert rule["properties"]["security-severity"] == score
    assert rule["defaultConfiguration"]["level"] == level
    results = [r for r in run["results"] if r["ruleId"] == rule_id]
    assert results
    assert {r["level"] for r in results} == {level}


def test_rule_index_points_at_the_rule(report: ScanReport) -> None:
    run = _run(report)
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_referenced_only_by_a_finding_is_declared(incomplete_report: ScanReport) -> None:
    run = _run(incomplete_report)
    assert _rule(run, "AIW-ENG001")["properties"]["security-severity"] == "8.0"


def test_every_finding_is_a_result_with_its_fingerprint(report: ScanReport) -> None:
    run = _run(report)
    assert len(run["results"]) == len(report.findings)
    expected = {rf.fingerprint for rf in report.findings}
    got = {r["partialFingerprints"][FINGERPRINT_VERSION] for r in run["results"]}
    assert FINGERPRINT_VERSION == "aiwarden/v1"
    assert got == expected


def test_line_location_and_related(report: ScanReport) -> None:
    run = _run(report)
    result = next(r for r in run["results"] if r["ruleId"] == "AIW-TST002" and "evil" in str(r))
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    region = physical["region"]
    assert region["startLine"] == 12
    assert region["startColumn"] == 5
    assert region["endLine"] == 12
    assert region["endColumn"] == 40
    assert region["snippet"]["text"].startswith("hf_hub_download(")
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "src/config.py"
    assert related[0]["physicalLocation"]["region"]["startLine"] == 3


def test_binary_location_uses_offset_and_encoded_uri(report: ScanReport) -> None:
    run = _run(report)
    result = _results_by_message(run)["pickle imports os.system"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "models/my%20model.pkl"
    assert physical["region"] == {"startLine": 1, "byteOffset": 1234}
    assert result["properties"]["member"] == "archive/data.pkl"
    assert result["properties"]["offset"] == 1234


def test_suppressed_results_are_kept_with_suppressions(report: ScanReport) -> None:
    results = _results_by_message(_run(report))
    inline = results["pickle.load in tests"]["suppressions"]
    assert inline == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "test fixture, reviewed",
            "properties": {"source": "src/app.py:9"},
        }
    ]
    config = results["vendored download"]["suppressions"][0]
    assert config["kind"] == "external"
    assert config["justification"] == "vendored model"
    assert "suppressions" not in results["binds 0.0.0.0"]


def test_baseline_state(report: ScanReport) -> None:
    results = _results_by_message(_run(report))
    assert results["old bind"]["baselineState"] == "unchanged"
    assert results["pickle imports os.system"]["baselineState"] == "new"
    assert "baselineState" not in results["binds 0.0.0.0"]


def test_complete_invocation(report: ScanReport) -> None:
    run = _run(report)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert run["properties"] == {"complete": True}
    levels = [n["level"] for n in invocation["toolExecutionNotifications"]]
    assert levels == ["note", "warning"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/repo/"}}


def test_incomplete_invocation(incomplete_report: ScanReport) -> None:
    run = _run(incomplete_report)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert run["properties"] == {"complete": False}
    errors = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    assert [e["message"]["text"] for e in errors] == [
        "models/broken.pt: analyzer crashed: ValueError",
        "models/huge.bin: timed out after 60s",
    ]
    uri = errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "models/broken.pt"


def test_output_is_ascii_and_escapes_control_characters(report: ScanReport) -> None:
    text = SarifRenderer().render(report)
    assert text.isascii()
    assert "\x1b" not in text
    assert "\\u001b[31m" in text


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("a b/c d.pkl", "a%20b/c%20d.pkl"),
        ("x#y?.py", "x%23y%3F.py"),
        ("dir\\win.py", "dir/win.py"),
        ("模型.pt", "%E6%A8%A1%E5%9E%8B.pt"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_root_uri_ends_with_slash() -> None:
    assert root_uri("/tmp/my repo") == "file:///tmp/my%20repo/"
    assert root_uri("relative").startswith("file:///")
    assert root_uri("relative").endswith("/relative/")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Unsafe pickle global", "UnsafePickleGlobal"),
        ("Per-file time budget exceeded", "PerFileTimeBudgetExceeded"),
        ("PyTorch zip: legacy tar (v1.x)", "PyTorchZipLegacyTarV1X"),
    ],
)
def test_pascal_name(title: str, name: str) -> None:
    assert pascal_name(title) == name


def test_plain_text_remediation_is_html_escaped_in_markdown(report: ScanReport) -> None:
    rule = _rule(_run(report), "AIW-TST002")
    assert "**Remediation:** Pass revision=&lt;commit sha&gt;." in rule["help"]["markdown"]
    assert "Remediation: Pass revision=<commit sha>." in rule["help"]["text"]
