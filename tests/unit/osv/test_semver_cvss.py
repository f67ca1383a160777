"""SemVer precedence and the CVSS v3 base-score calculator."""

from __future__ import annotations

import itertools

import pytest

from aiwarden.core.severity import Severity
from aiwarden.osv.cvss import InvalidVector, base_score, severity_from_score, severity_of
from aiwarden.osv.semver import InvalidSemver, SemVer

# The precedence example of semver.org, item 11, in ascending order.
ORDER = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "2.0.0",
    "10.0.0",
]


def test_semver_precedence_follows_the_specification() -> None:
    parsed = [SemVer.parse(v) for v in ORDER]
    assert sorted(reversed(parsed)) == parsed
    for low, high in itertools.pairwise(parsed):
        assert low < high and not high < low


def test_semver_equality_ignores_build_and_accepts_prefixes() -> None:
    assert SemVer.parse("1.2.3+build.9") == SemVer.parse("v1.2.3") == SemVer.parse("=1.2.3")
    assert SemVer.parse("0") == SemVer.parse("0.0.0")


@pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3-", "1.2.3-01", "latest", ""])
def test_invalid_semver(text: str) -> None:
    with pytest.raises(InvalidSemver):
        SemVer.parse(text)


@pytest.mark.parametrize(
    ("vector", "score"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8),
        ("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.4),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 9.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ],
)
def test_base_scores_match_the_first_calculator(vector: str, score: float) -> None:
    assert base_score(vector) == score


@pytest.mark.parametrize(
    "vector", ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N", "CVSS:3.1/AV:N/AC:L", "garbage"]
)
def test_invalid_vectors(vector: str) -> None:
    with pytest.raises(InvalidVector):
        base_score(vector)


def test_severity_from_vectors_then_qualitative() -> None:
    assert severity_from_score(9.0) is Severity.CRITICAL
    assert severity_from_score(6.9) is Severity.MEDIUM
    assert severity_from_score(0.1) is Severity.LOW
    v4 = ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    assert severity_of((v4,), "MODERATE") is Severity.MEDIUM
    assert severity_of((("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),), "LOW") is (
        Severity.HIGH
    )
    assert severity_of((), None) is None
