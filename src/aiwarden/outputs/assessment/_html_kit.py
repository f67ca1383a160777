"""Building blocks of the HTML report: escaping, safe links, anchors and badges.

Every value of a scorecard may come from a hostile repository (paths, messages,
attestation statements, URLs), so nothing reaches the page without passing through
:func:`esc` (control characters made visible, then ``html.escape`` with quotes).
Links are built here only: file links are percent-encoded project-relative paths
behind a fixed prefix, so a path can never choose its own scheme, and an attestation's
evidence URL becomes a live link only when it is a plain ``http(s)`` URL.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlsplit

from aiwarden.assess.model import AttestationState, Polarity, Status, Strength
from aiwarden.outputs._sanitize import clean, clean_line

MAX_URL_CHARS: Final = 2048
"""Longer evidence URLs are shown as text, never linked."""

STATUS_SLUG: Final[dict[Status, str]] = {
    Status.MET: "met",
    Status.PARTLY_MET: "partly",
    Status.NOT_MET: "notmet",
    Status.NEEDS_ATTESTATION: "attest",
    Status.NOT_APPLICABLE: "na",
}
"""CSS class and filter key of each status (values with spaces do not make classes)."""

STATUS_ICON: Final[dict[Status, str]] = {
    Status.MET: "\u2713",
    Status.PARTLY_MET: "\u25d0",
    Status.NOT_MET: "\u2715",
    Status.NEEDS_ATTESTATION: "?",
    Status.NOT_APPLICABLE: "\u2013",
}

STATUS_LABEL: Final[dict[Status, str]] = {
    Status.MET: "Met",
    Status.PARTLY_MET: "Partly met",
    Status.NOT_MET: "Not met",
    Status.NEEDS_ATTESTATION: "Needs attestation",
    Status.NOT_APPLICABLE: "Not applicable",
}

STATUS_ORDER: Final = (
    Status.NOT_MET,
    Status.PARTLY_MET,
    Status.NEEDS_ATTESTATION,
    Status.MET,
    Status.NOT_APPLICABLE,
)
"""The order of statuses in legends and filters: what needs work first."""

_STRENGTH: Final[dict[Strength, tuple[str, str, str]]] = {
    Strength.VERIFIED: ("verified", "\u2714 Verified", "Machine-checked by aiwarden"),
    Strength.DOCUMENT_PRESENT: (
        "document",
        "Document present",
        "A document exists; whether it is followed is not known",
    ),
    Strength.HEURISTIC: ("heuristic", "Heuristic", "A pattern was found or is missing"),
    Strength.ATTESTED: ("attested", "Attested", "A person signed a statement"),
}

_ATTESTATION: Final[dict[AttestationState, str]] = {
    AttestationState.VALID: "Valid",
    AttestationState.EXPIRED: "Expired",
    AttestationState.UNSIGNED: "Unsigned",
    AttestationState.MISSING: "Missing",
}

KNOWN_SEVERITIES: Final = ("critical", "high", "medium", "low", "info")

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_LINK_BASE_SCHEMES: Final = frozenset({"", "http", "https", "file"})


def esc(text: str) -> str:
    """Untrusted text made safe for element content and quoted attributes."""
    return html.escape(clean(text), quote=True)


def esc_line(text: str) -> str:
    """Like :func:`esc`, folded to one line."""
    return html.escape(clean_line(text), quote=True)


def anchor(prefix: str, raw: str) -> str:
    """An element id from untrusted ``raw``: only ``[A-Za-z0-9_.-]`` survive."""
    return prefix + _ANCHOR_UNSAFE.sub("-", raw)[:120]


def check_link_base(link_base: str) -> str:
    """``link_base`` when it is relative or an http(s)/file URL; ValueError otherwise."""
    if any(ch.isspace() or not ch.isprintable() for ch in link_base):
        raise ValueError("link_base must not contain whitespace or control characters")
    scheme = urlsplit(link_base).scheme.lower()
    if scheme not in _LINK_BASE_SCHEMES:
        raise ValueError(f"link_base scheme {scheme!r} is not allowed (http, https, file)")
    return link_base


def file_href(link_base: str, path: str, line: int | None = None) -> str:
    """The (unescaped) href of a project file: ``link_base`` + encoded path + ``#L<line>``.

    The path is percent-encoded (``:`` included) and stripped of leading slashes, so it
    can neither carry a scheme (``javascript:``) nor become a network-path reference
    (``//host``) on its own.
    """
    encoded = quote(clean_line(path).lstrip("/\\"), safe="/")
    href = (link_base or "./") + encoded
    return f"{href}#L{line}" if line is not None and line > 0 else href


def location_text(path: str, line: int | None) -> str:
    """``path:line`` as a reader sees it."""
    return f"{path}:{line}" if line is not None and line > 0 else path


def file_link(link_base: str, path: str, line: int | None = None) -> str:
    """An ``<a>`` to a project file, showing ``path:line``."""
    href = esc(file_href(link_base, path, line))
    return f'<a class="file" href="{href}">{esc_line(location_text(path, line))}</a>'


def safe_http_url(url: str | None) -> str | None:
    """``url`` when it is a plain absolute http(s) URL that may be linked, else None."""
    if not url or len(url) > MAX_URL_CHARS:
        return None
    if any(ch.isspace() or not ch.isprintable() or ch in "\\<>\"'`" for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url


def url_link(url: str | None) -> str:
    """A live link for an http(s) URL, the URL as inert text otherwise, '' for none."""
    if not url:
        return ""
    safe = safe_http_url(url)
    if safe is None:
        return (
            f'<span class="inert-url" title="not linked: not an http(s) URL">{esc_line(url)}</span>'
        )
    return f'<a href="{esc(safe)}" rel="noopener noreferrer nofollow">{esc_line(url)}</a>'


def status_badge(status: Status, small: bool = False) -> str:
    """A status badge: colour, icon and the status in words."""
    size = " badge-sm" if small else ""
    return (
        f'<span class="badge st-{STATUS_SLUG[status]}{size}">'
        f'<span class="ico" aria-hidden="true">{STATUS_ICON[status]}</span>'
        f"{STATUS_LABEL[status]}</span>"
    )


def strength_badge(strength: Strength) -> str:
    """The evidence strength, with a tooltip that says what it means."""
    slug, label, meaning = _STRENGTH[strength]
    return f'<span class="strength sg-{slug}" title="{esc(meaning)}">{esc(label)}</span>'


def polarity_mark(polarity: Polarity) -> str:
    """``+ supports`` or ``- undermines``, in words as well as colour."""
    if polarity is Polarity.SUPPORTS:
        return '<span class="pol pol-sup"><span aria-hidden="true">+</span> supports</span>'
    return '<span class="pol pol-und"><span aria-hidden="true">\u2212</span> undermines</span>'


def severity_badge(severity: str) -> str:
    """A severity badge; an unknown severity is shown as given, in neutral colours."""
    key = severity.lower()
    slug = key if key in KNOWN_SEVERITIES else "other"
    return f'<span class="sev sev-{slug}">{esc_line(severity)}</span>'


def attestation_badge(state: AttestationState) -> str:
    """The state of an attestation as a badge."""
    return f'<span class="att att-{state.value}">{_ATTESTATION[state]}</span>'


def percent(score: float | None) -> str:
    """``0.625`` as ``63%``; ``n/a`` for None."""
    if score is None:
        return "n/a"
    return f"{round(max(0.0, min(1.0, score)) * 100)}%"


class Anchors:
    """Element ids of the report's findings, assigned once per fingerprint.

    A finding mapped to several behaviours is shown under each of them, but only its
    first appearance (in report order) carries the id that next steps link to.
    """

    def __init__(self, fingerprints_in_order: list[str]) -> None:
        """Assign a unique id to each distinct fingerprint, in the order given."""
        self._ids: dict[str, str] = {}
        taken: set[str] = set()
        for fingerprint in fingerprints_in_order:
            if fingerprint in self._ids:
                continue
            base = candidate = anchor("f-", fingerprint)
            suffix = 2
            while candidate in taken:
                candidate, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(candidate)
            self._ids[fingerprint] = candidate
        self._placed: set[str] = set()

    def href(self, fingerprint: str) -> str | None:
        """``#id`` of the finding, None when the report does not show it."""
        found = self._ids.get(fingerprint)
        return f"#{found}" if found else None

    def place(self, fingerprint: str) -> str | None:
        """The id for this appearance of the finding: its id the first time, then None."""
        if fingerprint in self._placed or fingerprint not in self._ids:
            return None
        self._placed.add(fingerprint)
        return self._ids[fingerprint]


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every section renderer needs besides the scorecard."""

    link_base: str
    """Prefix of file links (checked by :func:`check_link_base`)."""
    anchors: Anchors


_ISO_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
)


def human_time(timestamp: str) -> str:
    """``2026-11-20T09:30:00Z`` as ``2026-11-20 09:30 UTC``; anything else unchanged."""
    match = _ISO_TIME.fullmatch(timestamp.strip())
    if match is None:
        return timestamp
    day, clock, zone = match.groups()
    if zone in ("Z", "+00:00", "+0000", "-00:00"):
        zone = "UTC"
    return f"{day} {clock} {zone}" if zone else f"{day} {clock}"
