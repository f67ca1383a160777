"""Realistic ScanReports built from the real core types, for the renderer tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from aiwarden.core import (
    BaselineState,
    Confidence,
    FailedFile,
    Finding,
    Location,
    ReportedFinding,
    Rule,
    RuleId,
    ScannedFile,
    ScanReport,
    Severity,
    SkippedFile,
    Suppression,
    SuppressionKind,
    fingerprint_all,
    make_finding,
)

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "sarif-schema-2.1.0.json"

HOSTILE_MESSAGE = "evil \x1b[31mred\x1b[0m [bold red]x[/] a|b `code` <img src=x> @octocat\rfake"

SD_RULE = Rule(
    id=RuleId("AIW-TST001"),
    title="Unsafe pickle global (test)",
    severity=Severity.CRITICAL,
    summary="A pickle imports a callable that can run code.",
    help="Loading this pickle **runs code**.",
    remediation="Use safetensors instead of pickle.",
    guidelines=("SD-3.d", "DV-1"),
    cwe=(502,),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0011.000",),
    references=("https://example.org/rules/AIW-TST001",),
)
DV_RULE = Rule(
    id=RuleId("AIW-TST002"),
    title="Unpinned model download",
    severity=Severity.MEDIUM,
    summary="A model is downloaded without a pinned revision.",
    help="Pin the `revision` argument.",
    remediation="Pass revision=<commit sha>.",
    guidelines=("DV-1.a",),
    cwe=(494,),
)
DP_RULE = Rule(
    id=RuleId("AIW-TST003"),
    title="Inference server bound to all interfaces",
    severity=Severity.HIGH,
    summary="The server listens on 0.0.0.0.",
    help="Bind to localhost behind a proxy.",
    remediation="Bind to 127.0.0.1.",
    guidelines=("DP-1",),
)
OM_RULE = Rule(
    id=RuleId("AIW-TST004"),
    title="No logging of model inputs",
    severity=Severity.LOW,
    summary="Inputs to the model are not logged.",
    help="Log inputs for monitoring.",
    remediation="Add input logging.",
    guidelines=("OM-2",),
)
ENG_RULE = Rule(
    id=RuleId("AIW-ENG001"),
    title="Analyzer failed on this file",
    severity=Severity.HIGH,
    summary="An analyzer raised an error.",
    help="An analyzer stopped with an unexpected error.",
    remediation="Inspect the file by hand.",
    guidelines=("SD-3.d", "DV-1.a"),
    cwe=(755,),
)
RULES = (SD_RULE, DV_RULE, DP_RULE, OM_RULE)


def _findings() -> list[tuple[Finding, Suppression | None, BaselineState | None]]:
    inline = Suppression(SuppressionKind.INLINE, "test fixture, reviewed", "src/app.py:9")
    config = Suppression(SuppressionKind.CONFIG, "vendored model", "pyproject.toml")
    return [
        # OM first and SD last on purpose: renderers must reorder by area.
        (make_finding(OM_RULE, Location("src/app.py", line=40), "no input logging"), None, None),
        (
            make_finding(
                SD_RULE,
                Location("models/my model.pkl", offset=1234, member="archive/data.pkl"),
                "pickle imports os.system",
                evidence="os.system",
                fingerprint_key="os.system",
            ),
            None,
            BaselineState.NEW,
        ),
        (
            make_finding(
                DV_RULE,
                Location("src/app.py", line=12, column=5, end_line=12, end_column=40),
                HOSTILE_MESSAGE,
                evidence="hf_hub_download(\x1b]0;pwned\x07repo)",
                confidence=Confidence.MEDIUM,
                related=(
                    Location("src/config.py", line=3, label="LLM output"),
                    Location("src/app.py", line=2),
                ),
            ),
            None,
            None,
        ),
        (make_finding(DP_RULE, Location("deploy/serve.py", line=7), "binds 0.0.0.0"), None, None),
        (
            make_finding(DP_RULE, Location("deploy/old.py", line=3), "old bind"),
            None,
            BaselineState.UNCHANGED,
        ),
        (
            make_finding(SD_RULE, Location("src/app.py", line=10), "pickle.load in tests"),
            inline,
            None,
        ),
        (
            make_finding(DV_RULE, Location("vendor/model.py", line=1), "vendored download"),
            config,
            None,
        ),
    ]


def build_report(
    *, incomplete: bool = False, empty: bool = False, fail_on: Severity = Severity.HIGH
) -> ScanReport:
    """A report with every kind of finding; ``incomplete`` adds failed files."""
    entries = [] if empty else _findings()
    failed: tuple[FailedFile, ...] = ()
    if incomplete:
        crash = make_finding(ENG_RULE, Location("models/broken.pt"), "analyzer crashed: \x1b[2J")
        entries.append((crash, None, None))
        failed = (
            FailedFile("models/broken.pt", "analyzer crashed: ValueError"),
            FailedFile("models/huge.bin", "timed out after 60s"),
        )
    prints = fingerprint_all(f for f, _, _ in entries)
    findings = tuple(
        ReportedFinding(f, fp, suppression=s, baseline_state=b)
        for (f, s, b), fp in zip(entries, prints, strict=True)
    )
    return ScanReport(
        tool_version="0.1.0",
        root="/work/repo",
        targets=(".",),
        findings=findings,
        rules=() if empty else RULES,
        scanned=(
            ScannedFile("src/app.py", "python", 1200, 0.01),
            ScannedFile("models/my model.pkl", "pickle", 4096, 0.2),
        ),
        skipped=() if empty else (SkippedFile("link.pkl", "symlink leaves the target"),),
        failed=failed,
        fail_on=fail_on,
        started_at="2026-01-02T03:04:05+00:00",
        duration_s=1.5,
        baseline=None if empty else ".aiwarden-baseline.json",
        warnings=() if empty else ("plugin 'broken' failed to load",),
    )


@pytest.fixture
def report() -> ScanReport:
    """A complete report with active, suppressed and baselined findings."""
    return build_report()


@pytest.fixture
def incomplete_report() -> ScanReport:
    """The same report with two failed files and an AIW-ENG finding."""
    return build_report(incomplete=True)


@pytest.fixture
def empty_report() -> ScanReport:
    """A clean scan: no findings, no rules, no skipped or failed files."""
    return build_report(empty=True)


@pytest.fixture
def make_report() -> Callable[..., ScanReport]:
    """The report builder, for tests that need other options."""
    return build_report


@pytest.fixture(scope="session")
def sarif_validator() -> jsonschema.Draft4Validator:
    """A validator for the official SARIF 2.1.0 schema."""
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)
