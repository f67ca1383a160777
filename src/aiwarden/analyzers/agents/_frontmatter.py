"""``allowed-tools`` in the front matter of skills and slash commands (AIW-AGT006)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.agents._permissions import RISKY_ALLOW

_FRONTMATTER_TOOLS: Final = re.compile(r"^allowed[-_]tools\s*:\s*(?P<value>.*)$", re.IGNORECASE)


def frontmatter_allowances(text: str) -> Iterator[tuple[int, str]]:
    """Risky ``allowed-tools`` entries in the YAML front matter of a skill or command file.

    Yields ``(line, entry)``; a Claude Code skill or slash command that pre-approves
    ``Bash(*)`` runs arbitrary commands without a prompt whenever it is invoked.
    """
    lines = text.splitlines()[:200]
    if not lines or lines[0].strip() != "---":
        return
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return
        match = _FRONTMATTER_TOOLS.match(line.strip())
        if match is None:
            continue
        value = match.group("value").strip().strip("[]")
        for entry in _split_tools(value):
            if RISKY_ALLOW.match(entry):
                yield number, entry


def _split_tools(value: str) -> list[str]:
    entries: list[str] = []
    depth, current = 0, ""
    for ch in value[:2000]:
        depth += (ch == "(") - (ch == ")")
        if ch in ", " and depth == 0:
            if current.strip().strip("'\""):
                entries.append(current.strip().strip("'\""))
            current = ""
        else:
            current += ch
    if current.strip().strip("'\""):
        entries.append(current.strip().strip("'\""))
    return entries
