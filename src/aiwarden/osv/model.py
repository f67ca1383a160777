"""The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching needs.

:func:`parse_record` turns a decoded JSON object into an immutable :class:`OsvRecord`,
or raises :class:`RecordError` when the object is not a usable OSV record. Unknown
fields are ignored; the original JSON is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name

MAX_AFFECTED = 1_000
MAX_EVENTS = 1_000
MAX_VERSIONS = 100_000


class RecordError(ValueError):
    """The JSON object is not an OSV record aiwarden can use."""


@dataclass(frozen=True, slots=True)
class Event:
    """One range event: ``kind`` is ``introduced``, ``fixed``, ``last_affected`` or ``limit``."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Range:
    """An ``affected[].ranges[]`` entry (``type`` is ``ECOSYSTEM``, ``SEMVER`` or ``GIT``)."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Affected:
    """One affected package of a record, with its ranges and explicit versions."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...]
    versions: frozenset[str]
    severity: tuple[tuple[str, str], ...] = ()

    @property
    def normalized(self) -> str:
        """The package name normalised for lookups (see :func:`normalize_name`)."""
        return normalize_name(self.ecosystem, self.name)


@dataclass(frozen=True, slots=True)
class OsvRecord:
    """A vulnerability record: ids, summary, severity vectors, references, affected packages."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    modified: str
    withdrawn: str | None
    severity: tuple[tuple[str, str], ...]
    references: tuple[str, ...]
    affected: tuple[Affected, ...]
    qualitative_severity: str | None = None
    disputed: bool = False
    curated: bool = False

    @property
    def ids(self) -> frozenset[str]:
        """The record id and its aliases."""
        return frozenset((self.id, *self.aliases))


def normalize_name(ecosystem: str, name: str) -> str:
    """PEP 503 for PyPI, lowercase elsewhere (npm names are lowercase by rule)."""
    return canonicalize_name(name) if ecosystem == "PyPI" else name.lower()


def ecosystem_base(ecosystem: str) -> str:
    """``"PyPI"`` for ``"PyPI"``, ``"Debian"`` for ``"Debian:12"``."""
    return ecosystem.split(":", 1)[0]


def parse_record(data: object) -> OsvRecord:
    """Build an :class:`OsvRecord` from a decoded OSV JSON object."""
    if not isinstance(data, dict):
        raise RecordError("record is not a JSON object")
    record_id = data.get("id")
    if not isinstance(record_id, str) or not record_id:
        raise RecordError("record has no id")
    affected_raw = _list(data.get("affected"))
    if len(affected_raw) > MAX_AFFECTED:
        raise RecordError(f"{record_id}: more than {MAX_AFFECTED} affected entries")
    specific = data.get("database_specific")
    specific = specific if isinstance(specific, dict) else {}
    aiwarden = specific.get("aiwarden")
    aiwarden = aiwarden if isinstance(aiwarden, dict) else {}
    return OsvRecord(
        id=record_id,
        aliases=tuple(a for a in _list(data.get("aliases")) if isinstance(a, str)),
        summary=_str(data.get("summary")) or _str(data.get("details"))[:200],
        modified=_str(data.get("modified")),
        withdrawn=_str(data.get("withdrawn")) or None,
        severity=_severity(data.get("severity")),
        references=tuple(
            r["url"]
            for r in _list(data.get("references"))
            if isinstance(r, dict) and isinstance(r.get("url"), str)
        ),
        affected=tuple(_affected(a, record_id) for a in affected_raw if isinstance(a, dict)),
        qualitative_severity=_str(specific.get("severity")).upper() or None,
        disputed=bool(aiwarden.get("disputed") or specific.get("disputed")),
        curated=bool(aiwarden.get("curated")),
    )


def _affected(data: dict[str, Any], record_id: str) -> Affected:
    package = data.get("package")
    package = package if isinstance(package, dict) else {}
    ranges = []
    for raw in _list(data.get("ranges")):
        if not isinstance(raw, dict):
            continue
        events = _list(raw.get("events"))
        if len(events) > MAX_EVENTS:
            raise RecordError(f"{record_id}: more than {MAX_EVENTS} events in a range")
        ranges.append(Range(_str(raw.get("type")).upper(), tuple(_events(events))))
    versions = _list(data.get("versions"))
    if len(versions) > MAX_VERSIONS:
        raise RecordError(f"{record_id}: more than {MAX_VERSIONS} versions")
    return Affected(
        ecosystem=_str(package.get("ecosystem")),
        name=_str(package.get("name")),
        ranges=tuple(ranges),
        versions=frozenset(v for v in versions if isinstance(v, str)),
        severity=_severity(data.get("severity")),
    )


def _events(raw: list[Any]) -> list[Event]:
    out = []
    for event in raw:
        if not isinstance(event, dict):
            continue
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            value = event.get(kind)
            if isinstance(value, str) and value:
                out.append(Event(kind, value))
    return out


def _severity(raw: object) -> tuple[tuple[str, str], ...]:
    return tuple(
        (s["type"], s["score"])
        for s in _list(raw)
        if isinstance(s, dict)
        and isinstance(s.get("type"), str)
        and isinstance(s.get("score"), str)
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
