"""Signs of planted instructions in text an agent reads as trusted (rules files, skills).

The prompt-injection phrasing, hidden tags and invisible characters come from
:mod:`aiwarden.analyzers.code.poisoning_patterns`; this module adds what is specific to
instruction files: HTML comments that address the agent, base64 blobs that decode to
text, request-catcher and secret-interpolating URLs, ``curl … | sh`` instructions and
Unicode variation-selector smuggling. Text is scanned paragraph by paragraph so each
signal gets a line.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.agents._hooks import PIPE_TO_SHELL
from aiwarden.analyzers.code.poisoning_patterns import (
    STRONG_CATEGORIES,
    escaped_excerpt,
    find_signals,
)
from aiwarden.core.severity import Severity

MAX_SIGNALS: Final = 20
"""Most signals reported for one text."""
MAX_PARAGRAPH: Final = 64 * 1024
_RULE_FILE_CATEGORIES: Final = frozenset({"override", "secrecy", "exfiltration", "invisible"})
_COMMENT: Final = re.compile(
    r"<!--(?P<body>.{0,4000}?)(?:-->|$)"
    r"|^\[(?://|comment|_)\]:\s*#\s*[(\"'](?P<ref>[^\n]{0,2000})"
    r"|<(?:div|span|p|section|details)\b[^>]{0,300}?(?:display\s*:\s*none|visibility\s*:"
    r"\s*hidden|font-size\s*:\s*0|\bhidden\b)[^>]{0,300}>(?P<html>.{0,4000}?)</",
    re.DOTALL | re.MULTILINE | re.IGNORECASE,
)
_ADDRESSES_AGENT: Final = re.compile(
    r"\b(?:assistant|ai|llm|claude|copilot|cursor|gemini|codex|windsurf|agent|model)s?\b"
    r"(?![-/_.]\w)",
    re.IGNORECASE,
)
_IMPERATIVE: Final = re.compile(
    r"\b(?:always|never|must|do\s+not|don'?t|ignore|execute|run|send|add|insert|include"
    r"|make\s+sure|remember|fetch|download|upload|import)\b",
    re.IGNORECASE,
)
_SENSITIVE: Final = re.compile(
    r"secret|token|\bkeys?\b|credential|password|\.env\b|ssh|cookie|session|environment"
    r"|conversation|history|source\s+code|contents?\b|\bfiles?\b",
    re.IGNORECASE,
)
_BASE64: Final = re.compile(r"(?<![A-Za-z0-9+/=,_-])[A-Za-z0-9+/]{60,}={0,2}(?![A-Za-z0-9+/=])")
_URL: Final = re.compile(r"https?://[^\s)>\]\"'`]{1,2000}")
_CATCHER_HOSTS: Final = re.compile(
    r"(?:^|\.)(?:webhook\.site|requestbin\.\w+|pipedream\.net|ngrok(?:-free)?\.(?:io|app|dev)"
    r"|burpcollaborator\.net|oast\.\w+|interact\.sh|requestcatcher\.com|beeceptor\.com"
    r"|hookbin\.com|canarytokens\.com|trycloudflare\.com|pastebin\.com|transfer\.sh"
    r"|ptpb\.pw|dnslog\.cn|ceye\.io)$",
    re.IGNORECASE,
)
_INTERPOLATED: Final = re.compile(
    r"[?&][^=&#]{1,40}=(?:[^&#]{0,40})(?:\{\{|\$\{|\{[A-Za-z_][\w.]{0,40}\}|\$[A-Z_]{3,}"
    r"|<[^>]{1,40}>|\[[A-Z_ ]{3,}\])"
)
_RISKY_PAYLOAD: Final = re.compile(
    r"https?://|\b(?:add|insert|include|import|install|download|fetch|send|upload|post|curl|wget"
    r"|script|eval|exec|backdoor|telemetry|tracking|analytics|dependency|package)\b|secret|token"
    r"|credential|password|\.env\b|ssh",
    re.IGNORECASE,
)
_SECRECY_STRONG: Final = re.compile(
    r"\b(?:user|human|operator|secretly|covertly|silently|quietly|secret|hidden)\b", re.IGNORECASE
)
_VARIATION: Final = re.compile("[\U000e0100-\U000e01ef]|[\ufe00-\ufe0e]{2,}")


@dataclass(frozen=True, slots=True)
class TextSignal:
    """One sign of a planted instruction, with its 1-based line."""

    category: str
    name: str
    line: int
    severity: Severity
    excerpt: str


_Maker = Callable[[str, str, int, int, Severity], TextSignal]


def text_signals(text: str) -> list[TextSignal]:
    """Signals in ``text`` (an agent rules file, a skill), at most :data:`MAX_SIGNALS`."""
    signals: list[TextSignal] = []
    seen: set[tuple[str, int]] = set()
    for start_line, paragraph in _paragraphs(text):
        for signal in _paragraph_signals(paragraph, start_line):
            if (signal.category, signal.line) not in seen:
                seen.add((signal.category, signal.line))
                signals.append(signal)
            if len(signals) >= MAX_SIGNALS:
                return signals
    return signals


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not block.isspace():
            yield line, block[:MAX_PARAGRAPH]
        line += block.count("\n")


def _paragraph_signals(text: str, first_line: int) -> Iterator[TextSignal]:
    def make(category: str, name: str, start: int, end: int, severity: Severity) -> TextSignal:
        line = first_line + text.count("\n", 0, start)
        return TextSignal(category, name, line, severity, escaped_excerpt(text, start, end))

    for signal in find_signals(text):
        if signal.category == "exfiltration" and not _SENSITIVE.search(text):
            continue  # "email questions to support@…" is documentation, not exfiltration
        if signal.category == "secrecy" and not _directed_secrecy(text, signal.start, signal.end):
            continue  # "the docs don't mention X" describes, it does not instruct
        if signal.category in _RULE_FILE_CATEGORIES:
            yield make(signal.category, signal.name, signal.start, signal.end, Severity.HIGH)
    for match in _VARIATION.finditer(text):
        name = f"invisible variation selector U+{ord(match.group(0)[0]):04X}"
        yield make("invisible", name, match.start(), match.end(), Severity.HIGH)
        break
    for match in _COMMENT.finditer(text):
        body = match.group("body") or match.group("ref") or match.group("html") or ""
        severity = _comment_severity(body)
        if severity is not None:
            kind = "HTML comment" if match.group(0).startswith("<!--") else "hidden Markdown/HTML"
            name = f"{kind} with instructions for the agent"
            yield make("html-comment", name, match.start(), match.end(), severity)
    yield from _blobs_and_urls(text, make)


def _directed_secrecy(text: str, start: int, end: int) -> bool:
    """True if a secrecy phrase is an instruction (starts a sentence, or names the user)."""
    matched = text[start:end]
    if _SECRECY_STRONG.search(matched):
        return True
    before = text[max(0, start - 40) : start].rstrip(" \t*_`\"'")
    return (
        not before
        or before[-1] in ".:;!?-\n>("
        or before.lower().endswith(("and", "but", "please", "then", "always", "also"))
    )


def _comment_severity(body: str) -> Severity | None:
    """How suspicious text hidden from readers is: HIGH when it carries an injection sign or
    tells the agent to fetch, add or send something; LOW for other hidden directives."""
    if any(s.category in STRONG_CATEGORIES - {"html-comment"} for s in find_signals(body)):
        return Severity.HIGH
    if not (_ADDRESSES_AGENT.search(body) and _IMPERATIVE.search(body)):
        return None
    return Severity.HIGH if _RISKY_PAYLOAD.search(body) else Severity.LOW


def _blobs_and_urls(text: str, make: _Maker) -> Iterator[TextSignal]:
    for match in _BASE64.finditer(text):
        decoded = _decoded_text(match.group(0))
        if decoded is not None:
            name = f"base64 blob that decodes to text `{decoded[:40]}`"
            yield make("base64", name, match.start(), match.end(), Severity.HIGH)
            break
    for match in _URL.finditer(text):
        reason = exfil_reason(match.group(0))
        if reason:
            yield make("exfil-url", reason, match.start(), match.end(), Severity.HIGH)
            break
    pipe = PIPE_TO_SHELL.search(text)
    if pipe is not None:
        name = "instruction to pipe a download into a shell"
        yield make("pipe-to-shell", name, pipe.start(), pipe.end(), Severity.MEDIUM)


def _decoded_text(blob: str) -> str | None:
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False)
    except (binascii.Error, ValueError):
        return None
    if not raw:
        return None
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in raw)
    if printable / len(raw) < 0.95 or b" " not in raw:
        return None
    return " ".join(raw.decode("ascii", "replace").split())


def exfil_reason(url: str) -> str:
    """Why ``url`` looks like an exfiltration endpoint (``""`` when it does not)."""
    host = re.sub(r"^https?://(?:[^@/]*@)?", "", url).split("/", 1)[0].split(":", 1)[0]
    if _CATCHER_HOSTS.search(host):
        return f"URL of a request-catching service `{host}`"
    if _INTERPOLATED.search(url):
        return f"URL that interpolates data into its query `{url[:60]}`"
    return ""
