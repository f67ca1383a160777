"""A finding before it has a location: the rule, the key path and what to say."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

_REFERENCE: Final = re.compile(
    r"^\s*(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\{env:[^}]*\}"
    r"|\{\{[^}]*\}\}|<[^>]*>|\[[^\]]*\])\s*$"
)
_PLACEHOLDER_WORDS: Final = (
    "your", "example", "placeholder", "changeme", "change_me", "change-me", "replace",
    "insert", "dummy", "redacted", "xxxx", "****", "...", "…", "todo", "fixme", "secret-here",
    "token-here", "key-here", "<", ">", "${", "{{", "$(",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding of a check, located by key path (or by an explicit line in text files)."""

    rule: Rule
    path: JsonPath
    message: str
    key: str
    evidence: str | None = None
    severity: Severity | None = None
    confidence: Confidence = Confidence.HIGH
    line: int | None = None


def redact(value: str) -> str:
    """``value`` with all but its first and last four characters hidden, and its length."""
    if len(value) < 12:
        return f"{value[:2]}… ({len(value)} chars)" if len(value) >= 8 else "…"
    return f"{value[:4]}…{value[-4:]} ({len(value)} chars)"


def is_reference(value: str) -> bool:
    """True for a variable reference or template (``${VAR}``, ``${input:x}``, ``<key>``)."""
    return _REFERENCE.match(value) is not None


def is_placeholder(value: str) -> bool:
    """True for references, documentation placeholders and values too plain to be secrets."""
    stripped = value.strip()
    if len(stripped) < 8 or is_reference(stripped):
        return True
    lowered = stripped.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if lowered in ("true", "false", "null", "none") or len(set(stripped)) < 5:
        return True
    return re.search(r"(.)\1{5,}", stripped) is not None
