"""The parsed form of an agent configuration: its servers, settings and key lines."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.agents._jsonc import JsonPath, Locator
from aiwarden.analyzers.agents.kinds import Kind

MAX_SERVERS: Final = 500
"""Most server entries analysed in one file."""
MAX_ARGS: Final = 200
"""Most arguments, environment variables or headers read per server."""

_URL_KEYS: Final = ("url", "serverUrl", "httpUrl", "endpoint", "uri")
_HEADER_KEYS: Final = ("headers", "http_headers")


@dataclass(frozen=True, slots=True)
class Server:
    """One MCP server entry; only string values are kept, each with its key path."""

    name: str
    path: JsonPath
    entry: Mapping[str, object]
    command: str | None = None
    args: tuple[tuple[JsonPath, str], ...] = ()
    env: tuple[tuple[JsonPath, str, str], ...] = ()
    url: tuple[JsonPath, str] | None = None
    headers: tuple[tuple[JsonPath, str, str], ...] = ()

    @property
    def argv(self) -> list[str]:
        """The launch command and its string arguments."""
        head = [self.command] if self.command else []
        return head + [value for _, value in self.args]

    def key_path(self, key: str) -> JsonPath:
        """The path of ``key`` in this server's entry."""
        return (*self.path, key)

    def strings(self) -> Iterator[tuple[JsonPath, str]]:
        """Every string value in the entry with its path (command, args, env, url...)."""
        yield from _walk_strings(self.entry, self.path, 0)


@dataclass
class ConfigDoc:
    """One parsed configuration file."""

    kind: Kind
    root: object
    locator: Locator
    servers: list[Server] = field(default_factory=list)
    servers_path: JsonPath = ()
    problems: list[tuple[JsonPath, str]] = field(default_factory=list)

    def line(self, path: JsonPath) -> int:
        """The 1-based line of ``path`` in the raw text."""
        return self.locator.line(path)

    def get(self, *keys: str) -> object:
        """The value at ``keys`` under the root, or ``None`` where any step is missing."""
        node: object = self.root
        for key in keys:
            if not isinstance(node, Mapping):
                return None
            node = node.get(key)
        return node


def _walk_strings(node: object, path: JsonPath, depth: int) -> Iterator[tuple[JsonPath, str]]:
    if depth > 12:
        return
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for index, (key, value) in enumerate(node.items()):
            if index >= MAX_ARGS:
                break
            yield from _walk_strings(value, (*path, str(key)), depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:MAX_ARGS]):
            yield from _walk_strings(value, (*path, index), depth + 1)


def build_server(
    name: str, path: JsonPath, entry: Mapping[str, object]
) -> tuple[Server, list[str]]:
    """A :class:`Server` from one entry, and the shape problems found in it."""
    problems: list[str] = []
    command = entry.get("command")
    args: list[tuple[JsonPath, str]] = []
    if isinstance(command, Mapping):  # Zed: "command": {"path": ..., "args": [...], "env": {}}
        if "env" in command:
            entry = {**entry, "env": command["env"]}
        nested = command.get("args")
        if isinstance(nested, list):
            args.extend(_strings(nested, (*path, "command", "args"), 0))
        command = command.get("path")
    if isinstance(command, list):  # opencode and Codex `notify` take an argv list
        args.extend(_strings(command[1:], (*path, "command"), 1))
        command = command[0] if command else None
    if command is not None and not isinstance(command, str):
        problems.append("`command` is not a string")
        command = None
    raw_args = entry.get("args", [])
    if isinstance(raw_args, list):
        args.extend(_strings(raw_args, (*path, "args"), 0))
    else:
        problems.append("`args` is not a list")
    env = _pairs(entry, path, ("env", "environment"), problems)
    headers = _pairs(entry, path, _HEADER_KEYS, problems)
    url = next((((*path, k), v) for k in _URL_KEYS if isinstance(v := entry.get(k), str)), None)
    server = Server(name, path, entry, command, tuple(args[:MAX_ARGS]), env, url, headers)
    return server, problems


def _pairs(
    entry: Mapping[str, object], path: JsonPath, keys: tuple[str, ...], problems: list[str]
) -> tuple[tuple[JsonPath, str, str], ...]:
    found: list[tuple[JsonPath, str, str]] = []
    for key in keys:
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            problems.append(f"`{key}` is not an object")
            continue
        for index, (name, item) in enumerate(value.items()):
            if index >= MAX_ARGS:
                break
            if isinstance(item, str):
                found.append(((*path, key, str(name)), str(name), item))
    return tuple(found)


def _strings(values: list[object], path: JsonPath, start: int) -> list[tuple[JsonPath, str]]:
    return [((*path, start + i), v) for i, v in enumerate(values[:MAX_ARGS]) if isinstance(v, str)]
