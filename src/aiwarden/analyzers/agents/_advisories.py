"""A small, curated table of MCP package versions with published advisories (offline).

Each entry lists half-open affected ranges ``[introduced, fixed)`` compared numerically.
Sources: GHSA-6xpm-ggf7-wc3p (mcp-remote), the MCP Inspector and Filesystem server
advisories (CVE-2025-49596, CVE-2025-53109, CVE-2025-53110).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Advisory:
    """Affected versions of one package and the advisory ids that describe them."""

    ecosystem: str
    package: str
    ranges: tuple[tuple[str, str], ...]
    ids: tuple[str, ...]
    summary: str

    def fixed_in(self, version: str) -> str | None:
        """The fixed version if ``version`` falls in an affected range, else ``None``."""
        parsed = version_key(version)
        if parsed is None:
            return None
        for introduced, fixed in self.ranges:
            low, high = version_key(introduced), version_key(fixed)
            if low is not None and high is not None and low <= parsed < high:
                return fixed
        return None


ADVISORIES: Final = (
    Advisory(
        "npm",
        "mcp-remote",
        (("0.0.5", "0.1.16"),),
        ("CVE-2025-6514", "GHSA-6xpm-ggf7-wc3p"),
        "OS command injection from a malicious authorization_endpoint",
    ),
    Advisory(
        "npm",
        "@modelcontextprotocol/inspector",
        (("0", "0.14.1"),),
        ("CVE-2025-49596",),
        "unauthenticated remote code execution through the Inspector proxy",
    ),
    Advisory(
        "npm",
        "@modelcontextprotocol/server-filesystem",
        (("0", "2025.7.1"),),  # every 0.x and date-versioned release before the fix
        ("CVE-2025-53109", "CVE-2025-53110"),
        "symlink and path-prefix escapes from the allowed directories (EscapeRoute)",
    ),
)

_NUMBERS: Final = re.compile(r"^v?(\d+(?:\.\d+){0,3})(?:[-+].*)?$")


def version_key(version: str) -> tuple[int, ...] | None:
    """Numeric release tuple of ``version`` (``"0.1.16" -> (0, 1, 16, 0)``), or ``None``."""
    match = _NUMBERS.match(version.strip())
    if match is None:
        return None
    numbers = [int(n) for n in match.group(1).split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))


def advisory_for(ecosystem: str, package: str, version: str) -> tuple[Advisory, str] | None:
    """The advisory that ``package`` at ``version`` falls under, with its fixed version."""
    for advisory in ADVISORIES:
        if advisory.ecosystem == ecosystem and advisory.package == package.lower():
            fixed = advisory.fixed_in(version)
            if fixed is not None:
                return advisory, fixed
    return None
