"""Agent and MCP configuration analyzers (``AIW-AGT`` rules).

Reads MCP server configurations (``.mcp.json``, ``.cursor/mcp.json``, ``.vscode/mcp.json``,
``claude_desktop_config.json``, Windsurf, Gemini and Codex settings), Claude Code and
VS Code project settings, agent rules files (``AGENTS.md``, ``CLAUDE.md``,
``.cursorrules``, ``SKILL.md``...) and captured MCP tool manifests. Nothing is executed
or started; all checks are offline.
"""
