"""Plain values under secret-like names (AIW-IAC001), with placeholder awareness."""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra.rules import SECRET_IN_MANIFEST

_SECRET_NAME: Final = re.compile(
    r"(?i)(?:^|[_.\-]|[a-z](?=[A-Z]))(?:api[_-]?key|apikey|token|secret|secret[_-]?key|password"
    r"|passwd|pass|pwd|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key)$"
)
_REFERENCE: Final = re.compile(
    r"^\s*(?:\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\{\{.*\}\}|<[^>]*>|%[A-Z_]+%)\s*$"
)
_PLACEHOLDER_WORDS: Final = (
    "your", "example", "placeholder", "changeme", "change_me", "change-me", "replace",
    "insert", "dummy", "redacted", "xxxx", "****", "...", "todo", "fixme", "${", "{{",
    "$(", "<", "secretkeyref", "/run/secrets/", "vault:", "arn:aws:secretsmanager",
)  # fmt: skip


def is_secret_name(name: str) -> bool:
    """True for ``OPENAI_API_KEY``, ``db_password``, ``hfToken``, ``auth.secret``..."""
    lowered = name.lower()
    if "existing" in lowered or lowered.endswith(("ref", "name", "file", "path", "secretkey")):
        return False  # the name of a Secret object or a mounted file, not a credential
    return _SECRET_NAME.search(name) is not None


def is_placeholder(value: str) -> bool:
    """True for references, documentation placeholders and values too plain to be secrets."""
    stripped = value.strip()
    if len(stripped) < 6 or _REFERENCE.match(stripped):
        return True
    lowered = stripped.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if lowered in ("true", "false", "null", "none") or len(set(stripped)) < 4:
        return True
    return stripped.startswith(("/", "./", "file:", "http://", "https://")) and "@" not in stripped


def redact(value: str) -> str:
    """``value`` with all but its first and last three characters hidden."""
    if len(value) < 10:
        return f"{value[:1]}… ({len(value)} chars)"
    return f"{value[:3]}…{value[-3:]} ({len(value)} chars)"


def looks_like_credential(value: str) -> bool:
    """True for a value of 8+ characters mixing at least two of lower, upper, digit, symbol.

    Dictionary defaults such as ``postgres`` or ``supersecret`` in local development files
    are left alone; ``Tr4ck1ng-Pa55`` or a random token is not.
    """
    stripped = value.strip()
    if len(stripped) < 8:
        return False
    classes = (
        any(c.islower() for c in stripped),
        any(c.isupper() for c in stripped),
        any(c.isdigit() for c in stripped),
        any(not c.isalnum() for c in stripped),
    )
    return sum(classes) >= 2


def secret_hit(name: str, value: str, line: int, where: str) -> Hit | None:
    """A finding for a literal credential ``value`` under a secret-like ``name``."""
    if not is_secret_name(name) or is_placeholder(value) or not looks_like_credential(value):
        return None
    return Hit(
        SECRET_IN_MANIFEST,
        line,
        f"{where} sets `{name}` to a literal credential; it is committed with the repository.",
        f"iac-secret:{name}",
        evidence=redact(value),
    )
