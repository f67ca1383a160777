"""The attestations file: strict validation with line numbers, states by date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aiwarden.assess.attestations import (
    MAX_BYTES,
    AttestationsError,
    load_entries,
    notices,
    parse_entries,
    resolve,
)
from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.model import AttestationState
from aiwarden.assess.template import attestation_template

TODAY = dt.date(2026, 11, 26)
KNOWN = frozenset(SPECS)

VALID = """\
version: 1
attestations:
  - behaviour: DP-3.c
    statement: Two on-call engineers completed the AI incident tabletop.
    attested_by: Jane Doe <jane@example.com>
    date: 2026-09-14
    expires: 2027-09-14
    evidence: https://wiki.example.com/ai-tabletop
  - behaviour: SD-1.a
    statement: Board briefed on AI threats.
    attested_by: Sam Roe <sam@example.com>
    date: 2025-01-10
    expires: 2026-01-10
  - behaviour: OM-4.a
    statement: We are members of the sector ISAC.
    attested_by: ""
    date: ""
    expires: 2027-01-01
"""


def parse(text: str) -> dict[str, AttestationState]:
    entries = parse_entries(text, "att.yaml", KNOWN, TODAY)
    return {k: v.state for k, v in resolve(entries, TODAY, "att.yaml").items()}


def problems(text: str) -> str:
    with pytest.raises(AttestationsError) as info:
        parse_entries(text, "att.yaml", KNOWN, TODAY)
    return str(info.value)


def test_states_valid_expired_unsigned() -> None:
    assert parse(VALID) == {
        "DP-3.c": AttestationState.VALID,
        "SD-1.a": AttestationState.EXPIRED,
        "OM-4.a": AttestationState.UNSIGNED,
    }


def test_resolved_attestation_carries_who_when_and_where() -> None:
    entries = parse_entries(VALID, "att.yaml", KNOWN, TODAY)
    item = resolve(entries, TODAY, "att.yaml")["DP-3.c"]
    assert item.attested_by == "Jane Doe <jane@example.com>"
    assert (item.date, item.expires) == ("2026-09-14", "2027-09-14")
    assert item.evidence_url == "https://wiki.example.com/ai-tabletop"
    assert item.source == "att.yaml:3"


def test_a_current_entry_wins_over_an_expired_one_for_the_same_behaviour() -> None:
    text = VALID + (
        "  - behaviour: SD-1.a\n    statement: Re-briefed.\n    attested_by: Sam\n"
        "    date: 2026-02-01\n    expires: 2027-02-01\n"
    )
    assert parse(text)["SD-1.a"] is AttestationState.VALID


def test_the_day_of_expiry_still_counts() -> None:
    text = VALID.replace("expires: 2027-09-14", f"expires: {TODAY.isoformat()}")
    assert parse(text)["DP-3.c"] is AttestationState.VALID


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("behaviour: DP-3.c", "behaviour: DP-3.z"), "line 3: unknown behaviour 'DP-3.z'"),
        (("date: 2026-09-14", "date: 14/09/2026"), "line 6: 'date' must be a date"),
        (("expires: 2027-09-14", "expires: 2025-01-01"), "'expires' (2025-01-01) is before"),
        (("date: 2026-09-14", "date: 2026-12-01"), "'date' (2026-12-01) is in the future"),
        (("    evidence: https", "    evidenc: https"), "line 8: unknown key 'evidenc'"),
        (("    expires: 2027-09-14\n", ""), "line 3: 'expires' is required"),
        (("version: 1", "version: 2"), "line 1: 'version' must be 1"),
        (("attested_by: Jane Doe <jane@example.com>", "attested_by: [Jane, Doe]"), "line 5: 'at"),
    ],
)
def test_problems_are_reported_with_their_line(change: tuple[str, str], message: str) -> None:
    assert message in problems(VALID.replace(*change, 1))


def test_signed_entries_need_a_date() -> None:
    text = VALID.replace("    date: 2026-09-14\n", "", 1)
    assert "line 3: 'date' is required once 'attested_by' is set" in problems(text)


def test_every_problem_is_listed_not_just_the_first() -> None:
    text = VALID.replace("DP-3.c", "XX-1.a").replace("SD-1.a", "YY-1.a")
    message = problems(text)
    assert "2 problem(s)" in message
    assert "XX-1.a" in message and "YY-1.a" in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just\n- a list\n", "must be a mapping"),
        ("version: 1\nattestations: {a: 1}\n", "'attestations' must be a list"),
        ("version: 1\nattestations: [1, 2]\n", "each attestation must be a mapping"),
        ("version: 1\nextra: true\nattestations: []\n", "unknown top-level key 'extra'"),
        ("version: 1\nversion: 1\n", "duplicate key 'version'"),
        ("version: [1\n", "invalid YAML"),
    ],
)
def test_structural_problems(text: str, message: str) -> None:
    assert message in problems(text)


def test_anchors_and_aliases_are_refused() -> None:
    bomb = "version: 1\na: &x [1, 2]\nb: [*x, *x]\nattestations: []\n"
    assert "anchors and aliases are not allowed" in problems(bomb)


def test_an_empty_list_is_valid() -> None:
    assert parse("version: 1\nattestations:\n") == {}


def test_oversized_and_non_utf8_files_are_errors(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(AttestationsError, match="larger than"):
        load_entries(big, KNOWN, TODAY)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"version: 1\n# caf\xe9\n")
    with pytest.raises(AttestationsError, match="not valid UTF-8"):
        load_entries(latin, KNOWN, TODAY)


def test_the_template_is_valid_and_entirely_unsigned() -> None:
    text = attestation_template(TODAY)
    states = parse(text)
    assert states
    assert set(states.values()) == {AttestationState.UNSIGNED}
    assert "expires: 2027-11-26" in text


def test_the_template_has_a_leap_day_safe_expiry() -> None:
    assert "expires: 2025-02-28" in attestation_template(dt.date(2024, 2, 29))


def test_notices_name_expiring_and_superseded_entries() -> None:
    text = VALID.replace("expires: 2027-09-14", "expires: 2026-12-10") + (
        "  - behaviour: SD-1.a\n    statement: Re-briefed.\n    attested_by: Sam\n"
        "    date: 2026-02-01\n    expires: 2027-02-01\n"
    )
    entries = parse_entries(text, "att.yaml", KNOWN, TODAY)
    found = notices(entries, TODAY, "att.yaml")
    assert "att.yaml:3: DP-3.c: expires on 2026-12-10 (in 14 days)" in found
    assert "att.yaml:9: SD-1.a: superseded by another entry for the same behaviour" in found
    assert len(found) == 2
