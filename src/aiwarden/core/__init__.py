"""aiwarden's domain: findings, rules, reports and the guideline catalogue.

Nothing here imports a CLI, terminal or network library, and nothing does I/O other
than reading the catalogue data shipped with the package.
"""

from __future__ import annotations

from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.fingerprint import FINGERPRINT_VERSION, fingerprint_all
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.report import (
    BaselineState,
    FailedFile,
    ReportedFinding,
    ScannedFile,
    ScanReport,
    SkippedFile,
    Suppression,
    SuppressionKind,
)
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Confidence, Severity

__all__ = [
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "FINGERPRINT_VERSION",
    "BaselineState",
    "Confidence",
    "FailedFile",
    "FileFormat",
    "Finding",
    "Location",
    "ReportedFinding",
    "Rule",
    "RuleId",
    "ScanReport",
    "ScannedFile",
    "Severity",
    "SkippedFile",
    "Suppression",
    "SuppressionKind",
    "fingerprint_all",
    "make_finding",
]
