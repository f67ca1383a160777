"""Checks over captured tool manifests: AIW-AGT009 poisoning, AGT010 shadowing, AGT014 surface."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

from aiwarden.analyzers.agents._hidden_text import exfil_reason
from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._manifest import ManifestServer, Tool
from aiwarden.analyzers.agents.rules import EXCESSIVE_SURFACE, TOOL_POISONING, TOOL_SHADOWING
from aiwarden.analyzers.code.poisoning_patterns import STRONG_CATEGORIES, find_signals
from aiwarden.core.severity import Confidence, Severity

MAX_MANIFEST_TOOLS: Final = 60
"""More tools than this in one manifest is reported as an excessive surface."""
MAX_SHADOW_SERVERS: Final = 200
"""Most servers of one manifest compared with each other for shadowing."""
_OVERRIDE: Final = re.compile(
    r"\b(?:instead\s+of|rather\s+than|when\s+(?:using|calling|invoking)|before\s+(?:using"
    r"|calling|invoking)|after\s+(?:using|calling)|do\s+not\s+use|don'?t\s+use|never\s+use"
    r"|must\s+(?:always\s+)?(?:be\s+used|use)|overrides?|replaces?|supersedes?|takes?\s+"
    r"precedence|whenever)\b",
    re.IGNORECASE,
)
_WORD: Final = re.compile(r"[\w-]+")
_URL: Final = re.compile(r"https?://[^\s)>\]\"'`]{1,500}")


def check_manifest(servers: list[ManifestServer]) -> Iterator[Hit]:
    """All manifest findings for the servers of one manifest file."""
    total = 0
    names = {id(server): _tool_names(server) for server in servers[:MAX_SHADOW_SERVERS]}
    for server in servers:
        for tool in server.tools:
            total += 1
            yield from _poisoning(server, tool)
            yield from _shadowing(server, tool, servers, names)
    if total > MAX_MANIFEST_TOOLS:
        yield Hit(
            EXCESSIVE_SURFACE,
            servers[0].path,
            f"The manifest exposes {total} tools from {len(servers)} server(s) to one agent "
            f"(more than {MAX_MANIFEST_TOOLS}).",
            key="agt-surface:manifest",
            evidence=f"{total} tools",
        )


def _tool_names(server: ManifestServer) -> frozenset[str]:
    """The distinctive tool names of ``server``, lower-cased (``send_email``, ``getFile``)."""
    return frozenset(t.name.lower() for t in server.tools if _distinctive(t.name))


def _texts(tool: Tool) -> Iterator[tuple[JsonPath, str]]:
    yield (*tool.path, "description"), tool.description
    schema = tool.schema
    key = next(
        (k for k in ("inputSchema", "input_schema", "parameters") if k in tool.definition), ""
    )
    yield from _schema_texts(schema, (*tool.path, key), 0)


def _schema_texts(node: object, path: JsonPath, depth: int) -> Iterator[tuple[JsonPath, str]]:
    if depth > 10:
        return
    if isinstance(node, Mapping):
        for key, value in list(node.items())[:500]:
            child = (*path, str(key))
            if key in ("description", "title", "default", "examples") and isinstance(value, str):
                yield child, value
            else:
                yield from _schema_texts(value, child, depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:500]):
            yield from _schema_texts(value, (*path, index), depth + 1)


def _poisoning(server: ManifestServer, tool: Tool) -> Iterator[Hit]:
    for path, text in _texts(tool):
        signals = find_signals(text)
        names = [s.name for s in signals]
        strong = [s.name for s in signals if s.category in STRONG_CATEGORIES]
        url = next((r for m in _URL.finditer(text[:65_536]) if (r := exfil_reason(m.group(0)))), "")
        if url:
            strong.append(url)
            names.append(url)
        if not names:
            continue
        inner = ".".join(str(part) for part in path[len(tool.path) + 1 :])
        where = "description" if inner == "" else f"input schema text `{inner}`"
        yield Hit(
            TOOL_POISONING,
            path,
            f"Tool `{tool.name}` of `{server.name}` has signs of poisoning in its {where}: "
            f"{'; '.join(names[:4])}.",
            key=f"agt-poison:{server.name}:{tool.name}:{inner}",
            evidence=text[:200],
            severity=None if strong else Severity.MEDIUM,
            confidence=Confidence.HIGH if strong else Confidence.MEDIUM,
        )
        return


def _shadowing(
    server: ManifestServer,
    tool: Tool,
    servers: list[ManifestServer],
    names: dict[int, frozenset[str]],
) -> Iterator[Hit]:
    text = tool.description[:65_536]
    if not text:
        return
    words = frozenset(_WORD.findall(text.lower()))
    overriding = _OVERRIDE.search(text) is not None
    for other in servers[:MAX_SHADOW_SERVERS]:
        if other is server:
            continue
        named = next(iter(sorted(names.get(id(other), frozenset()) & words)), None)
        server_named = overriding and len(other.name) >= 4 and _mentions(text, other.name, words)
        if named is None and not server_named:
            continue
        target = f"tool `{named}`" if named else f"server `{other.name}`"
        yield Hit(
            TOOL_SHADOWING,
            (*tool.path, "description"),
            f"Tool `{tool.name}` of `{server.name}` refers to {target} of another server "
            f"(`{other.name}`) in its description: it can change how that tool is used.",
            key=f"agt-shadow:{server.name}:{tool.name}:{other.name}",
            evidence=text[:200],
        )
        return


def _distinctive(name: str) -> bool:
    return len(name) >= 4 and (
        "_" in name or "-" in name or any(c.isupper() for c in name[1:]) or len(name) >= 10
    )


def _mentions(text: str, name: str, words: frozenset[str]) -> bool:
    lowered = name.lower()
    if _WORD.fullmatch(lowered):
        return lowered in words
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None
