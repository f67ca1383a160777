"""Is a package version affected by an OSV record?

A version is affected when it is listed in ``versions`` or falls in any interval of an
``ECOSYSTEM`` or ``SEMVER`` range. Each range's events are sorted by version and walked
into half-open intervals: ``introduced`` opens one (``"0"`` is the beginning),
``fixed`` closes it exclusively and ``last_affected`` inclusively; an ``introduced``
with no closing event stays open. Several intervals per range are kept apart, so a
later ``introduced`` never resets an earlier match. ``GIT`` ranges carry commits, not
versions, and are not evaluated (their releases are in ``versions``). Withdrawn
records never match. PyPI uses PEP 440 ordering; npm SemVer; other ecosystems are
matched by their ``versions`` lists only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from packaging.version import InvalidVersion, Version

from aiwarden.osv.model import Affected, OsvRecord, Range, ecosystem_base, normalize_name
from aiwarden.osv.semver import InvalidSemver, SemVer

Parser = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class Match:
    """A record that affects a version, and the versions that fix it (may be empty)."""

    record: OsvRecord
    fixed: tuple[str, ...]


def _pep440(text: str) -> Version:
    return Version("0") if text == "0" else Version(text)


_PARSERS: dict[str, Parser] = {"PyPI": _pep440, "npm": SemVer.parse}
_INVALID = (InvalidVersion, InvalidSemver)


def version_parser(ecosystem: str) -> Parser | None:
    """The ordering for ``ecosystem``'s versions, or ``None`` if only exact lists apply."""
    return _PARSERS.get(ecosystem_base(ecosystem))


def match_record(record: OsvRecord, ecosystem: str, name: str, version: str) -> Match | None:
    """A :class:`Match` if ``record`` affects ``name`` at ``version`` in ``ecosystem``."""
    if record.withdrawn:
        return None
    wanted = normalize_name(ecosystem, name)
    parse = version_parser(ecosystem)
    fixed: list[str] = []
    hit = False
    for affected in record.affected:
        if ecosystem_base(affected.ecosystem) != ecosystem or affected.normalized != wanted:
            continue
        result = _affected_hit(affected, version, parse)
        if result is not None:
            hit = True
            fixed.extend(f for f in result if f not in fixed)
    return Match(record, tuple(fixed)) if hit else None


def _affected_hit(affected: Affected, version: str, parse: Parser | None) -> list[str] | None:
    """``None`` if not affected, else the fixing versions of the intervals that hit."""
    fixes: list[str] = []
    hit = version in affected.versions
    if parse is None:
        return fixes if hit else None
    try:
        parsed = parse(version)
    except _INVALID:
        return fixes if hit else None
    for rng in affected.ranges:
        if rng.type not in ("ECOSYSTEM", "SEMVER"):
            continue
        for start, end, end_kind in intervals(rng, parse):
            if _inside(parsed, start, end, end_kind):
                hit = True
                if end_kind == "fixed" and end is not None:
                    fixes.append(str(end[1]))
    if hit and not fixes:
        fixes = _all_fixes(affected, parse, parsed)
    return fixes if hit else None


Bound = tuple[Any, str]


def intervals(rng: Range, parse: Parser) -> list[tuple[Any, Bound | None, str]]:
    """The ``(start, (end, end_text) | None, end_kind)`` intervals of one range.

    Events with versions that do not parse are dropped; ``limit`` is ignored (it only
    applies to ``GIT`` ranges).
    """
    parsed = []
    for order, event in enumerate(rng.events):
        if event.kind == "limit":
            continue
        try:
            parsed.append((parse(event.value), _EVENT_ORDER[event.kind], order, event))
        except _INVALID:
            continue
    parsed.sort(key=lambda item: (item[0], item[1], item[2]))
    out: list[tuple[Any, Bound | None, str]] = []
    start: Any = None
    for value, _, _, event in parsed:
        if event.kind == "introduced":
            if start is None:
                start = value
        elif start is not None:
            out.append((start, (value, event.value), event.kind))
            start = None
    if start is not None:
        out.append((start, None, "open"))
    return out


_EVENT_ORDER = {"introduced": 0, "last_affected": 1, "fixed": 1}


def _inside(version: Any, start: Any, end: Bound | None, end_kind: str) -> bool:
    if version < start:
        return False
    if end is None:
        return True
    if end_kind == "last_affected":
        return bool(version <= end[0])
    return bool(version < end[0])


def _all_fixes(affected: Affected, parse: Parser, version: Any) -> list[str]:
    """For a version matched by the ``versions`` list: the fixes above it, lowest first."""
    fixes = []
    for rng in affected.ranges:
        for event in rng.events:
            if event.kind != "fixed":
                continue
            try:
                if parse(event.value) > version:
                    fixes.append((parse(event.value), event.value))
            except _INVALID:
                continue
    return [text for _, text in sorted(fixes, key=lambda item: item[0])][:1]


def match_all(records: Iterable[OsvRecord], ecosystem: str, name: str, version: str) -> list[Match]:
    """Every record of ``records`` that affects the version, aliases merged.

    Records that share an id or alias (a GHSA and its PYSEC twin) are merged into the
    first one found; the merged match lists every fix.
    """
    merged: list[Match] = []
    for record in records:
        match = match_record(record, ecosystem, name, version)
        if match is None:
            continue
        for index, existing in enumerate(merged):
            if existing.record.ids & record.ids:
                fixes = existing.fixed + tuple(f for f in match.fixed if f not in existing.fixed)
                merged[index] = Match(_union(existing.record, record), fixes)
                break
        else:
            merged.append(match)
    return merged


def _union(first: OsvRecord, second: OsvRecord) -> OsvRecord:
    from dataclasses import replace

    aliases = tuple(dict.fromkeys((*first.aliases, *sorted(second.ids - {first.id}))))
    return replace(
        first,
        aliases=aliases,
        severity=first.severity or second.severity,
        qualitative_severity=first.qualitative_severity or second.qualitative_severity,
        disputed=first.disputed or second.disputed,
        references=tuple(dict.fromkeys((*first.references, *second.references))),
    )
