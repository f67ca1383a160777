"""Building and checking ``aiwarden-mcp.lock.json`` for a project directory.

Used by ``aiwarden mcp lock``. Files are found with the scan's own discovery (so
``.gitignore`` is respected) and selected by the same names the analyzer uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from aiwarden.analyzers.agents._lockfile import (
    Drift,
    FileLock,
    LockError,
    compare,
    dump_lock,
    file_entries,
    load_lock,
)
from aiwarden.analyzers.agents._manifest import default_server_name
from aiwarden.analyzers.agents._parse import ConfigError
from aiwarden.analyzers.agents.kinds import LOCK_NAME, Kind, is_manifest_text, kind_of
from aiwarden.engine.discovery import discover
from aiwarden.errors import UsageError

MAX_FILE_BYTES: Final = 4 * 1024 * 1024
_LOCKED_KINDS: Final = frozenset(
    {
        Kind.MCP_JSON,
        Kind.VSCODE_SETTINGS,
        Kind.CLAUDE_SETTINGS,
        Kind.GEMINI_SETTINGS,
        Kind.CODEX_TOML,
        Kind.MANIFEST,
    }
)


@dataclass(frozen=True, slots=True)
class FileDrift:
    """One drift in one file."""

    file: str
    drift: Drift


def collect(project: Path) -> dict[str, FileLock]:
    """Lock entries for every MCP configuration and tool manifest under ``project``.

    Raise :class:`UsageError` when a configuration recognised by name does not parse
    (a lock must not silently leave a server out).
    """
    if not project.exists():
        raise UsageError(f"{project}: no such directory")
    if not project.is_dir():
        raise UsageError(f"{project}: not a directory")
    files: dict[str, FileLock] = {}
    for found in discover([project], project).files:
        kind = kind_of(found.relpath)
        sniff = kind is None and found.relpath.lower().endswith(".json")
        if kind not in _LOCKED_KINDS and not sniff:
            continue
        try:
            text = _read(found.path)
        except OSError as exc:
            raise UsageError(f"{found.relpath}: cannot read: {exc.strerror or exc}") from None
        if text is None:
            if sniff:
                continue
            raise UsageError(f"{found.relpath}: larger than {MAX_FILE_BYTES} bytes")
        if kind is None:
            if not is_manifest_text(text):
                continue
            kind = Kind.MANIFEST
        try:
            entries = file_entries(kind, text, default_server_name(found.relpath))
        except ConfigError as exc:
            raise UsageError(f"{found.relpath}: {exc}") from None
        if entries:
            files[found.relpath] = entries
    return files


def _read(path: Path) -> str | None:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


def lock_text(project: Path) -> str:
    """The lock file text for ``project``."""
    return dump_lock(collect(project))


def check(project: Path, lock_path: Path) -> list[FileDrift]:
    """Every drift between ``project`` now and the lock at ``lock_path``."""
    try:
        text = lock_path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"{lock_path}: cannot read the lock: {exc.strerror or exc}") from None
    try:
        locked = load_lock(text)
    except LockError as exc:
        raise UsageError(f"{lock_path}: {exc}") from None
    current = collect(project)
    drifts: list[FileDrift] = []
    for name in sorted(set(locked) | set(current)):
        if name not in current:
            drifts.extend(FileDrift(name, Drift("removed-file", s)) for s in sorted(locked[name]))
        else:
            drifts.extend(FileDrift(name, d) for d in compare(locked.get(name), current[name]))
    return drifts


def default_lock_path(project: Path) -> Path:
    """Where the lock for ``project`` lives by default."""
    return project / LOCK_NAME
