"""The attestations file: what people state about behaviours no scanner can see.

``aiwarden-attestations.yaml`` (``aiwarden attest init`` writes a template)::

    version: 1
    attestations:
      - behaviour: DP-3.c
        statement: Two on-call engineers completed the AI incident tabletop.
        attested_by: Jane Doe <jane@example.com>
        date: 2026-09-14
        expires: 2027-09-14
        evidence: https://wiki.example.com/security/ai-tabletop-2026

An entry counts only when it is **signed** (``attested_by`` is filled in) and **current**
(``date`` <= today <= ``expires``); an unsigned or expired entry counts as missing, and
the report says which. When a behaviour has several entries the current one that
expires last wins.

The file is validated strictly, because a typo must not silently drop an attestation:
any structural problem, unknown key, unknown behaviour id, malformed or impossible date
raises :class:`AttestationsError` listing every problem with its line. It is read with
PyYAML's safe composer, at most :data:`MAX_BYTES`, with no anchors or aliases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml  # type: ignore[import-untyped]

from aiwarden.assess.model import Attestation, AttestationState
from aiwarden.errors import AiwardenError

FILE_NAME: Final = "aiwarden-attestations.yaml"
FORMAT_VERSION: Final = 1
MAX_BYTES: Final = 1024 * 1024
MAX_ENTRIES: Final = 2_000
_MAX_PROBLEMS: Final = 25
_KEYS: Final = frozenset({"behaviour", "statement", "attested_by", "date", "expires", "evidence"})
_REQUIRED: Final = ("behaviour", "statement", "attested_by", "expires")


class AttestationsError(AiwardenError):
    """The attestations file is malformed; the message lists every problem found."""


@dataclass(frozen=True, slots=True)
class AttestationEntry:
    """One validated entry, as written (its state depends on the day it is read)."""

    behaviour: str
    statement: str
    attested_by: str
    date: dt.date | None
    expires: dt.date
    evidence_url: str | None
    line: int

    def state(self, today: dt.date) -> AttestationState:
        """Valid, expired or unsigned on ``today``."""
        if not self.attested_by:
            return AttestationState.UNSIGNED
        if self.expires < today:
            return AttestationState.EXPIRED
        return AttestationState.VALID


def load_entries(
    path: Path, known_behaviours: Iterable[str], today: dt.date
) -> tuple[AttestationEntry, ...]:
    """Read and validate ``path``; raise :class:`AttestationsError` on any problem."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AttestationsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise AttestationsError(f"{path}: larger than {MAX_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AttestationsError(f"{path}: not valid UTF-8") from None
    return parse_entries(text, str(path), frozenset(known_behaviours), today)


def parse_entries(
    text: str, source: str, known: frozenset[str], today: dt.date
) -> tuple[AttestationEntry, ...]:
    """Validate the YAML ``text`` read from ``source`` (dates may not be after ``today``)."""
    root = _compose(text, source)
    problems: list[str] = []
    entries = _entries(root, _Context(known, today, problems))
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise AttestationsError(
            f"{source}: {len(problems)} problem(s):\n  " + "\n  ".join(shown) + tail
        )
    return tuple(entries)


def resolve(
    entries: Iterable[AttestationEntry], today: dt.date, source: str
) -> dict[str, Attestation]:
    """Behaviour id -> the entry that counts for it (current ones first, latest expiry)."""
    best = _winners(entries, today)
    return {bid: _attestation(entry, today, source) for bid, entry in best.items()}


EXPIRY_NOTICE_DAYS: Final = 30
"""Valid attestations that expire within this many days are pointed out."""


def notices(entries: Iterable[AttestationEntry], today: dt.date, source: str) -> list[str]:
    """Entries that need attention: expiring soon, or superseded by another entry."""
    entries = list(entries)
    out: list[str] = []
    counted = {id(entry) for entry in _winners(entries, today).values()}
    for entry in entries:
        where = f"{source}:{entry.line}: {entry.behaviour}"
        if id(entry) not in counted:
            out.append(f"{where}: superseded by another entry for the same behaviour")
            continue
        left = (entry.expires - today).days
        if entry.state(today) is AttestationState.VALID and left <= EXPIRY_NOTICE_DAYS:
            out.append(f"{where}: expires on {entry.expires} (in {left} days)")
    return out


def _winners(entries: Iterable[AttestationEntry], today: dt.date) -> dict[str, AttestationEntry]:
    best: dict[str, AttestationEntry] = {}
    for entry in entries:
        held = best.get(entry.behaviour)
        if held is None or _rank(entry, today) > _rank(held, today):
            best[entry.behaviour] = entry
    return best


def _rank(entry: AttestationEntry, today: dt.date) -> tuple[bool, dt.date]:
    return entry.state(today) is AttestationState.VALID, entry.expires


def _attestation(entry: AttestationEntry, today: dt.date, source: str) -> Attestation:
    return Attestation(
        behaviour=entry.behaviour,
        statement=entry.statement,
        attested_by=entry.attested_by,
        date=entry.date.isoformat() if entry.date else None,
        expires=entry.expires.isoformat(),
        evidence_url=entry.evidence_url,
        state=entry.state(today),
        source=f"{source}:{entry.line}",
    )


def _compose(text: str, source: str) -> yaml.Node | None:
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise AttestationsError(f"{source}:{line}: anchors and aliases are not allowed")
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise AttestationsError(f"{source}{where}: invalid YAML: {problem}") from None


@dataclass(frozen=True, slots=True)
class _Context:
    known: frozenset[str]
    today: dt.date
    problems: list[str]


def _entries(root: yaml.Node | None, ctx: _Context) -> list[AttestationEntry]:
    problems = ctx.problems
    if not isinstance(root, yaml.MappingNode):
        problems.append("line 1: the file must be a mapping with 'version' and 'attestations'")
        return []
    top = _mapping(root, problems)
    version = top.get("version")
    if version is None or _scalar(version) != str(FORMAT_VERSION):
        problems.append(f"line {_line(version or root)}: 'version' must be {FORMAT_VERSION}")
    for key in sorted(set(top) - {"version", "attestations"}):
        problems.append(f"line {_line(top[key])}: unknown top-level key '{key}'")
    items = top.get("attestations")
    if items is None or (isinstance(items, yaml.ScalarNode) and items.value in ("", "~", "null")):
        return []
    if not isinstance(items, yaml.SequenceNode):
        problems.append(f"line {_line(items)}: 'attestations' must be a list")
        return []
    if len(items.value) > MAX_ENTRIES:
        problems.append(f"line {_line(items)}: more than {MAX_ENTRIES} entries")
        return []
    out = []
    for node in items.value:
        entry = _entry(node, ctx)
        if entry is not None:
            out.append(entry)
    return out


def _entry(node: yaml.Node, ctx: _Context) -> AttestationEntry | None:
    problems = ctx.problems
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"line {line}: each attestation must be a mapping")
        return None
    fields = _mapping(node, problems)
    before = len(problems)
    for key in sorted(set(fields) - _KEYS):
        problems.append(f"line {_line(fields[key])}: unknown key '{key}' (known: {_known()})")
    values = {key: _scalar(value) for key, value in fields.items() if key in _KEYS}
    for key in _REQUIRED:
        if key not in fields:
            problems.append(f"line {line}: '{key}' is required")
        elif values.get(key) is None:
            problems.append(f"line {_line(fields[key])}: '{key}' must be a single value")
    behaviour = values.get("behaviour") or ""
    if behaviour and behaviour not in ctx.known:
        problems.append(f"line {line}: unknown behaviour '{behaviour}' (ids look like SD-3.d)")
    signed = bool((values.get("attested_by") or "").strip())
    date = _date(values, fields, "date", problems, required_at=line if signed else None)
    expires = _date(values, fields, "expires", problems, required_at=line)
    if date is not None and expires is not None and expires < date:
        problems.append(f"line {line}: 'expires' ({expires}) is before 'date' ({date})")
    if date is not None and date > ctx.today:
        problems.append(f"line {line}: 'date' ({date}) is in the future")
    if not (values.get("statement") or "").strip() and "statement" in fields:
        problems.append(f"line {line}: 'statement' is empty")
    if len(problems) > before or expires is None:
        return None
    return AttestationEntry(
        behaviour=behaviour,
        statement=(values.get("statement") or "").strip(),
        attested_by=(values.get("attested_by") or "").strip(),
        date=date,
        expires=expires,
        evidence_url=(values.get("evidence") or "").strip() or None,
        line=line,
    )


def _date(
    values: Mapping[str, str | None],
    fields: Mapping[str, yaml.Node],
    key: str,
    problems: list[str],
    *,
    required_at: int | None,
) -> dt.date | None:
    """The date under ``key``; ``required_at`` is the entry's line when it is required."""
    raw = values.get(key)
    if not raw:
        if required_at is not None and key in fields:
            problems.append(f"line {_line(fields[key])}: '{key}' must be a date (2027-03-31)")
        elif required_at is not None and key == "date":
            problems.append(f"line {required_at}: 'date' is required once 'attested_by' is set")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(f"line {_line(fields[key])}: '{key}' must be a date (2027-03-31)")
        return None


def _mapping(node: yaml.MappingNode, problems: list[str]) -> dict[str, yaml.Node]:
    out: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key is None:
            problems.append(f"line {_line(key_node)}: keys must be plain strings")
        elif key in out:
            problems.append(f"line {_line(key_node)}: duplicate key '{key}'")
        else:
            out[key] = value_node
    return out


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        return "" if value in ("~", "null") and not node.style else value
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1 if node.start_mark is not None else 0


def _known() -> str:
    return ", ".join(sorted(_KEYS))
