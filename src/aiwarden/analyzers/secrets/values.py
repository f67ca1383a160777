"""Judging and hiding candidate secret values: entropy, placeholders, redaction, hashing."""

from __future__ import annotations

import math
import re
from collections import Counter

from aiwarden.core.sha256 import sha256_constructor

_PLACEHOLDER_WORDS = (
    "example",
    "placeholder",
    "your",
    "xxxx",
    "changeme",
    "change_me",
    "change-me",
    "dummy",
    "redacted",
    "replace",
    "insert",
    "fake",
    "sample",
    "notreal",
    "not_real",
    "not-a-real",
    "1234567",
    "abcdefg",
    "qwerty",
    "...",
    "…",
    "***",
    "<",
    ">",
    "${",
    "{{",
)
_RUN = re.compile(r"(.)\1{5,}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_HASH_SALT = b"aiwarden-secret-fingerprint/v1\x00"
_SHOWN = 4


def shannon_entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character (0.0 for an empty string)."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


def char_classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters ``value`` uses."""
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


def is_hex(value: str) -> bool:
    """True if ``value`` is only hexadecimal digits."""
    return _HEX.fullmatch(value) is not None


def is_placeholder(value: str) -> bool:
    """True for documentation placeholders and dummy values rather than real secrets.

    Covers the usual markers (``your-api-key``, ``changeme``, ``xxxx``, ``<KEY>``,
    ``${VAR}``, ``...``, ``EXAMPLE``), runs of six identical characters, keyboard and
    alphabet sequences, values that use very few distinct characters and values that
    repeat a short unit.
    """
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if _RUN.search(value):
        return True
    return len(set(value)) < 6 or _periodic(value)


def _periodic(value: str) -> bool:
    """True for a short unit repeated to fill the value (``ab12ab12ab12…``)."""
    for period in range(1, min(9, len(value) // 2 + 1)):
        unit = value[:period]
        if (unit * (len(value) // period + 1))[: len(value)] == value:
            return True
    return False


_SEGMENT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_VOWELS = frozenset("aeiouyAEIOUY")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def identifier_like(value: str, share: float = 0.7) -> bool:
    """True for names made of words (``MistralForConditionalGeneration``, ``entity_mask2``).

    At least ``share`` (70 %) of the characters sit in runs of four or more letters (split
    at case changes) that contain a vowel. Random keys almost never do: under 0.5 % of random
    base62 strings of 16 characters, under 0.03 % at 32.
    """
    words = sum(
        len(run)
        for run in _SEGMENT.findall(value)
        if len(run) >= 4 and run.isalpha() and not _VOWELS.isdisjoint(run)
    )
    return words >= len(value) * share


def is_uuid(value: str) -> bool:
    """True for a UUID in its canonical 8-4-4-4-12 form (an identifier, not a secret)."""
    return _UUID.fullmatch(value) is not None


def redact(secret: str) -> str:
    """``secret`` with everything but its first and last four characters hidden.

    Shorter values show less (two characters each side under 16, nothing under 8), and
    the length is always noted: ``sk-p…Xa9Q (164 chars)``.
    """
    shown = _SHOWN if len(secret) >= 16 else (2 if len(secret) >= 8 else 0)
    if shown == 0:
        return f"… ({len(secret)} chars)"
    return f"{secret[:shown]}…{secret[-shown:]} ({len(secret)} chars)"


def secret_hash(secret: str) -> str:
    """A salted, truncated SHA-256 of ``secret``: stable across runs, never the secret."""
    digest = sha256_constructor()(_HASH_SALT + secret.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]
