"""Parsing agent configuration files of each kind into a :class:`ConfigDoc`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Final

from aiwarden.analyzers.agents._jsonc import JsoncError, JsonPath, Locator, parse_jsonc
from aiwarden.analyzers.agents._model import MAX_SERVERS, ConfigDoc, build_server
from aiwarden.analyzers.agents.kinds import Kind

MAX_PROJECTS: Final = 200
"""Most ``projects`` entries of a ``.claude.json`` whose servers are read."""

_TOML_TABLE: Final = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY: Final = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.-]+)\s*=')


class ConfigError(ValueError):
    """A configuration file that cannot be analysed (reported as AIW-AGT099)."""


def parse_config(kind: Kind, text: str) -> ConfigDoc:
    """Parse ``text`` as a configuration of ``kind``; raise :class:`ConfigError` if broken."""
    if kind is Kind.CODEX_TOML:
        doc = _parse_toml(text)
    else:
        try:
            parsed = parse_jsonc(text)
        except JsoncError as exc:
            raise ConfigError(f"not valid JSON: {exc}") from None
        doc = ConfigDoc(kind, parsed.value, parsed.locator)
    if not isinstance(doc.root, Mapping):
        raise ConfigError(f"top level is a {type(doc.root).__name__}, not an object")
    for path, servers in _server_maps(doc):
        _add_servers(doc, path, servers)
    return doc


def _parse_toml(text: str) -> ConfigDoc:
    try:
        value = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ConfigError(f"not valid TOML: {str(exc)[:200]}") from None
    return ConfigDoc(Kind.CODEX_TOML, value, toml_locator(text))


def toml_locator(text: str) -> Locator:
    """Lines of TOML table headers and keys (``[mcp_servers.x]`` then ``command = …``)."""
    locator = Locator()
    table: JsonPath = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TOML_TABLE.match(line)
        if header is not None:
            table = tuple(_toml_key_parts(header.group(1)))
            locator.lines.setdefault(table, number)
            continue
        key = _TOML_KEY.match(line)
        if key is not None:
            locator.lines.setdefault((*table, *_toml_key_parts(key.group(1))), number)
    return locator


def _toml_key_parts(dotted: str) -> list[str]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s"\']+)', dotted)
    return [a or b or c for a, b, c in parts]


def _server_maps(doc: ConfigDoc) -> list[tuple[JsonPath, object]]:
    root = doc.root
    assert isinstance(root, Mapping)
    maps: list[tuple[JsonPath, object]] = []
    keys = ["mcpServers", "mcp_servers", "servers", "context_servers", "mcp"]
    if doc.kind is Kind.VSCODE_SETTINGS:
        keys = []
        mcp = root.get("mcp")
        if isinstance(mcp, Mapping) and "servers" in mcp:
            maps.append((("mcp", "servers"), mcp["servers"]))
        if "mcp.servers" in root:
            maps.append((("mcp.servers",), root["mcp.servers"]))
    elif doc.kind is not Kind.MCP_JSON:
        keys = ["mcpServers", "mcp_servers"]
    maps.extend(((key,), root[key]) for key in keys if key in root)
    projects = root.get("projects")
    if isinstance(projects, Mapping):
        for index, (name, project) in enumerate(projects.items()):
            if index < MAX_PROJECTS and isinstance(project, Mapping) and "mcpServers" in project:
                maps.append((("projects", str(name), "mcpServers"), project["mcpServers"]))
    return maps


def _entries(path: JsonPath, servers: object) -> list[tuple[str, JsonPath, object]] | None:
    """``(name, path, entry)`` of a server map, or of a list of named servers (Continue)."""
    if isinstance(servers, Mapping):
        return [(str(n), (*path, str(n)), e) for n, e in list(servers.items())[: MAX_SERVERS + 1]]
    if isinstance(servers, list):
        return [
            (str(e.get("name", i)) if isinstance(e, Mapping) else str(i), (*path, i), e)
            for i, e in enumerate(servers[: MAX_SERVERS + 1])
        ]
    return None


def _add_servers(doc: ConfigDoc, path: JsonPath, servers: object) -> None:
    if not doc.servers_path:
        doc.servers_path = path
    entries = _entries(path, servers)
    if entries is None:
        doc.problems.append((path, f"`{path[-1]}` is neither an object nor a list"))
        return
    for index, (name, entry_path, entry) in enumerate(entries):
        if index >= MAX_SERVERS:
            doc.problems.append((path, f"more than {MAX_SERVERS} servers; the rest not analysed"))
            return
        if not isinstance(entry, Mapping):
            doc.problems.append((entry_path, f"server `{name}` is not an object"))
            continue
        server, problems = build_server(str(name), entry_path, entry)
        doc.servers.append(server)
        doc.problems.extend((entry_path, f"server `{name}`: {p}") for p in problems)
