"""AIW-AGT011: comparing a configuration or manifest with the nearest MCP lock file.

The lock is looked for in the file's directory and each parent up to the scan root;
entries are keyed by the file's path relative to the lock's directory. Only regular
files are read, bounded in size; a broken lock is reported when the lock itself is
scanned, and ignored here.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsoncError, JsonPath, parse_jsonc
from aiwarden.analyzers.agents._lockfile import (
    Drift,
    FileLock,
    LockError,
    compare,
    file_entries,
    load_lock,
)
from aiwarden.analyzers.agents._manifest import default_server_name, manifest_servers
from aiwarden.analyzers.agents._model import ConfigDoc
from aiwarden.analyzers.agents._parse import ConfigError
from aiwarden.analyzers.agents.kinds import LOCK_NAME, Kind
from aiwarden.analyzers.agents.rules import TOOL_DRIFT, UNPARSEABLE
from aiwarden.analyzers.interface import Artifact
from aiwarden.core.severity import Severity

MAX_LOCK_BYTES: Final = 4 * 1024 * 1024


def drift_hits(artifact: Artifact, kind: Kind, text: str, doc: ConfigDoc | None) -> Iterator[Hit]:
    """Drift of ``artifact`` against the nearest lock (nothing when there is no lock)."""
    found = _find_lock(artifact)
    if found is None:
        return
    lock_path, key = found
    try:
        locked = _load_cached(lock_path).get(key)
        current = file_entries(kind, text, default_server_name(key), doc)
    except (LockError, ConfigError, OSError, UnicodeDecodeError):
        return
    paths = _paths(doc, text)
    for drift in compare(locked, current):
        yield _hit(
            drift, paths.get((drift.server, drift.tool)) or paths.get((drift.server, None)) or ()
        )


def _hit(drift: Drift, path: JsonPath) -> Hit:
    return Hit(
        TOOL_DRIFT,
        path,
        f"MCP lock drift: {drift.describe()}; review it and run `aiwarden mcp lock` if expected.",
        key=f"agt-drift:{drift.change}:{drift.server}:{drift.tool or ''}",
        evidence=drift.change,
        severity=None if drift.major else Severity.LOW,
    )


def _paths(doc: ConfigDoc | None, text: str) -> dict[tuple[str, str | None], JsonPath]:
    paths: dict[tuple[str, str | None], JsonPath] = {}
    root: object = None
    if doc is not None:
        paths.update(((s.name, None), s.path) for s in doc.servers)
        root = doc.root
    else:
        try:
            root = parse_jsonc(text).value
        except JsoncError:
            return paths
    for server in manifest_servers(root, ""):
        paths.setdefault((server.name, None), server.path)
        paths.update(((server.name, t.name), t.path) for t in server.tools)
    return paths


def _find_lock(artifact: Artifact) -> tuple[Path, str] | None:
    if artifact.member:
        return None
    parts = artifact.relpath.split("/")
    root = artifact.path
    for _ in parts:
        root = root.parent
    for depth in range(len(parts) - 1, -1, -1):
        candidate = root.joinpath(*parts[:depth], LOCK_NAME)
        try:
            info = candidate.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_LOCK_BYTES:
            return candidate, "/".join(parts[depth:])
    return None


_CACHE: dict[tuple[str, int, int], dict[str, FileLock]] = {}
_CACHE_SIZE: Final = 8


def _load_cached(path: Path) -> dict[str, FileLock]:
    """The parsed lock at ``path``, reused while its size and mtime are unchanged (a scan
    compares every configuration of a project with the same lock)."""
    info = path.stat()
    key = (str(path), info.st_mtime_ns, info.st_size)
    cached = _CACHE.get(key)
    if cached is None:
        cached = load_lock(_read_bounded(path))
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    return cached


def _read_bounded(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(MAX_LOCK_BYTES).decode("utf-8", errors="replace")


def lock_file_hits(artifact: Artifact, text: str) -> Iterator[Hit]:
    """Findings on a lock file itself: broken (AGT099) or listing files that are gone."""
    try:
        files = load_lock(text)
        locator = parse_jsonc(text).locator
    except (LockError, JsoncError) as exc:
        message = f"MCP lock file could not be analysed: {exc}."
        yield Hit(UNPARSEABLE, (), message, key="agt-lock-broken", evidence=str(exc)[:200], line=1)
        return
    if artifact.member:
        return
    directory = artifact.path.parent
    for name, entries in files.items():
        line = locator.line(("files", name))
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or "\\" in name:
            message = f"Lock entry `{name}` is not a path inside the project."
            yield Hit(UNPARSEABLE, ("files", name), message, key=f"agt-lock-path:{name}", line=line)
            continue
        if not directory.joinpath(*relative.parts).exists():
            for server in sorted(entries)[:50]:
                hit = _hit(Drift("removed-file", server), ("files", name))
                message = f"{hit.message[:-1]} (`{name}`)."
                yield replace(hit, message=message, key=f"{hit.key}:{name}", line=line)
