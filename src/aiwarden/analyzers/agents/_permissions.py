"""AIW-AGT006 auto-approval / permission bypass and AIW-AGT007 API base-URL overrides."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._model import ConfigDoc, Server
from aiwarden.analyzers.agents._servers import BROAD_PATH
from aiwarden.analyzers.agents.kinds import Kind
from aiwarden.analyzers.agents.rules import AUTO_APPROVAL, OVERBROAD_GRANT
from aiwarden.core.severity import Severity

_RISKY_PROGRAMS: Final = (
    "sh|bash|zsh|dash|fish|pwsh|powershell|cmd|python\\d*(?:\\.\\d+)?|node|deno|bun|ruby|perl"
    "|php|eval|exec|xargs|env|curl|wget|nc|ncat|netcat|socat|ssh|scp|rsync|sudo|su|doas|rm"
    "|dd|docker|kubectl|npx|uvx|pipx|osascript|source|bunx|command|nohup|time"
)
RISKY_ALLOW: Final = re.compile(
    r"^(?:\*|Bash|Shell|Bash\(\s*[*:]*\s*\)|Shell\(\s*[*:]*\s*\)"
    r"|(?:Bash|Shell)\(\s*(?:" + _RISKY_PROGRAMS + r")(?:\s*[:*]|\s+\*|\s*\))[^)]*\)?"
    r"|WebFetch|WebFetch\(\s*\*?\s*\)|mcp__\*|mcp__[\w-]+__\*)$"
)
_SERVER_WIDE: Final = re.compile(r"^mcp__(?:(?!__)[\w-])+$")
_RISKY_TOOL: Final = re.compile(
    r"(?:^|[_\-.]|(?<=[a-z])(?=[A-Z]))(?:write|edit|create|delete|remove|rm|move|rename|update"
    r"|patch|put|push|commit|merge|exec|execute|run|shell|command|terminal|bash|eval|install"
    r"|deploy|send|post|fetch|http|request|upload|email|mail|message|navigate|click|type|fill"
    r"|evaluate|insert|drop|truncate|kill|transfer|pay|publish|comment)",
    re.IGNORECASE,
)
_BYPASS_FLAGS: Final = re.compile(
    r"--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b"
    r"|--approval-mode[= ]yolo|--allow-all-tools|--trust-all-tools|--permission-mode[= ]"
    r"bypassPermissions"
)
_VSCODE_AUTO: Final = ("chat.tools.autoApprove", "chat.tools.global.autoApprove")


def check_doc(doc: ConfigDoc) -> Iterator[Hit]:
    """Bypass and override findings in the settings and servers of ``doc``."""
    yield from _flags(doc)
    yield from _allow_lists(doc)
    for server in doc.servers:
        yield from _server_approvals(server)
    yield from _codex(doc)
    yield from _additional_directories(doc)
    yield from _bypass_strings(doc)


def _hit(path: JsonPath, message: str, key: str, evidence: str, **extra: object) -> Hit:
    severity = extra.get("severity")
    return Hit(
        AUTO_APPROVAL,
        path,
        message,
        key=f"agt-approve:{key}",
        evidence=evidence[:200],
        severity=severity if isinstance(severity, Severity) else None,
    )


def _flags(doc: ConfigDoc) -> Iterator[Hit]:
    if doc.get("enableAllProjectMcpServers") is True:
        yield _hit(
            ("enableAllProjectMcpServers",),
            "`enableAllProjectMcpServers: true` starts every server in the project's "
            ".mcp.json without asking, including ones a pull request adds.",
            "enable-all",
            '"enableAllProjectMcpServers": true',
        )
    mode = doc.get("permissions", "defaultMode")
    if mode == "bypassPermissions":
        yield _hit(
            ("permissions", "defaultMode"),
            '`defaultMode: "bypassPermissions"` lets the agent run every tool without approval.',
            "bypass-mode",
            '"defaultMode": "bypassPermissions"',
        )
    for key in ("allowUnsandboxedCommands", "enableWeakerNestedSandbox"):
        if doc.get("sandbox", key) is True:
            yield _hit(
                ("sandbox", key),
                f"`sandbox.{key}: true` weakens or escapes the command sandbox.",
                key,
                f'"{key}": true',
            )
    for key in _VSCODE_AUTO:
        if doc.get(key) is True:
            yield _hit((key,), f"`{key}: true` approves every tool call.", key, f'"{key}": true')
    for key in ("approvalMode", "defaultApprovalMode"):
        for scope in ((key,), ("general", key), ("tools", key)):
            if doc.get(*scope) == "yolo":
                yield _hit(scope, f'`{key}: "yolo"` approves every tool call.', key, "yolo")


def _allow_lists(doc: ConfigDoc) -> Iterator[Hit]:
    allow = doc.get("permissions", "allow")
    if not isinstance(allow, list):
        return
    for index, entry in enumerate(allow[:500]):
        if not isinstance(entry, str):
            continue
        rule = entry.strip()
        path = ("permissions", "allow", index)
        if RISKY_ALLOW.match(rule):
            yield _hit(
                path,
                f"`permissions.allow` pre-approves `{rule}`: arbitrary commands, interpreters or "
                "network access run without a prompt.",
                f"allow:{rule}",
                rule,
            )
        elif _SERVER_WIDE.match(rule):
            yield _hit(
                path,
                f"`permissions.allow` pre-approves every tool of MCP server `{rule[5:]}`.",
                f"allow:{rule}",
                rule,
                severity=Severity.MEDIUM,
            )


def _server_approvals(server: Server) -> Iterator[Hit]:
    if server.entry.get("trust") is True:
        yield _hit(
            server.key_path("trust"),
            f"Server `{server.name}` has `trust: true`: its tool calls skip confirmation.",
            f"trust:{server.name}",
            '"trust": true',
        )
    for key in ("autoApprove", "alwaysAllow", "auto_approve", "autoApproveTools"):
        value = server.entry.get(key)
        if value is True or value == "*":
            yield _hit(
                server.key_path(key),
                f"Server `{server.name}` auto-approves all of its tools (`{key}`).",
                f"{key}:{server.name}:*",
                f'"{key}": {value!r}',
            )
        elif isinstance(value, list):
            risky = [
                t for t in value[:200] if isinstance(t, str) and (t == "*" or _RISKY_TOOL.search(t))
            ]
            if risky:
                yield _hit(
                    server.key_path(key),
                    f"Server `{server.name}` auto-approves write, execute or network tools "
                    f"({', '.join(f'`{t}`' for t in risky[:5])}).",
                    f"{key}:{server.name}",
                    ", ".join(risky[:10]),
                )


def _additional_directories(doc: ConfigDoc) -> Iterator[Hit]:
    directories = doc.get("permissions", "additionalDirectories")
    if not isinstance(directories, list):
        return
    for index, directory in enumerate(directories[:200]):
        if isinstance(directory, str) and BROAD_PATH.match(directory.strip()):
            yield Hit(
                OVERBROAD_GRANT,
                ("permissions", "additionalDirectories", index),
                f"`permissions.additionalDirectories` gives the agent `{directory}`.",
                key=f"agt-dirs:{directory}",
                evidence=directory,
            )


def _codex(doc: ConfigDoc) -> Iterator[Hit]:
    if doc.kind is not Kind.CODEX_TOML or not isinstance(doc.root, Mapping):
        return
    tables: list[tuple[JsonPath, Mapping[str, object]]] = [((), doc.root)]
    profiles = doc.root.get("profiles")
    if isinstance(profiles, Mapping):
        tables.extend(
            (("profiles", str(n)), p) for n, p in profiles.items() if isinstance(p, Mapping)
        )
    for prefix, table in tables[:100]:
        sandbox = table.get("sandbox_mode")
        if sandbox == "danger-full-access":
            yield _hit(
                (*prefix, "sandbox_mode"),
                '`sandbox_mode = "danger-full-access"` runs agent commands without a sandbox.',
                f"codex-sandbox:{prefix}",
                'sandbox_mode = "danger-full-access"',
            )
        if table.get("approval_policy") == "never" and sandbox != "read-only":
            yield _hit(
                (*prefix, "approval_policy"),
                '`approval_policy = "never"` never asks before running commands.',
                f"codex-approval:{prefix}",
                'approval_policy = "never"',
            )


def _bypass_strings(doc: ConfigDoc) -> Iterator[Hit]:
    seen: set[str] = set()
    for path, text in _strings(doc.root, (), 0):
        match = _BYPASS_FLAGS.search(text)
        if match is not None and match.group(0) not in seen:
            seen.add(match.group(0))
            yield _hit(
                path,
                f"`{match.group(0)}` disables the agent's permission prompts.",
                f"flag:{match.group(0)}",
                text,
            )


def _strings(node: object, path: JsonPath, depth: int) -> Iterator[tuple[JsonPath, str]]:
    if depth > 16:
        return
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for index, (key, value) in enumerate(node.items()):
            if index < 2000:
                yield from _strings(value, (*path, str(key)), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:2000]):
            yield from _strings(value, (*path, index), depth + 1)
