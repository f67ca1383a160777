"""Personal-data detectors: validated, redacted, and quiet on numbers that only look alike."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.secrets.pii import find_pii, iban_valid, luhn_valid


def kinds(text: str) -> list[str]:
    return [m.kind for m in find_pii(text)]


POSITIVES = {
    "email": ("Contact: alice.smith@corp-mail.io", "email address"),
    "e164 phone": ("phone +14155552671", "phone number"),
    "international phone": ("call +44 20 7946 0958 today", "phone number"),
    "us phone with parentheses": ("(415) 555-2671", "phone number"),
    "us phone with dashes": ("415-555-2671", "phone number"),
    "visa": ("card: 4111 1111 1111 1111", "payment card number"),
    "mastercard compact": ("5555555555554444", "payment card number"),
    "amex": ("3782 822463 10005", "payment card number"),
    "iban gb": ("GB82 WEST 1234 5698 7654 32", "IBAN"),
    "iban de compact": ("DE89370400440532013000", "IBAN"),
    "ssn": ("SSN 536-22-1234", "US social security number"),
}


@pytest.mark.parametrize(("text", "kind"), POSITIVES.values(), ids=POSITIVES.keys())
def test_detects_validated_personal_data(text: str, kind: str) -> None:
    assert kinds(text) == [kind]


NEGATIVES = {
    "documentation email": "mail user@example.com or someone@example.org",
    "git remote": "git@github.com:org/repo.git",
    "retina image name": "logo@2x.png",
    "card failing luhn": "4111 1111 1111 1112",
    "card with unknown issuer": "9111 1111 1111 1115",
    "iban bad checksum": "GB82 WEST 1234 5698 7654 33",
    "iban wrong length": "DE8937040044053201300",
    "ssn invalid area 000": "000-12-3456",
    "ssn invalid area 666": "666-12-3456",
    "ssn invalid area 9xx": "912-12-3456",
    "ssn invalid group": "536-00-1234",
    "advertised ssn": "078-05-1120",
    "date": "2024-01-15 12:30:45",
    "float columns": "0.123456 1234.5678 99999.0001",
    "version": "torch==2.1.0+cu118",
    "timestamp ms": "1700000000000",
    "ip address": "192.168.100.200",
    "short plus number": "+1234",
}


@pytest.mark.parametrize("text", NEGATIVES.values(), ids=NEGATIVES.keys())
def test_ignores_lookalikes(text: str) -> None:
    assert kinds(text) == []


def test_evidence_is_redacted() -> None:
    text = "alice.smith@corp-mail.io 4111 1111 1111 1111 GB82 WEST 1234 5698 7654 32 536-22-1234"
    found = find_pii(text)
    assert [m.kind for m in found] == [
        "email address",
        "payment card number",
        "IBAN",
        "US social security number",
    ]
    joined = " ".join(m.evidence + m.fingerprint_key for m in found)
    for secret in ("alice.smith", "4111 1111 1111 1111", "4111111111111111", "WEST", "536-22"):
        assert secret not in joined


def test_checksums() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert iban_valid("GB82WEST12345698765432")
    assert not iban_valid("GB82WEST12345698765431")


def test_matches_are_bounded() -> None:
    text = " ".join(f"user{i}@corp-mail.io" for i in range(500))
    assert len(find_pii(text)) == 50
