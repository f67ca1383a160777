"""Selecting agent files by path."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.agents.kinds import Kind, kind_of


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        (".mcp.json", Kind.MCP_JSON),
        ("sub/project/mcp.json", Kind.MCP_JSON),
        (".cursor/mcp.json", Kind.MCP_JSON),
        (".vscode/mcp.json", Kind.MCP_JSON),
        ("claude_desktop_config.json", Kind.MCP_JSON),
        (".codeium/windsurf/mcp_config.json", Kind.MCP_JSON),
        (".vscode/settings.json", Kind.VSCODE_SETTINGS),
        (".claude/settings.json", Kind.CLAUDE_SETTINGS),
        (".claude/settings.local.json", Kind.CLAUDE_SETTINGS),
        (".gemini/settings.json", Kind.GEMINI_SETTINGS),
        (".codex/config.toml", Kind.CODEX_TOML),
        (".cursor/hooks.json", Kind.CURSOR_HOOKS),
        ("AGENTS.md", Kind.RULES),
        ("services/api/CLAUDE.md", Kind.RULES),
        ("GEMINI.md", Kind.RULES),
        (".cursorrules", Kind.RULES),
        (".windsurfrules", Kind.RULES),
        (".cursor/rules/python.mdc", Kind.RULES),
        (".github/copilot-instructions.md", Kind.RULES),
        (".github/instructions/api.instructions.md", Kind.RULES),
        ("skills/pdf/SKILL.md", Kind.RULES),
        (".claude/skills/pdf/reference.md", Kind.RULES),
        ("mcp/github-tools.json", Kind.MANIFEST),
        ("aiwarden-mcp.lock.json", Kind.LOCK),
    ],
)
def test_agent_files_are_recognised(relpath: str, kind: Kind) -> None:
    assert kind_of(relpath) is kind


@pytest.mark.parametrize(
    "relpath",
    ["settings.json", "src/settings.json", "docs/mcp.md", "README.md", "rules/a.mdc", "x.json"],
)
def test_other_files_are_not(relpath: str) -> None:
    assert kind_of(relpath) is None
