"""Captured MCP ``tools/list`` results committed in a repository, and their canonical hashes.

Accepted shapes: ``{"tools": [...]}`` (optionally with ``serverInfo``/``server``), a
JSON-RPC response ``{"result": {"tools": [...]}}``, a list of tools, and multi-server
maps ``{"servers": {"name": {"tools": [...]}}}`` or ``{"name": {"tools": [...]}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Final, NamedTuple

from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.core.sha256 import sha256_constructor

MAX_TOOLS: Final = 2000
"""Most tools read from one manifest."""


class Tool(NamedTuple):
    """One tool definition and where it sits in the manifest.

    A named tuple, and :class:`ManifestServer` a plain slotted class: a dataclass costs
    about half a millisecond to create at import.
    """

    name: str
    path: JsonPath
    definition: Mapping[str, object]

    @property
    def description(self) -> str:
        """The description, or ``""``."""
        value = self.definition.get("description")
        return value if isinstance(value, str) else ""

    @property
    def schema(self) -> object:
        """The input schema (``inputSchema``, ``input_schema`` or ``parameters``)."""
        for key in ("inputSchema", "input_schema", "parameters"):
            if key in self.definition:
                return self.definition[key]
        return None

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of name, description and input schema."""
        return canonical_digest(
            {"name": self.name, "description": self.description, "inputSchema": self.schema}
        )


class ManifestServer:
    """The tools one server advertised."""

    __slots__ = ("name", "path", "tools")

    def __init__(self, name: str, path: JsonPath, tools: list[Tool] | None = None) -> None:
        self.name = name
        self.path = path
        self.tools: list[Tool] = [] if tools is None else tools


def default_server_name(relpath: str) -> str:
    """The server a single-server manifest belongs to when it does not say: the file
    name without extension and a ``-tools`` / ``_manifest`` suffix (``gh-tools.json`` ->
    ``gh``)."""
    stem = relpath.rsplit("/", 1)[-1].split(".", 1)[0]
    trimmed = re.sub(r"[-_.]?(?:mcp[-_.]?)?(?:tools?|manifest)$", "", stem, flags=re.IGNORECASE)
    return trimmed or stem


def canonical_digest(value: object) -> str:
    """SHA-256 hex of ``value`` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return sha256_constructor()(text.encode("utf-8", "surrogatepass")).hexdigest()


def manifest_servers(root: object, default_name: str) -> list[ManifestServer]:
    """The servers and tools in a manifest document (empty when it is not one)."""
    if isinstance(root, list):
        return _single(default_name, (), root)
    if not isinstance(root, Mapping):
        return []
    if isinstance(root.get("tools"), list):
        return _single(_server_name(root, default_name), ("tools",), root["tools"])
    result = root.get("result")
    if isinstance(result, Mapping) and isinstance(result.get("tools"), list):
        return _single(_server_name(result, default_name), ("result", "tools"), result["tools"])
    for key in ("servers", "mcpServers"):
        if isinstance(root.get(key), Mapping):
            return _multi(root[key], (key,))
    return _multi(root, ())


def _server_name(node: Mapping[str, object], default: str) -> str:
    info = node.get("serverInfo")
    if isinstance(info, Mapping) and isinstance(info.get("name"), str):
        return str(info["name"])
    for key in ("server", "name"):
        if isinstance(node.get(key), str):
            return str(node[key])
    return default


def _single(name: str, path: JsonPath, tools: list[object]) -> list[ManifestServer]:
    server = ManifestServer(name, path, _tools(path, tools))
    return [server] if server.tools else []


def _multi(servers: Mapping[str, object], path: JsonPath) -> list[ManifestServer]:
    found: list[ManifestServer] = []
    budget = MAX_TOOLS
    for name, value in list(servers.items())[:500]:
        tools_path: JsonPath = (*path, str(name))
        tools: object = value
        if isinstance(value, Mapping):
            tools, tools_path = value.get("tools"), (*tools_path, "tools")
        if isinstance(tools, list) and budget > 0:
            server = ManifestServer(
                str(name), (*path, str(name)), _tools(tools_path, tools[:budget])
            )
            budget -= len(server.tools)
            if server.tools:
                found.append(server)
    return found


def _tools(path: JsonPath, items: list[object]) -> list[Tool]:
    tools: list[Tool] = []
    for index, item in enumerate(items[:MAX_TOOLS]):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            continue
        if "description" in item or "inputSchema" in item or "input_schema" in item:
            tools.append(Tool(str(item["name"]), (*path, index), item))
    return tools
