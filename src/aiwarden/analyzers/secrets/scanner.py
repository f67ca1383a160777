"""``find_secrets``: every credential in a text, located, redacted and fingerprinted.

Cost model: the text is lower-cased once and scanned by two pre-filter regexes, one for
every pattern's keywords (a trie-factored alternation) and one for secret-named keys
followed by a separator; only the patterns whose keyword occurred run afterwards, and
prefixless patterns only in a window around each keyword. Text with no candidate
therefore costs the two pre-filter passes (about 50 MB/s on library code). Work per
text is bounded (:data:`MAX_MATCHES`, :data:`MAX_GENERIC_HITS`, :data:`MAX_KEYWORD_HITS`,
:data:`MAX_CANDIDATES`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.secrets._trie import trie_regex
from aiwarden.analyzers.secrets.patterns import PATTERNS, LazyPattern, SecretPattern
from aiwarden.analyzers.secrets.rules import GENERIC_SECRET
from aiwarden.analyzers.secrets.values import (
    char_classes,
    identifier_like,
    is_placeholder,
    redact,
    secret_hash,
    shannon_entropy,
)
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

if TYPE_CHECKING:
    from aiwarden.analyzers.secrets import generic as _generic
else:  # loads at the first secret-named key; registered for preloading by .analyzer
    _generic = lazy_import("aiwarden.analyzers.secrets.generic", before_fork=False)

MAX_MATCHES = 100
"""Most secrets reported for one text."""
MAX_GENERIC_HITS = 20_000
"""Most secret-named keys examined in one text."""
MAX_CANDIDATES = 2_000
"""Most regex matches examined per pattern in one text."""
MAX_KEYWORD_HITS = 200
"""Most keyword occurrences around which a windowed pattern looks, per text."""
ALLOWLIST_PRAGMA = "pragma: allowlist secret"
ALLOWLIST_NEXTLINE = "pragma: allowlist nextline secret"
GENERIC_ID = "generic-secret"
GENERIC_HIT = (
    r"(?:key|token|secret|passw(?:or)?d|pwd|pass|credentials?|value)[\"'`]?\]?"
    r"(?:[ \t]*(?::=|=>|=|:|,)[ \t]*|[ \t]+)"
)
"""The pre-filter alternative (over lower-cased text): a secret word, then a separator.

:mod:`.generic` reads the key and value around each hit; it loads only once a text
has one, so a text without a secret-named key never compiles its patterns.
"""


class SecretMatch(NamedTuple):
    """One secret found in a text. No field holds the secret itself.

    A named tuple, not a dataclass: defining a twelve-field dataclass cost about a
    millisecond of every scan that reads a text file.

    ``line``/``column`` (1-based) are where the secret starts in the text given to
    :func:`find_secrets`; ``evidence`` is the redacted value and ``fingerprint_key`` a
    salted hash of it, stable across runs and independent of the line.
    """

    rule: Rule
    pattern_id: str
    provider: str
    kind: str
    line: int
    column: int
    end_line: int
    end_column: int
    length: int
    evidence: str
    fingerprint_key: str
    confidence: Confidence

    @property
    def message(self) -> str:
        """A one-line description, e.g. ``OpenAI API key committed: sk-p…Xa9Q (164 chars).``."""
        return f"{self.provider} {self.kind} committed: {self.evidence}."


class _Candidate(NamedTuple):
    """A possible secret at ``text[start:end]``; ``priority`` orders overlapping ones."""

    start: int
    end: int
    secret: str
    priority: int
    pattern: SecretPattern | None
    name: str = ""


def _keyword_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for number, pattern in enumerate(PATTERNS):
        for word in pattern.keywords:
            index.setdefault(word.lower(), []).append(number)
    return {word: tuple(numbers) for word, numbers in index.items()}


_KEYWORDS = _keyword_index()
# Two passes over the lower-cased text: the keywords as one trie-factored regex, then
# the secret-named keys. Lower-casing once is far cheaper than matching case-insensitively,
# and two simple regexes are several times faster than one alternation of both.
_KEYWORD_RX = re.compile(trie_regex(_KEYWORDS))
_GENERIC_RX = re.compile(GENERIC_HIT)
_KEYWORD_RX_ANY_CASE = LazyPattern(_KEYWORD_RX.pattern, re.IGNORECASE)  # rare: see _prefilter
_GENERIC_RX_ANY_CASE = LazyPattern(GENERIC_HIT, re.IGNORECASE)


class _Hits(NamedTuple):
    """What the pre-filter found (its containers fill in place)."""

    keywords: dict[int, list[int]]
    """Pattern index -> offsets where one of its keywords occurs."""
    generic: list[int]
    """Offsets of secret-named keys followed by a separator."""


def find_secrets(text: str, *, max_matches: int = MAX_MATCHES) -> list[SecretMatch]:
    """Every secret in ``text``, in text order, at most ``max_matches``.

    Documented placeholders, values below a pattern's entropy floor and lines marked
    ``pragma: allowlist secret`` (or preceded by ``pragma: allowlist nextline secret``)
    are skipped. Where two matches overlap, the more specific pattern wins.
    """
    hits = _prefilter(text)
    if not hits.keywords and not hits.generic:
        return []
    candidates = [c for i, at in hits.keywords.items() for c in _pattern_candidates(text, i, at)]
    candidates.extend(_generic_candidates(text, hits.generic))
    chosen = _without_overlaps(candidates)
    if not chosen:
        return []
    index = _LineIndex(text)
    matches: list[SecretMatch] = []
    for cand in sorted(chosen, key=lambda c: c.start):
        if _allowlisted(text, cand.start):
            continue
        matches.append(_to_match(cand, index))
        if len(matches) >= max_matches:
            break
    return matches


def _prefilter(text: str) -> _Hits:
    """Where each pattern's keywords occur, and where the secret-named keys are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        keywords, generic = _KEYWORD_RX.finditer(lowered), _GENERIC_RX.finditer(lowered)
    else:  # a few characters change length when lower-cased: keep offsets exact
        keywords = _KEYWORD_RX_ANY_CASE.finditer(text)
        generic = _GENERIC_RX_ANY_CASE.finditer(text)
    hits = _Hits({}, [])
    for match in keywords:
        for number in _KEYWORDS.get(match.group().lower(), ()):
            offsets = hits.keywords.setdefault(number, [])
            if len(offsets) < MAX_KEYWORD_HITS:
                offsets.append(match.start())
    for count, match in enumerate(generic):
        if count >= MAX_GENERIC_HITS:
            break
        hits.generic.append(match.start())
    return hits


def _pattern_candidates(text: str, index: int, offsets: list[int]) -> Iterator[_Candidate]:
    pattern = PATTERNS[index]
    for match in _pattern_matches(text, pattern, offsets):
        secret = match.group("s")
        start = match.start("s")
        if pattern.left_boundary_ok(text, start) and _acceptable(secret, pattern):
            yield _Candidate(start, match.end("s"), secret, index, pattern)


def _pattern_matches(
    text: str, pattern: SecretPattern, offsets: list[int]
) -> Iterator[re.Match[str]]:
    """The pattern's matches over the whole text, or within its window of each keyword."""
    if pattern.window is None:
        for count, match in enumerate(pattern.regex.finditer(text)):
            if count >= MAX_CANDIDATES:
                return
            yield match
        return
    seen: set[int] = set()
    for offset in offsets:
        low, high = max(0, offset - pattern.window), offset + pattern.window
        for match in pattern.regex.finditer(text, low, high):
            full = pattern.regex.match(text, match.start())  # boundaries past the window
            if full is not None and full.end() == match.end() and match.start() not in seen:
                seen.add(match.start())
                yield match


def _acceptable(secret: str, pattern: SecretPattern) -> bool:
    if secret in pattern.allowlist:
        return False
    if pattern.validate is not None:
        return pattern.validate(secret)
    if is_placeholder(secret) or char_classes(secret) < pattern.min_classes:
        return False
    if pattern.window is not None and identifier_like(secret):
        return False
    return shannon_entropy(secret) >= pattern.min_entropy


def _generic_candidates(text: str, hits: list[int]) -> Iterator[_Candidate]:
    seen: set[int] = set()
    for hit in hits:
        cand = _generic.candidate_at(text, hit)
        if cand is None or cand.start in seen:
            continue
        seen.add(cand.start)
        yield _Candidate(cand.start, cand.end, cand.value, len(PATTERNS), None, cand.name)


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep candidates by priority, dropping any that overlaps one already kept.

    Kept spans never overlap, so checking the neighbours in start order suffices.
    """
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.priority, c.start)):
        at = bisect.bisect_left(starts, cand.start)
        if (at > 0 and ends[at - 1] > cand.start) or (at < len(starts) and starts[at] < cand.end):
            continue
        starts.insert(at, cand.start)
        ends.insert(at, cand.end)
        chosen.append(cand)
    return chosen


def _allowlisted(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if ALLOWLIST_PRAGMA in text[line_start : line_end if line_end >= 0 else len(text)]:
        return True
    if line_start == 0:
        return False
    previous = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start]
    return ALLOWLIST_NEXTLINE in previous


class _LineIndex:
    """Maps character offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _to_match(cand: _Candidate, index: _LineIndex) -> SecretMatch:
    line, column = index.position(cand.start)
    end_line, end_column = index.position(cand.end)
    pattern = cand.pattern
    if pattern is None:
        return SecretMatch(
            rule=GENERIC_SECRET,
            pattern_id=GENERIC_ID,
            provider="High-entropy value",
            kind=f"assigned to `{cand.name}`",
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            length=len(cand.secret),
            evidence=redact(cand.secret),
            fingerprint_key=f"{GENERIC_ID}:{secret_hash(cand.secret)}",
            confidence=Confidence.MEDIUM,
        )
    return SecretMatch(
        rule=pattern.rule,
        pattern_id=pattern.id,
        provider=pattern.provider,
        kind=pattern.kind,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        length=len(cand.secret),
        evidence=_evidence(cand.secret),
        fingerprint_key=f"{pattern.id}:{secret_hash(cand.secret)}",
        confidence=pattern.confidence,
    )


def _evidence(secret: str) -> str:
    if secret.startswith("-----BEGIN"):
        header = secret[: secret.find("-----", 10) + 5]
        return f"{header} … ({len(secret)} chars)"
    return redact(secret)
