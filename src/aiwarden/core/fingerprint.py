"""Fingerprints that identify a finding across runs, independent of line numbers."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden.core.finding import Finding
from aiwarden.core.sha256 import sha256_constructor

FINGERPRINT_VERSION = "aiwarden/v1"


def _normalise(text: str) -> str:
    return " ".join(text.split())


def fingerprint_all(findings: Iterable[Finding]) -> list[str]:
    """Fingerprint each finding, in order.

    The fingerprint hashes the rule id, the path, the archive member, the
    whitespace-normalised identity of the finding and its occurrence index among
    findings with the same identity in the same file, so that moving code up or down
    keeps it and two identical findings in one file stay distinct.
    """
    sha256 = sha256_constructor()
    seen: dict[tuple[str, str, str, str], int] = {}
    result: list[str] = []
    for finding in findings:
        key = (
            finding.rule_id,
            finding.location.path,
            finding.location.member or "",
            _normalise(finding.identity),
        )
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        material = "\x00".join((*key, str(occurrence)))
        result.append(sha256(material.encode("utf-8")).hexdigest()[:32])
    return result
