"""The lowest version an npm range admits, for the common range forms.

``^1.2.3``, ``~1.2.3``, ``>=1.2.3``, ``1.2.x``/``1.2``/``1`` (partial versions), ``=1.2.3``
and ``1.2.3 - 2.0.0``; for ``||`` unions the lowest of the alternatives. ``*``, ``x``,
``latest`` and the empty range admit everything: ``0.0.0``. Tags and URLs give ``None``.
"""

from __future__ import annotations

import re

from aiwarden.osv.semver import InvalidSemver, SemVer

_PARTIAL = re.compile(r"^[=v]?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?$")


def lowest_allowed(spec: str) -> str | None:
    """The lowest version ``spec`` allows, or ``None`` if it is not a semver range."""
    candidates = []
    for alternative in spec.split("||"):
        lowest = _lowest_simple(alternative.strip())
        if lowest is None:
            return None
        candidates.append(lowest)
    if not candidates:
        return None
    try:
        return str(min(candidates, key=SemVer.parse))
    except InvalidSemver:
        return None


def _lowest_simple(spec: str) -> str | None:
    if spec in ("", "*", "x", "X", "latest"):
        return "0.0.0"
    if " - " in spec:
        spec = spec.split(" - ", 1)[0].strip()
    first = spec.split()[0]
    if first.startswith("<"):
        return "0.0.0"
    if first.startswith(">") and not first.startswith(">="):
        return None  # strictly above a version: the next release is unknown
    first = first.lstrip("^~>=").strip()
    match = _PARTIAL.match(first)
    if match is None:
        return None
    major, minor, patch, pre = match.groups()
    minor = "0" if minor is None or not minor.isdigit() else minor
    patch = "0" if patch is None or not patch.isdigit() else patch
    return f"{major}.{minor}.{patch}{pre or ''}"
