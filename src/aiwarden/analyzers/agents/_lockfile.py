"""``aiwarden-mcp.lock.json``: hashes of server launch specs and tool definitions.

Schema (version 1), deterministic and free of timestamps so it diffs cleanly::

    {"lockfile": "aiwarden-mcp", "version": 1,
     "files": {".mcp.json": {"servers": {"github": {"launch": "<sha256>", "tools": {}}}},
               "mcp-tools.json": {"servers": {"github": {"launch": null,
                                                        "tools": {"create_issue": "<sha256>"}}}}}}

``launch`` hashes the canonical JSON of the entry's command, args, URL and container
image; each tool hash covers its name, description and input schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.agents._jsonc import JsoncError, parse_jsonc
from aiwarden.analyzers.agents._launch import launch_of
from aiwarden.analyzers.agents._manifest import canonical_digest, manifest_servers
from aiwarden.analyzers.agents._model import ConfigDoc, Server
from aiwarden.analyzers.agents._parse import ConfigError, parse_config
from aiwarden.analyzers.agents.kinds import Kind

LOCK_FORMAT: Final = "aiwarden-mcp"
LOCK_VERSION: Final = 1
MAX_LOCK_ENTRIES: Final = 100_000


class LockError(ValueError):
    """A lock file that is not a valid ``aiwarden-mcp`` lock."""


@dataclass
class ServerLock:
    """What is recorded for one server of one file."""

    launch: str | None = None
    tools: dict[str, str] = field(default_factory=dict)


FileLock = dict[str, ServerLock]


@dataclass(frozen=True, slots=True)
class Drift:
    """One difference between the lock and the current definitions."""

    change: str
    """``changed-tool``, ``new-tool``, ``removed-tool``, ``changed-launch``, ``new-server``,
    ``removed-server``, ``new-file`` or ``removed-file``."""
    server: str
    tool: str | None = None

    @property
    def major(self) -> bool:
        """True for changed definitions or launch specs (a possible rug pull)."""
        return self.change in ("changed-tool", "changed-launch")

    def describe(self) -> str:
        """A one-line description."""
        subject = (
            f"tool `{self.tool}` of `{self.server}`" if self.tool else f"server `{self.server}`"
        )
        text = {
            "changed-tool": "definition of {} changed since the lock (possible rug pull)",
            "new-tool": "{} is not in the lock",
            "removed-tool": "{} is in the lock but no longer defined",
            "changed-launch": "launch spec of {} changed since the lock",
            "new-server": "{} is not in the lock",
            "removed-server": "{} is in the lock but no longer configured",
            "new-file": "{} is in a file the lock does not list",
            "removed-file": "{} is locked in a file that no longer exists",
        }[self.change]
        return text.format(subject)


def launch_digest(server: Server) -> str:
    """SHA-256 of the canonical launch spec of ``server``."""
    launch = launch_of(server)
    image = launch.spec[1] if launch.runner == "docker" and launch.spec else None
    spec = {
        "command": server.entry.get("command"),
        "args": server.entry.get("args"),
        "url": server.url[1] if server.url else None,
        "image": image,
    }
    return canonical_digest(spec)


def file_entries(
    kind: Kind, text: str, default_name: str, doc: ConfigDoc | None = None
) -> FileLock:
    """The lock entries of one file; raise :class:`ConfigError` for a broken config.

    ``doc`` is the already parsed configuration, when the caller has it.
    """
    entries: FileLock = {}
    if kind is not Kind.MANIFEST:
        doc = doc if doc is not None else parse_config(kind, text)
        for server in doc.servers:
            entries.setdefault(server.name, ServerLock()).launch = launch_digest(server)
        root: object = doc.root
    else:
        try:
            root = parse_jsonc(text).value
        except JsoncError:
            return entries
    for manifest in manifest_servers(root, default_name):
        tools = entries.setdefault(manifest.name, ServerLock()).tools
        for tool in manifest.tools:
            tools[tool.name] = tool.digest()
    return entries


def dump_lock(files: Mapping[str, FileLock]) -> str:
    """The lock file text for ``files`` (sorted, two-space indented, final newline)."""
    data = {
        "lockfile": LOCK_FORMAT,
        "version": LOCK_VERSION,
        "files": {
            name: {
                "servers": {
                    server: {"launch": lock.launch, "tools": dict(sorted(lock.tools.items()))}
                    for server, lock in sorted(entries.items())
                }
            }
            for name, entries in sorted(files.items())
            if entries
        },
    }
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def load_lock(text: str) -> dict[str, FileLock]:
    """Parse a lock file; raise :class:`LockError` if it is not a valid version-1 lock."""
    try:
        data = parse_jsonc(text).value
    except JsoncError as exc:
        raise LockError(f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping) or data.get("lockfile") != LOCK_FORMAT:
        raise LockError(f'not an aiwarden MCP lock (no "lockfile": "{LOCK_FORMAT}")')
    if data.get("version") != LOCK_VERSION:
        raise LockError(
            f"unsupported lock version {data.get('version')!r} (expected {LOCK_VERSION})"
        )
    files = data.get("files")
    if not isinstance(files, Mapping):
        raise LockError('"files" is not an object')
    return {str(name): _file_lock(name, entry) for name, entry in files.items()}


def _file_lock(name: object, entry: object) -> FileLock:
    servers = entry.get("servers") if isinstance(entry, Mapping) else None
    if not isinstance(servers, Mapping):
        raise LockError(f'"files"."{name}" has no "servers" object')
    result: FileLock = {}
    for server, value in list(servers.items())[:MAX_LOCK_ENTRIES]:
        if not isinstance(value, Mapping):
            raise LockError(f'server "{server}" in "{name}" is not an object')
        launch, tools = value.get("launch"), value.get("tools", {})
        if not (launch is None or isinstance(launch, str)) or not isinstance(tools, Mapping):
            raise LockError(f'server "{server}" in "{name}" has a malformed entry')
        if not all(isinstance(v, str) for v in tools.values()):
            raise LockError(f'server "{server}" in "{name}" has a non-string tool hash')
        result[str(server)] = ServerLock(launch, {str(k): str(v) for k, v in tools.items()})
    return result


def compare(locked: FileLock | None, current: FileLock) -> list[Drift]:
    """Differences between the locked entries of one file and its current entries."""
    if locked is None:
        return [Drift("new-file", name) for name in sorted(current)]
    drifts: list[Drift] = []
    for name in sorted(set(locked) | set(current)):
        old, new = locked.get(name), current.get(name)
        if old is None:
            drifts.append(Drift("new-server", name))
        elif new is None:
            drifts.append(Drift("removed-server", name))
        else:
            drifts.extend(_compare_server(name, old, new))
    return drifts


def _compare_server(name: str, old: ServerLock, new: ServerLock) -> list[Drift]:
    drifts: list[Drift] = []
    if old.launch is not None and new.launch is not None and old.launch != new.launch:
        drifts.append(Drift("changed-launch", name))
    for tool in sorted(set(old.tools) | set(new.tools)):
        before, after = old.tools.get(tool), new.tools.get(tool)
        if before is None:
            drifts.append(Drift("new-tool", name, tool))
        elif after is None:
            drifts.append(Drift("removed-tool", name, tool))
        elif before != after:
            drifts.append(Drift("changed-tool", name, tool))
    return drifts


__all__ = ["ConfigError", "Drift", "LockError", "ServerLock", "compare", "dump_lock", "load_lock"]
