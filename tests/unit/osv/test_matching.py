"""OSV matching: ranges, intervals, last_affected, versions lists, withdrawn, aliases."""

from __future__ import annotations

from typing import Any

import pytest

from aiwarden.osv.matching import match_all, match_record
from aiwarden.osv.model import OsvRecord, parse_record


def record(
    *ranges: list[dict[str, str]],
    ecosystem: str = "PyPI",
    name: str = "pkg",
    versions: list[str] | None = None,
    kind: str | None = None,
    **extra: Any,
) -> OsvRecord:
    rtype = kind or ("SEMVER" if ecosystem == "npm" else "ECOSYSTEM")
    affected: dict[str, Any] = {
        "package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": rtype, "events": events} for events in ranges],
    }
    if versions is not None:
        affected["versions"] = versions
    return parse_record({"id": extra.pop("id", "OSV-1"), "affected": [affected], **extra})


INTRO, F, L = "introduced", "fixed", "last_affected"

CASES: list[tuple[str, OsvRecord, str, bool, tuple[str, ...]]] = [
    ("below fix", record([{INTRO: "0"}, {F: "2.6.0"}]), "2.5.1", True, ("2.6.0",)),
    ("at fix", record([{INTRO: "0"}, {F: "2.6.0"}]), "2.6.0", False, ()),
    ("pre-release of fix", record([{INTRO: "0"}, {F: "2.6.0"}]), "2.6.0rc1", True, ("2.6.0",)),
    ("post-release", record([{INTRO: "0"}, {F: "2.6.0"}]), "2.6.0.post1", False, ()),
    ("before introduced", record([{INTRO: "1.0"}, {F: "2.0"}]), "0.9", False, ()),
    ("at introduced", record([{INTRO: "1.0"}, {F: "2.0"}]), "1.0", True, ("2.0",)),
    ("last_affected inclusive", record([{INTRO: "0"}, {L: "0.1.10"}]), "0.1.10", True, ()),
    ("after last_affected", record([{INTRO: "0"}, {L: "0.1.10"}]), "0.1.11", False, ()),
    ("open range", record([{INTRO: "1.0"}]), "99.0", True, ()),
    (
        "second interval",
        record([{INTRO: "1.0"}, {F: "1.5"}, {INTRO: "2.0"}, {F: "2.3"}]),
        "2.1",
        True,
        ("2.3",),
    ),
    (
        "between intervals",
        record([{INTRO: "1.0"}, {F: "1.5"}, {INTRO: "2.0"}, {F: "2.3"}]),
        "1.7",
        False,
        (),
    ),
    (
        "unsorted events, first interval",
        record([{INTRO: "2.0"}, {F: "2.3"}, {F: "1.5"}, {INTRO: "1.0"}]),
        "1.2",
        True,
        ("1.5",),
    ),
    (
        "two ranges, later introduced does not reset",
        record([{INTRO: "0"}, {F: "1.5"}], [{INTRO: "3.0"}, {F: "3.1"}]),
        "1.0",
        True,
        ("1.5",),
    ),
    ("versions list", record(versions=["0.5.1"]), "0.5.1", True, ()),
    ("versions list miss", record(versions=["0.5.1"]), "0.5.2", False, ()),
    (
        "versions list with a later fix",
        record([{INTRO: "9.0"}, {F: "9.1"}], versions=["1.0"]),
        "1.0",
        True,
        ("9.1",),
    ),
    ("PEP 440 normal forms", record([{INTRO: "0"}, {F: "1.0"}]), "1.0.0", False, ()),
    ("unparseable version", record([{INTRO: "0"}, {F: "1.0"}]), "not-a-version", False, ()),
    ("GIT ranges ignored", record([{INTRO: "abc"}, {F: "def"}], kind="GIT"), "1.0", False, ()),
    (
        "npm semver",
        record([{INTRO: "0.0.5"}, {F: "0.1.16"}], ecosystem="npm"),
        "0.1.15",
        True,
        ("0.1.16",),
    ),
    (
        "npm pre-release below fix",
        record([{INTRO: "0"}, {F: "1.0.0"}], ecosystem="npm"),
        "1.0.0-rc.1",
        True,
        ("1.0.0",),
    ),
    (
        "npm pre-release after introduced release",
        record([{INTRO: "1.0.0"}, {F: "2.0.0"}], ecosystem="npm"),
        "1.0.0-beta",
        False,
        (),
    ),
    (
        "npm date versions",
        record(
            [{INTRO: "0"}, {F: "0.6.3"}], [{INTRO: "2025.1.14"}, {F: "2025.7.1"}], ecosystem="npm"
        ),
        "2025.3.28",
        True,
        ("2025.7.1",),
    ),
    (
        "npm build metadata ignored",
        record([{INTRO: "0"}, {F: "1.0.0"}], ecosystem="npm"),
        "1.0.0+build.5",
        False,
        (),
    ),
]


@pytest.mark.parametrize(
    ("label", "rec", "version", "affected", "fixed"), CASES, ids=[c[0] for c in CASES]
)
def test_match_table(
    label: str, rec: OsvRecord, version: str, affected: bool, fixed: tuple[str, ...]
) -> None:
    eco = rec.affected[0].ecosystem
    match = match_record(rec, eco, "pkg", version)
    assert (match is not None) is affected, label
    if match is not None:
        assert match.fixed == fixed, label


def test_withdrawn_records_never_match() -> None:
    rec = record([{INTRO: "0"}, {F: "2.0"}], withdrawn="2024-01-01T00:00:00Z")
    assert match_record(rec, "PyPI", "pkg", "1.0") is None


def test_names_are_normalised_and_ecosystems_separate() -> None:
    rec = record([{INTRO: "0"}, {F: "2.0"}], name="Llama_CPP.Python")
    assert match_record(rec, "PyPI", "llama-cpp-python", "1.0") is not None
    assert match_record(rec, "npm", "llama-cpp-python", "1.0.0") is None
    assert match_record(rec, "PyPI", "other", "1.0") is None


def test_aliases_are_merged() -> None:
    ghsa = record([{INTRO: "0"}, {F: "2.0"}], id="GHSA-aaaa", aliases=["CVE-1"])
    pysec = record([{INTRO: "0"}, {F: "2.1"}], id="PYSEC-1", aliases=["CVE-1"])
    other = record([{INTRO: "0"}, {F: "3.0"}], id="GHSA-bbbb")
    matches = match_all([ghsa, pysec, other], "PyPI", "pkg", "1.0")
    assert [m.record.id for m in matches] == ["GHSA-aaaa", "GHSA-bbbb"]
    assert set(matches[0].record.aliases) == {"CVE-1", "PYSEC-1"}
    assert matches[0].fixed == ("2.0", "2.1")


def test_malformed_records_are_rejected() -> None:
    from aiwarden.osv.model import RecordError

    for bad in ([], {"affected": []}, {"id": ""}, {"id": 5}):
        with pytest.raises(RecordError):
            parse_record(bad)
    rec = parse_record({"id": "X", "affected": [{"ranges": "nope", "versions": [1, "1.0"]}]})
    assert rec.affected[0].versions == frozenset({"1.0"})
