"""Semantic Versioning 2.0.0 ordering (https://semver.org/#spec-item-11), as npm uses it.

Only precedence is implemented: build metadata is ignored; a pre-release sorts before
its release; pre-release identifiers compare numerically when both are numeric, else
lexically, numeric before alphanumeric, and a shorter list first when all else is equal.
A leading ``v`` or ``=`` is accepted, as npm accepts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

_SEMVER = re.compile(
    r"^[=v]?\s*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)


class InvalidSemver(ValueError):
    """Not a SemVer 2.0.0 version."""


@total_ordering
@dataclass(frozen=True, slots=True)
class SemVer:
    """A parsed version; compare with ``<``, ``==`` (build metadata ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> SemVer:
        """Parse ``text``; ``"0"`` (OSV's "from the beginning") is ``0.0.0``."""
        text = text.strip()
        if text == "0":
            return cls(0, 0, 0)
        match = _SEMVER.match(text)
        if match is None:
            raise InvalidSemver(text)
        pre = match.group(4)
        ids: tuple[int | str, ...] = ()
        if pre:
            ids = tuple(int(p) if p.isdigit() else p for p in pre.split("."))
        return cls(int(match.group(1)), int(match.group(2)), int(match.group(3)), ids)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SemVer):
            return NotImplemented
        if (self.major, self.minor, self.patch) != (other.major, other.minor, other.patch):
            return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)
        if not self.prerelease or not other.prerelease:
            return bool(self.prerelease) and not other.prerelease
        return _pre_key(self.prerelease) < _pre_key(other.prerelease)


def _pre_key(ids: tuple[int | str, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in ids)
