"""``AIW-SEC004``: a random-looking literal assigned to a secret-named key.

The scanner's pre-filter finds each secret-named key followed by a separator
(:data:`~.scanner.GENERIC_HIT`: ``API_KEY=``, ``"password":``, ``token =``, ``--api-key ``); this
module reads the key's full name and the value after the separator from a bounded
window around the hit, and decides whether the value is a plausible secret. Syntaxes
covered: Python assignments, keyword arguments and dict literals, YAML, TOML, JSON,
``.env``/INI/properties, shell ``export``, Dockerfile ``ENV``/``ARG`` and CLI flags.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from aiwarden.analyzers.secrets.values import (
    char_classes,
    identifier_like,
    is_hex,
    is_placeholder,
    is_uuid,
    shannon_entropy,
)

_HIT = re.compile(
    r"(?P<gkw>key|token|secret|passw(?:or)?d|pwd|pass|credentials?|value)"
    r"(?P<gclose>[\"'`]?\]?)(?P<gsep>[ \t]*(?::=|=>|=|:|,)[ \t]*|[ \t]+)",
    re.IGNORECASE,
)
_KEY_QUALIFIERS = frozenset(
    {
        "api", "access", "secret", "private", "client", "signing", "encryption", "master",
        "auth", "account", "app", "service", "subscription", "admin", "consumer", "session",
    }
)  # fmt: skip
_SECRET_WORDS = frozenset(
    {"token", "secret", "password", "passwd", "pwd", "pass", "credential", "credentials"}
)

MIN_LENGTH = 16
MAX_LENGTH = 512
HEX_ENTROPY = 3.0
"""Bits per character a hex value needs: random 32-hex keys score >= 3.2 in 99 % of draws."""
MIXED_ENTROPY = 3.3
"""Bits per character other values need: random base62 strings of 16 characters score
>= 3.33 in 99 % of draws (the maximum for 16 characters is 4.0), while identifiers and
phrases that pass the other checks mostly stay below."""
BARE_WORD_SHARE = 0.6
"""An unquoted value this much made of words is a name (``PKCS7PrivateKeyTypes``)."""
LETTERS_ENTROPY = 3.8
"""Letter-only values must be both mixed case and this random (camelCase names are not)."""

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_MAX_NAME = 80
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_NOT_SECRET_BEFORE_TOKEN = frozenset(
    {
        "pad", "bos", "eos", "unk", "sep", "cls", "mask", "start", "end", "stop", "special",
        "sos", "eot", "im", "image", "audio", "video", "max", "num", "next", "page",
        "continuation", "cancel", "id", "type", "new", "is", "has", "use", "no",
    }
)  # fmt: skip
_VALUE = re.compile(
    r"(?:(?:str|bytes|SecretStr|Optional\[str\]|str[ \t]*\|[ \t]*None)[ \t]*=[ \t]*)?"
    r"(?:[rRbBuU]{0,2}(?P<q>[\"'`])(?P<qv>[^\"'`\r\n{}\[\]()<>|;,\\]{1,600}?)(?P=q)"
    r"|(?P<uv>[A-Za-z0-9_\-+/=.~@!%^&*]{1,600})(?=[\s,;#)}\]]|$))"
)
"""A quoted literal, or a bare token of characters secrets use (code punctuation ends it)."""
_REFERENCE = re.compile(
    r"^(?:[$%@&{<:]|os\.|env\.|process\.env|ENC\[|vault:|arn:|projects/|secrets?[:/]"
    r"|[A-Za-z][\w+.-]*://|/|\./|\.\./|~/|[A-Za-z]:\\)"
)
_IDENTIFIER = re.compile(
    r"^(?:[A-Z][A-Z0-9_]*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[A-Za-z]+(?:[_.-][A-Za-z]+)*)$"
)
_SEGMENT_SPLIT = re.compile(r"[-_.:/ ]")
_PAIR_WINDOW = 160
_PAIR_NAME = re.compile(
    r"[\"']?\bname[\"']?[ \t]*[:=][ \t]*[\"']?(?P<name>[A-Za-z_][\w.-]{0,80})[\"']?[ \t]*[,}\r\n]"
)
_DOCKER_PREFIX = re.compile(r"^\s*(?:ENV|ARG)\s+$")


class GenericCandidate(NamedTuple):
    """A secret-named key and the plausible secret assigned to it."""

    name: str
    start: int
    end: int
    value: str


def candidate_at(text: str, start: int) -> GenericCandidate | None:
    """The candidate for a ``GENERIC_HIT`` found at ``start``, or None if it is not one."""
    match = _HIT.match(text, start)
    if match is None:
        return None
    keyword = match.group("gkw")
    if not _left_boundary_ok(text, start, keyword):
        return None
    if keyword.lower() == "value":
        name, name_start = _paired_name(text, start), start
    else:
        name, name_start = _key_name(text, start, match.end("gkw"))
    if not name or not secret_name(name) or not _separator_ok(text, match, name_start):
        return None
    line_end = text.find("\n", match.end())
    end = min(len(text) if line_end < 0 else line_end, match.end() + 700)
    value_match = _VALUE.match(text, match.end(), end)
    if value_match is None:
        return None
    quoted = value_match.group("q") is not None
    if match.group("gsep").strip() == "," and not (
        quoted
        and match.group("gclose").startswith(("'", '"', "`"))
        and _call_pair(text, name_start)
    ):
        return None
    group = "qv" if quoted else "uv"
    value = value_match.group(group)
    if not plausible_secret(value) or (not quoted and identifier_like(value, BARE_WORD_SHARE)):
        return None
    return GenericCandidate(name, value_match.start(group), value_match.end(group), value)


def _key_name(text: str, start: int, end: int) -> tuple[str, int]:
    """The full key name ending at ``end`` (``OPENAI_API_KEY`` around ``KEY``), and its start."""
    name_start = start
    floor = max(0, start - _MAX_NAME)
    while name_start > floor and text[name_start - 1] in _NAME_CHARS:
        name_start -= 1
    raw_name = text[name_start:end]
    name = raw_name.lstrip(".-")
    return name, name_start + len(raw_name) - len(name)


def _paired_name(text: str, value_start: int) -> str:
    """For ``value:`` in a ``{name: X, value: …}`` pair (Kubernetes, ECS), the ``X``."""
    if value_start > 0 and (text[value_start - 1].isalnum() or text[value_start - 1] == "_"):
        return ""
    window = text[max(0, value_start - _PAIR_WINDOW) : value_start]
    found = list(_PAIR_NAME.finditer(window))
    if not found or "value" in window[found[-1].end() :].lower():
        return ""
    return found[-1].group("name")


def _left_boundary_ok(text: str, start: int, keyword: str) -> bool:
    """The keyword begins a word of the name (``OPENAI_API_KEY``, ``authToken``, ``dbpassword``)."""
    if start == 0:
        return True
    before = text[start - 1]
    if not before.isalnum():
        return True
    if before.islower() and keyword[:1].isupper():
        return True  # camelCase hump
    return keyword.lower().startswith(("password", "passwd", "key"))


def secret_name(name: str) -> bool:
    """True if a key or variable name says its value is secret.

    ``OPENAI_API_KEY``, ``authToken``, ``client_secret``, ``db_password``, ``apikey`` are;
    ``pad_token``, ``max_tokens``, ``secret_name``, ``monkey`` and ``token_id`` are not.
    """
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words:
        return False
    last = words[-1]
    previous = words[-2] if len(words) >= 2 else ""
    if last == "key":
        return previous in _KEY_QUALIFIERS
    if last.endswith(("apikey", "password", "passwd")):
        return True
    if last not in _SECRET_WORDS or "public" in words:
        return False
    return not (last == "token" and previous in _NOT_SECRET_BEFORE_TOKEN)


def _call_pair(text: str, name_start: int) -> bool:
    """A quoted name that is a call's first argument: ``getenv("API_KEY", "…")``."""
    before = text[max(0, name_start - 3) : name_start].rstrip("\"'`")
    return before.rstrip().endswith("(")


def _separator_ok(text: str, match: re.Match[str], name_start: int) -> bool:
    """A bare-whitespace separator only counts for ``--flag value`` and Dockerfile ``ENV``."""
    if match.group("gsep").strip():
        return True
    if text[max(0, name_start - 2) : name_start] == "--":
        return True
    line_start = text.rfind("\n", 0, name_start) + 1
    return _DOCKER_PREFIX.match(text[line_start:name_start]) is not None


def _word_like(value: str) -> bool:
    """Three or more separated segments, each a plain word or number (``my-db-password-1``)."""
    segments = [s for s in _SEGMENT_SPLIT.split(value) if s]
    if len(segments) < 3:
        return False
    return all(s.isdigit() or (s.isalpha() and (s.islower() or s.isupper())) for s in segments)


def plausible_secret(value: str) -> bool:
    """True if ``value`` looks like a random credential rather than a word, path or reference."""
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH or any(c.isspace() for c in value):
        return False
    if is_placeholder(value) or _REFERENCE.match(value):
        return False
    if char_classes(value) < 2 or _word_like(value) or not any(c.isalpha() for c in value):
        return False
    if identifier_like(value) or is_uuid(value):
        return False
    entropy = shannon_entropy(value)
    if _IDENTIFIER.match(value):
        letters = value.replace("_", "").replace("-", "").replace(".", "")
        mixed = letters.isalpha() and not letters.islower() and not letters.isupper()
        return mixed and entropy >= LETTERS_ENTROPY and "_" not in value and "." not in value
    return entropy >= (HEX_ENTROPY if is_hex(value) else MIXED_ENTROPY)
