"""CVSS v3.0/v3.1 base scores from vector strings, and severities from scores.

Implements the base-score equations of the CVSS v3.1 specification (section 7.1,
https://www.first.org/cvss/v3.1/specification-document), including its ``Roundup``.
v3.0 vectors use the same base equations. CVSS v4 and v2 vectors are not scored:
callers fall back to the record's qualitative severity.
"""

from __future__ import annotations

import math

from aiwarden.core.severity import Severity

_WEIGHTS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}
_QUALITATIVE = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "NONE": Severity.INFO,
}


class InvalidVector(ValueError):
    """Not a complete CVSS v3 base vector."""


def roundup(value: float) -> float:
    """CVSS v3.1 ``Roundup``: the smallest one-decimal number >= ``value``."""
    as_int = round(value * 100_000)
    if as_int % 10_000 == 0:
        return as_int / 100_000.0
    return (math.floor(as_int / 10_000) + 1) / 10.0


def base_score(vector: str) -> float:
    """The base score of a ``CVSS:3.x/AV:.../...`` vector; raise :class:`InvalidVector`."""
    parts = vector.strip().split("/")
    if not parts or parts[0] not in ("CVSS:3.0", "CVSS:3.1"):
        raise InvalidVector(vector)
    metrics: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition(":")
        metrics[key] = value
    try:
        scope = metrics["S"]
        pr = _PR[scope][metrics["PR"]]
        av, ac, ui = (_WEIGHTS[k][metrics[k]] for k in ("AV", "AC", "UI"))
        c, i, a = (_WEIGHTS[k][metrics[k]] for k in ("C", "I", "A"))
    except KeyError:
        raise InvalidVector(vector) from None
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    changed = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    impact = 6.42 * iss if scope == "U" else changed
    exploitability = 8.22 * av * ac * pr * ui
    if impact <= 0:
        return 0.0
    if scope == "U":
        return roundup(min(impact + exploitability, 10))
    return roundup(min(1.08 * (impact + exploitability), 10))


def severity_from_score(score: float) -> Severity:
    """The CVSS qualitative rating: 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def severity_of(vectors: tuple[tuple[str, str], ...], qualitative: str | None) -> Severity | None:
    """The severity from the first scorable CVSS v3 vector, else from ``qualitative``
    (GitHub's ``CRITICAL``/``HIGH``/``MODERATE``/``LOW``), else ``None``."""
    for kind, vector in vectors:
        if kind in ("CVSS_V3", "CVSS_V31", "CVSS_V30"):
            try:
                return severity_from_score(base_score(vector))
            except InvalidVector:
                continue
    if qualitative:
        return _QUALITATIVE.get(qualitative.upper())
    return None
