"""Signs of tool poisoning in text an agent reads as a tool description.

A poisoned MCP tool description talks to the model, not to the user: it hides
instructions in tags (``<IMPORTANT>``) or HTML comments, tells the model to keep
something from the user, points it at credentials (``~/.ssh/id_rsa``, ``.env``,
``~/.cursor/mcp.json``), asks it to call other tools first or send data elsewhere, or
hides text in invisible and bidirectional-control characters. :func:`find_signals` looks
for those signs with bounded regular expressions; :func:`poisoning_signals` returns
their names for analyzers that only need a yes/no and a reason (the Python MCP rule
here, MCP configuration and tool-manifest analyzers later). Only the first
:data:`MAX_SCANNED` characters are read, and each category is reported once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final, NamedTuple

__all__ = [
    "MAX_SCANNED",
    "STRONG_CATEGORIES",
    "Signal",
    "escaped_excerpt",
    "find_signals",
    "poisoning_signals",
]

MAX_SCANNED: Final = 64 * 1024
"""Characters of a description that are scanned (real descriptions are far shorter)."""

_FLAGS: Final = re.IGNORECASE
_USER: Final = r"(?:the\s+|your\s+)?(?:user|human|operator)s?"
_CATEGORY_SOURCES: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "hidden-tag",
        "hidden-instruction tag",
        r"<\s*/?\s*(?:important|system|secret|hidden|instructions?|admin|critical|override"
        r"|sys|system[-_ ]prompt|assistant[-_ ]only)\s*>|\[\s*(?:system|important)\s*\]",
    ),
    ("html-comment", "HTML comment", r"<!--"),
    (
        "override",
        "instruction override",
        r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?"
        r"(?:previous|prior|above|earlier|preceding|your|other|system|original)\s+"
        r"(?:instructions?|prompts?|rules|directions|guidelines|messages?)"
        r"|\byou\s+are\s+now\s+(?:in\s+)?(?:developer|admin|god|jailbreak|dan)\b"
        r"|\bnew\s+system\s+(?:prompt|instructions?)\b",
    ),
    (
        "secrecy",
        "secrecy instruction",
        r"\b(?:do\s+not|don'?t|never|must\s+not)\s+(?:tell|inform|mention|reveal|show|notify"
        r"|alert|warn|disclose)\b[^.\n]{0,40}?\b" + _USER + r"\b"
        r"|\b(?:do\s+not|don'?t|never)\s+mention\b"
        r"|\bwithout\s+(?:telling|informing|notifying|asking|alerting|showing)\s+"
        + _USER
        + r"|\b(?:keep|make)\s+(?:this|it|these)\s+(?:a\s+)?(?:secret|hidden|confidential)\b"
        r"|\b" + _USER + r"\s+(?:must|should|will)\s+(?:not|never)\s+(?:know|see|notice"
        r"|find\s+out|be\s+told)\b"
        r"|\b(?:secretly|covertly)\b"
        r"|\b(?:silently|quietly)\s+(?:send|upload|read|copy|forward|collect|include|add"
        r"|call|pass|transmit|post|store|exfiltrate|attach)\b",
    ),
    (
        "sensitive-path",
        "sensitive path",
        r"~/\.ssh\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.ssh/(?:authorized_keys|config|known_hosts)"
        r"|~/\.aws\b|\.aws/credentials|/etc/(?:passwd|shadow|sudoers)\b"
        r"|(?<![\w\-])\.env\b(?!\.example|\.sample|\.template)"
        r"|\bmcp\.json\b|claude_desktop_config\.json|~/\.cursor\b|\.cursor/"
        r"|\.npmrc\b|\.pypirc\b|\.netrc\b|\.git-credentials\b|\.kube/config\b"
        r"|\.docker/config\.json|\.config/gcloud|\.gnupg\b|wallet\.dat\b|\.bash_history\b",
    ),
    (
        "tool-instruction",
        "instruction to call tools",
        r"\bbefore\s+(?:using|calling|running|invoking|executing)\s+(?:this|the|any)\s+"
        r"(?:\w+\s+)?tool"
        r"|\b(?:first|always|must)\s+(?:call|use|invoke|run|execute)\s+(?:the\s+)?"
        r"[`'\"]?[\w.-]+[`'\"]?\s+tool\b"
        r"|\bwhen\s+this\s+tool\s+is\s+(?:available|present|loaded|installed)"
        r"|\b(?:the\s+)?[`'\"]?\w+[`'\"]?\s+tool\s+(?:must|should)\s+(?:always\s+)?"
        r"(?:send|forward|use|include|be\s+called|redirect)"
        r"|\botherwise\s+(?:the|this)\s+tool\s+(?:will\s+not|won'?t|cannot|can'?t)\s+work"
        r"|\b(?:after|before|when)\s+(?:answering|responding|replying|finishing|completing)\b"
        r"[^.\n]{0,40}?\b(?:call|invoke|use|run|send|read)\b"
        r"|\b(?:call|invoke|use|run)\s+(?:the\s+)?[`'\"]?\w+[`'\"]?(?:\s+tool)?\s+with\s+"
        r"(?:the\s+)?(?:full\s+|entire\s+)?(?:content|contents|value)s?\s+of\b",
    ),
    (
        "exfiltration",
        "instruction to send data elsewhere",
        r"\b(?:send|forward|upload|post|transmit|exfiltrate|leak|copy|bcc|cc|email|mail)\b"
        r"[^\n]{0,80}?\b(?:to|into)\s+(?:https?://|[\w.+-]+@[\w-]+\.\w)"
        r"|\bpass\s+(?:its|the|their|this|that|all)\s+(?:full\s+)?(?:content|contents"
        r"|value|data|text)\s+(?:as|in|into|via)\b"
        r"|\binclude\s+(?:the\s+)?(?:full\s+|entire\s+)?(?:content|contents)\s+of\b"
        r"|\b(?:read|cat|open|load)\s+(?:the\s+)?(?:file\s+)?[`'\"]?~/",
    ),
)
"""(category, readable name, case-insensitive pattern) of every poisoning sign."""


@functools.cache
def _categories() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """The category patterns, compiled on first use (only tool descriptions need them)."""
    return tuple(
        (category, label, re.compile(rx, _FLAGS)) for category, label, rx in _CATEGORY_SOURCES
    )


_INVISIBLE: Final = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
STRONG_CATEGORIES: Final = frozenset(
    {"hidden-tag", "html-comment", "override", "secrecy", "invisible", "exfiltration"}
)
"""Categories that are rarely innocent in a tool description (the others need context)."""
_CONTEXT: Final = 30


class Signal(NamedTuple):
    """One sign of poisoning: its category, a readable name and where it matched."""

    category: str
    name: str
    start: int
    end: int


def find_signals(text: str) -> list[Signal]:
    """The first match of every poisoning category in ``text``, in text order."""
    scanned = text[:MAX_SCANNED]
    signals: list[Signal] = []
    for category, label, pattern in _categories():
        match = pattern.search(scanned)
        if match is not None:
            shown = " ".join("".join(_escape(ch) for ch in match.group(0)).split())[:40]
            signals.append(Signal(category, f"{label} `{shown}`", match.start(), match.end()))
    invisible = _INVISIBLE.search(scanned)
    if invisible is not None:
        code = ord(invisible.group(0))
        name = unicodedata.name(invisible.group(0), "TAG CHARACTER")
        signals.append(
            Signal("invisible", f"invisible character U+{code:04X} ({name})", *invisible.span())
        )
    return sorted(signals, key=lambda s: s.start)


def poisoning_signals(text: str) -> list[str]:
    """Names of the poisoning signs in ``text`` (empty when it looks clean)."""
    return [signal.name for signal in find_signals(text)]


def escaped_excerpt(text: str, start: int, end: int) -> str:
    """A short excerpt around ``text[start:end]`` with invisible characters escaped."""
    left = max(0, start - _CONTEXT)
    right = min(len(text), end + _CONTEXT)
    excerpt = "".join(_escape(ch) for ch in text[left:right])
    excerpt = " ".join(excerpt.split())
    return f"{'…' if left else ''}{excerpt}{'…' if right < len(text) else ''}"


def _escape(ch: str) -> str:
    if _INVISIBLE.match(ch) or unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cn"}:
        if ch in "\n\t":
            return " "
        code = ord(ch)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return ch
