"""Personal-data detectors for saved outputs and data previews (never for source code).

Each detector pairs a pattern with a validator that real data passes and random
numbers mostly do not: card numbers must pass the Luhn check and start with a known
issuer prefix, IBANs must have their country's length and pass ISO 7064 mod-97, US
SSNs must have a valid area, group and serial, phone numbers must be written as
phone numbers (E.164 ``+`` form or a national format with separators), and emails
on documentation domains are skipped. Evidence is redacted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from aiwarden.analyzers.secrets.values import secret_hash

MAX_PII_MATCHES = 50


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One piece of personal data in a text; ``evidence`` is redacted."""

    kind: str
    start: int
    end: int
    evidence: str
    fingerprint_key: str


_EMAIL = re.compile(
    r"(?<![\w.%+-])(?P<v>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+"
    r"(?P<tld>[A-Za-z]{2,24}))(?![\w-])"
)
_DOC_DOMAINS = re.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|test|invalid|localhost|email\.com|domain\.com)$",
    re.IGNORECASE,
)
_NOT_TLDS = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "py", "txt", "json", "html"}
)
_NOT_PERSONAL_LOCAL = frozenset({"git", "noreply", "no-reply", "donotreply", "user", "username"})
_PHONE = re.compile(
    r"(?<![\w+.-])(?P<v>\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}"
    r"|\(\d{3}\)[ ]?\d{3}[-. ]\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})(?![\w.-])"
)
_CARD = re.compile(
    r"(?<![\d.-])(?P<v>\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}|\d{4}[ -]?\d{6}[ -]?\d{5})"
    r"(?![\d-]|\.\d)"
)
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?P<v>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b"
)
_SSN = re.compile(r"(?<![\d-])(?P<v>(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4})(?![\d-])")
_ADVERTISED_SSNS = frozenset({"078-05-1120", "219-09-9999", "123-45-6789"})
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CY": 28,
    "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SA": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}  # fmt: skip
_CARD_PREFIXES = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9])|35|3[068])")


def luhn_valid(digits: str) -> bool:
    """True if the digit string passes the Luhn (mod 10) check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """True for an IBAN (spaces removed) of its country's length that passes mod-97."""
    if _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _email(value: str) -> str | None:
    local, _, domain = value.partition("@")
    if _DOC_DOMAINS.search(value) or local.lower() in _NOT_PERSONAL_LOCAL:
        return None
    if domain.rsplit(".", 1)[-1].lower() in _NOT_TLDS:
        return None
    return f"{local[:1]}…@{domain}"


def _phone(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 15 or len(set(digits)) < 4:
        return None
    if value.startswith("+") and not re.search(r"[ .()-]", value) and len(digits) < 11:
        return None
    return f"{value[:3]}…{digits[-2:]}"


def _card(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if not 13 <= len(digits) <= 19 or not _CARD_PREFIXES.match(digits):
        return None
    if len(set(digits)) < 2 or not luhn_valid(digits):
        return None
    return f"card …{digits[-4:]} ({len(digits)} digits)"


def _iban(value: str) -> str | None:
    compact = value.replace(" ", "")
    if not iban_valid(compact):
        return None
    return f"{compact[:2]}…{compact[-4:]} ({len(compact)} chars)"


def _ssn(value: str) -> str | None:
    if value in _ADVERTISED_SSNS:
        return None
    return f"***-**-**{value[-2:]}"


_DETECTORS: tuple[tuple[str, re.Pattern[str], Callable[[str], str | None]], ...] = (
    ("email address", _EMAIL, _email),
    ("IBAN", _IBAN, _iban),
    ("US social security number", _SSN, _ssn),
    ("payment card number", _CARD, _card),
    ("phone number", _PHONE, _phone),
)


def find_pii(text: str, *, max_matches: int = MAX_PII_MATCHES) -> list[PiiMatch]:
    """Personal data in ``text`` (emails, IBANs, SSNs, card and phone numbers), in order.

    Where two detections overlap (a card number that also looks like a phone number),
    the earlier detector in the list above wins.
    """
    found: list[PiiMatch] = []
    for match in _all(text):
        if any(m.start < match.end and match.start < m.end for m in found):
            continue
        found.append(match)
        if len(found) >= max_matches:
            break
    return sorted(found, key=lambda m: m.start)


def _all(text: str) -> Iterator[PiiMatch]:
    for kind, pattern, check in _DETECTORS:
        for count, match in enumerate(pattern.finditer(text)):
            if count >= 10 * MAX_PII_MATCHES:
                break
            value = match.group("v")
            evidence = check(value)
            if evidence is not None:
                key = f"pii:{kind}:{secret_hash(re.sub(r'[^0-9A-Za-z@.]', '', value))}"
                yield PiiMatch(kind, match.start("v"), match.end("v"), evidence, key)
