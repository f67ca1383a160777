"""Suppressions: inline comments in scanned files and entries in the config file.

Inline syntax, in any comment style (``#``, ``//``, ``<!-- -->``)::

    eval(x)  # aiwarden: ignore[AIW-PY001] -- reviewed, input is a constant
    # aiwarden: ignore[AIW-PY001, AIW-SEC] -- applies to the next line
    # aiwarden: ignore-file[AIW-NB] -- applies to the whole file
    load(f)  # aiwarden: ignore[AIW-PY001] until=2027-03-31 -- until the migration

Rule lists hold ids or family prefixes. ``AIW-ENG`` findings (files that were not
fully scanned) are never suppressed. A suppression with ``until=`` stops applying
after that date; with ``require_reason`` set, one without a reason does not apply.
Both cases, and an ``until=`` that is not a date, are reported as scan warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from aiwarden.core.finding import Finding
from aiwarden.core.report import Suppression, SuppressionKind
from aiwarden.engine._patterns import compile_patterns
from aiwarden.engine.config import ENGINE_PREFIX, Settings, rule_matches

NO_REASON = "(no reason given)"

_MARKER = "aiwarden:"
_COMMENT = re.compile(
    r"(?P<leader>#|//|<!--)[ \t]*aiwarden:[ \t]*(?P<kind>ignore-file|ignore)"
    r"[ \t]*\[(?P<rules>[^\]\n]*)\](?P<rest>.*)$"
)
_NEWLINES = re.compile(r"\r\n|\r|\n")
_UNTIL = re.compile(r"^until=(?P<date>\S+)\s*")
_JSON_STRING_END = re.compile(r'(?P<newline>\\n)?",?$')
"""The end of a source line stored as a JSON string (a notebook cell: ``... reason\\n",``)."""


class InlineEntry(NamedTuple):
    """One suppression comment: the rules it names, why, and the line it sits on.

    ``invalid_until`` is the text of an ``until=`` that is not an ISO date (the entry
    then never applies). The records here are named tuples and plain classes, not
    dataclasses, which cost about half a millisecond each to create at import.
    """

    rules: tuple[str, ...]
    reason: str
    line: int
    until: dt.date | None = None
    invalid_until: str | None = None

    def covers(self, rule_id: str) -> bool:
        """True if one of the entry's rule selectors names ``rule_id``."""
        return any(rule_matches(selector, rule_id) for selector in self.rules)


class _InlineFields(NamedTuple):
    by_line: Mapping[int, tuple[InlineEntry, ...]]
    file_level: tuple[InlineEntry, ...]


class InlineSuppressions(_InlineFields):
    """The suppression comments of one file: per target line, and file-wide.

    ``by_line`` defaults to a new empty dict for each instance (never a shared one).
    """

    __slots__ = ()

    def __new__(
        cls,
        by_line: Mapping[int, tuple[InlineEntry, ...]] | None = None,
        file_level: tuple[InlineEntry, ...] = (),
    ) -> InlineSuppressions:
        return super().__new__(cls, {} if by_line is None else by_line, file_level)

    def find(self, rule_id: str, lines: Sequence[int]) -> InlineEntry | None:
        """The first entry covering ``rule_id`` on one of ``lines``, else a file-level one."""
        for line in lines:
            for entry in self.by_line.get(line, ()):
                if entry.covers(rule_id):
                    return entry
        for entry in self.file_level:
            if entry.covers(rule_id):
                return entry
        return None


def parse_inline(text: str) -> InlineSuppressions:
    """Find suppression comments in ``text`` (1-based lines).

    A comment after code applies to its own line; a comment alone on its line applies
    to that line and the next one that is not itself such a comment.
    """
    if _MARKER not in text:
        return InlineSuppressions()
    by_line: dict[int, list[InlineEntry]] = {}
    file_level: list[InlineEntry] = []
    pending: list[InlineEntry] = []
    for number, line in enumerate(_NEWLINES.split(text), start=1):
        match = _COMMENT.search(line) if _MARKER in line else None
        if match is None:
            _attach(by_line, number, pending)
            pending = []
            continue
        entry = _entry(match, number)
        if match.group("kind") == "ignore-file":
            file_level.append(entry)
            continue
        _attach(by_line, number, [entry])
        if line[: match.start()].strip():
            _attach(by_line, number, pending)
            pending = []
        else:
            pending.append(entry)
    return InlineSuppressions({k: tuple(v) for k, v in by_line.items()}, tuple(file_level))


def _attach(by_line: dict[int, list[InlineEntry]], line: int, entries: list[InlineEntry]) -> None:
    if entries:
        by_line.setdefault(line, []).extend(entries)


def _entry(match: re.Match[str], line: int) -> InlineEntry:
    rules = tuple(r.strip().upper() for r in match.group("rules").split(",") if r.strip())
    rest = match.group("rest").strip()
    if match.group("leader") == "<!--" and rest.endswith("-->"):
        rest = rest[:-3].rstrip()
    rest = _without_json_string_end(rest)
    until: dt.date | None = None
    invalid: str | None = None
    expiry = _UNTIL.match(rest)
    if expiry is not None:
        rest = rest[expiry.end() :]
        try:
            until = dt.date.fromisoformat(expiry.group("date"))
        except ValueError:
            invalid = expiry.group("date")[:40]
    if rest.startswith("--"):
        rest = rest[2:].strip()
    return InlineEntry(rules, rest or NO_REASON, line, until, invalid)


Warn = Callable[[str], None]


def _without_json_string_end(rest: str) -> str:
    """``reason\\n",`` -> ``reason``; a closing quote alone only when it is unbalanced."""
    end = _JSON_STRING_END.search(rest)
    if end is None or (end.group("newline") is None and rest.count('"') % 2 == 0):
        return rest
    return rest[: end.start()].rstrip()


def apply_suppressions(
    findings: Sequence[Finding],
    *,
    settings: Settings,
    read_text: Callable[[str], str | None],
    today: dt.date | None = None,
    warn: Warn | None = None,
) -> list[Suppression | None]:
    """The suppression of each finding (``None`` where it is not suppressed), in order.

    ``read_text(relpath)`` returns a file's text, or ``None`` when it is not available;
    it is called at most once per file, and only for files with line-located findings.
    An inline comment wins over a config entry. Suppressions that do not apply (expired,
    no reason although one is required, a bad ``until=``) are reported through ``warn``
    once each.
    """
    cache: dict[str, InlineSuppressions] = {}
    policy = _Policy(settings, today or dt.date.today(), warn)

    def inline_for(path: str) -> InlineSuppressions:
        if path not in cache:
            text = read_text(path)
            cache[path] = parse_inline(text) if text is not None else InlineSuppressions()
        return cache[path]

    return [_suppression_for(f, settings, inline_for, policy) for f in findings]


class _Policy:
    """Decides whether a matching suppression applies, and warns once when it does not."""

    __slots__ = ("settings", "today", "warn", "warned")

    def __init__(
        self,
        settings: Settings,
        today: dt.date,
        warn: Warn | None,
        warned: set[str] | None = None,
    ) -> None:
        self.settings = settings
        self.today = today
        self.warn = warn
        self.warned: set[str] = set() if warned is None else warned

    def applies(self, source: str, reason: str, until: dt.date | None, bad: str | None) -> bool:
        problem = None
        if bad is not None:
            problem = f"'until={bad}' is not a date (YYYY-MM-DD)"
        elif until is not None and until < self.today:
            problem = f"expired on {until.isoformat()}"
        elif self.settings.require_reason and reason == NO_REASON:
            problem = "gives no reason, and require-reason is set"
        if problem is None:
            return True
        if self.warn is not None and source not in self.warned:
            self.warned.add(source)
            self.warn(f"suppression at {source} {problem}: it does not apply")
        return False


def _suppression_for(
    finding: Finding,
    settings: Settings,
    inline_for: Callable[[str], InlineSuppressions],
    policy: _Policy,
) -> Suppression | None:
    rule_id = finding.rule_id
    if rule_id.startswith(ENGINE_PREFIX):
        return None
    location = finding.location
    if location.line is not None and location.member is None:
        lines = [location.line]
        if location.end_line is not None and location.end_line != location.line:
            lines.append(location.end_line)
        entry = inline_for(location.path).find(rule_id, lines)
        if entry is not None:
            source = f"{location.path}:{entry.line}"
            if policy.applies(source, entry.reason, entry.until, entry.invalid_until):
                return Suppression(SuppressionKind.INLINE, entry.reason, source)
            return None
    return _config_suppression(finding, settings, policy)


def _config_suppression(
    finding: Finding, settings: Settings, policy: _Policy
) -> Suppression | None:
    for index, entry in enumerate(settings.suppressions):
        if not rule_matches(entry.rule, finding.rule_id):
            continue
        if compile_patterns((entry.path,)).match_file(finding.location.path):
            source = str(settings.source) if settings.source is not None else "configuration"
            if not policy.applies(
                f"{source} suppressions[{index}]", entry.reason, entry.until, None
            ):
                continue
            return Suppression(SuppressionKind.CONFIG, entry.reason, source)
    return None
