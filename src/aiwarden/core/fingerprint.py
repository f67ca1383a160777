"""Fingerprints that identify a finding across runs, independent of line numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Protocol

from aiwarden.core.finding import Finding

FINGERPRINT_VERSION = "aiwarden/v1"


def _sha256() -> Callable[[bytes], _Hash]:
    """SHA-256 from the interpreter's own module where it has one, else from hashlib.

    ``hashlib`` initialises OpenSSL when imported (a few milliseconds of every run);
    the built-in ``_sha256`` (``_sha2`` from Python 3.12) computes the same digest.
    """
    for name in ("_sha256", "_sha2"):
        try:
            constructor: Callable[[bytes], _Hash] = import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib

    return hashlib.sha256


class _Hash(Protocol):
    def hexdigest(self) -> str: ...


def _normalise(text: str) -> str:
    return " ".join(text.split())


def fingerprint_all(findings: Iterable[Finding]) -> list[str]:
    """Fingerprint each finding, in order.

    The fingerprint hashes the rule id, the path, the archive member, the
    whitespace-normalised identity of the finding and its occurrence index among
    findings with the same identity in the same file, so that moving code up or down
    keeps it and two identical findings in one file stay distinct.
    """
    sha256 = _sha256()
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
