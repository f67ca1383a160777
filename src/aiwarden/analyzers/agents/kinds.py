"""Which agent or MCP file a path is, decided from its name and its parent directories."""

from __future__ import annotations

import enum
import fnmatch
import re
from typing import Final

LOCK_NAME: Final = "aiwarden-mcp.lock.json"
MANIFEST_MARKER: Final = re.compile(r'"(?:inputSchema|input_schema)"\s*:')
"""Text that any tools/list result contains; other JSON files are not parsed as manifests."""


class Kind(enum.Enum):
    """The kinds of file the agents analyzer reads."""

    MCP_JSON = "mcp-json"
    """A file whose ``mcpServers`` / ``servers`` map declares MCP servers."""
    VSCODE_SETTINGS = "vscode-settings"
    CLAUDE_SETTINGS = "claude-settings"
    GEMINI_SETTINGS = "gemini-settings"
    CURSOR_HOOKS = "cursor-hooks"
    CURSOR_CLI = "cursor-cli"
    CODEX_TOML = "codex-toml"
    RULES = "rules"
    MANIFEST = "manifest"
    """Maybe a captured ``tools/list`` result: decided by content, never reported as broken."""
    LOCK = "lock"


_MCP_NAMES: Final = frozenset(
    {
        ".mcp.json",
        "mcp.json",
        "mcp_config.json",
        "mcp-config.json",
        "mcp_settings.json",
        "claude_desktop_config.json",
        "cline_mcp_settings.json",
        ".claude.json",
        "opencode.json",
        "opencode.jsonc",
    }
)
_BY_PARENT: Final[dict[tuple[str, str], Kind]] = {
    (".vscode", "settings.json"): Kind.VSCODE_SETTINGS,
    (".claude", "settings.json"): Kind.CLAUDE_SETTINGS,
    (".claude", "settings.local.json"): Kind.CLAUDE_SETTINGS,
    (".gemini", "settings.json"): Kind.GEMINI_SETTINGS,
    (".qwen", "settings.json"): Kind.GEMINI_SETTINGS,
    (".cursor", "hooks.json"): Kind.CURSOR_HOOKS,
    (".windsurf", "hooks.json"): Kind.CURSOR_HOOKS,
    (".zed", "settings.json"): Kind.MCP_JSON,
    (".cursor", "cli.json"): Kind.CURSOR_CLI,
    (".cursor", "cli-config.json"): Kind.CURSOR_CLI,
    (".codex", "config.toml"): Kind.CODEX_TOML,
}
_RULE_NAMES: Final = frozenset(
    {
        "agents.md",
        "agent.md",
        "claude.md",
        "claude.local.md",
        "gemini.md",
        "qwen.md",
        "skill.md",
        ".cursorrules",
        ".windsurfrules",
        ".clinerules",
        ".roorules",
        ".goosehints",
        "copilot-instructions.md",
    }
)
_RULE_DIRS: Final = (
    ".cursor/rules",
    ".windsurf/rules",
    ".clinerules",
    ".roo/rules",
    ".kiro/steering",
    ".continue/rules",
    ".github/instructions",
    ".github/prompts",
    ".claude/commands",
    ".claude/agents",
    ".claude/skills",
    ".gemini/commands",
)
_RULE_SUFFIXES: Final = (".md", ".mdc", ".txt", ".markdown")
_MANIFEST_PATTERNS: Final = ("*tool*.json", "*mcp*.json", "*manifest*.json")


def kind_of(relpath: str) -> Kind | None:
    """The kind of agent file at ``relpath`` (POSIX, relative to the scan root), if any."""
    parts = relpath.replace("\\", "/").split("!")[-1].split("/")
    name = parts[-1].lower()
    parent = parts[-2].lower() if len(parts) > 1 else ""
    if name == LOCK_NAME:
        return Kind.LOCK
    by_parent = _BY_PARENT.get((parent, name))
    if by_parent is not None:
        return by_parent
    if name in _MCP_NAMES:
        return Kind.MCP_JSON
    if _is_rules_file(parts, name):
        return Kind.RULES
    if any(fnmatch.fnmatchcase(name, p) for p in _MANIFEST_PATTERNS):
        return Kind.MANIFEST
    return None


def _is_rules_file(parts: list[str], name: str) -> bool:
    if name in _RULE_NAMES:
        return True
    if not name.endswith(_RULE_SUFFIXES):
        return False
    directory = "/".join(p.lower() for p in parts[:-1])
    return any(f"/{d}/" in f"/{directory}/" for d in _RULE_DIRS)


def is_manifest_text(text: str) -> bool:
    """True if ``text`` may be a captured tool manifest (it names an input schema).

    Here rather than in :mod:`._manifest` so that the many JSON files that are not
    manifests are turned away without loading the manifest reader.
    """
    return MANIFEST_MARKER.search(text) is not None
