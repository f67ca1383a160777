"""What a manifest's directory says about it: lock files that pin its packages, and
whether it belongs to a deployable service (a Dockerfile or compose file beside it).

Only the manifest's own directory is listed (bounded), and only lock files there are
read; parsed locks are cached per process by path, size and modification time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from aiwarden.analyzers.deps.manifest import (
    LOCK_FILE_NAMES,
    manifest_kind,
    parse_manifest,
    read_manifest_text,
)

MAX_SIBLINGS = 10_000
_PARSED_LOCKS = frozenset({"poetry.lock", "uv.lock", "pipfile.lock", "package-lock.json"})
_DEPLOY_PREFIXES = ("dockerfile", "containerfile")
_COMPOSE_PREFIXES = ("compose", "docker-compose")


@dataclass(frozen=True, slots=True)
class DirectoryContext:
    """Facts about the directory holding one manifest."""

    lock_files: tuple[str, ...] = ()
    pinned: frozenset[tuple[str, str]] = frozenset()
    """``(ecosystem, normalized name)`` pairs that a lock file beside the manifest pins."""
    locks_everything: bool = False
    """A lock aiwarden does not parse (``pdm.lock``, ``yarn.lock``...) is present."""
    deploy_files: tuple[str, ...] = ()


def directory_context(manifest: Path, *, on_disk: bool) -> DirectoryContext:
    """The :class:`DirectoryContext` for ``manifest`` (empty for archive members)."""
    if not on_disk:
        return DirectoryContext()
    names = _siblings(manifest.parent)
    locks = tuple(sorted(n for n in names if n.lower() in LOCK_FILE_NAMES))
    pinned: set[tuple[str, str]] = set()
    for name in locks:
        if name.lower() in _PARSED_LOCKS:
            pinned.update(_lock_pins(manifest.parent / name))
    compiled = _compiled_requirements(manifest)
    if compiled is not None and compiled in names:
        pinned.update(_lock_pins(manifest.parent / compiled))
    return DirectoryContext(
        lock_files=locks,
        pinned=frozenset(pinned),
        locks_everything=any(n.lower() not in _PARSED_LOCKS for n in locks),
        deploy_files=tuple(sorted(n for n in names if _is_deploy_file(n))),
    )


def _compiled_requirements(manifest: Path) -> str | None:
    """``requirements.txt`` for ``requirements.in``: what pip-tools compiles it to."""
    if manifest.suffix.lower() == ".in":
        return manifest.stem + ".txt"
    return None


def _is_deploy_file(name: str) -> bool:
    lower = name.lower()
    if lower.startswith(_DEPLOY_PREFIXES) or lower.endswith((".dockerfile", ".containerfile")):
        return True
    return lower.startswith(_COMPOSE_PREFIXES) and lower.endswith((".yml", ".yaml"))


def _siblings(directory: Path) -> frozenset[str]:
    names: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                names.append(entry.name)
                if len(names) >= MAX_SIBLINGS:
                    break
    except OSError:
        return frozenset()
    return frozenset(names)


def _lock_pins(path: Path) -> frozenset[tuple[str, str]]:
    try:
        info = path.stat()
    except OSError:
        return frozenset()
    return _cached_pins(str(path), info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=64)
def _cached_pins(path: str, size: int, mtime_ns: int) -> frozenset[tuple[str, str]]:
    del size, mtime_ns  # part of the cache key only
    file = Path(path)
    text = read_manifest_text(file)
    if text is None or manifest_kind(file.name) is None:
        return frozenset()
    result = parse_manifest(file, text, PurePosixPath(file.name).as_posix(), root=file.parent)
    pins = {(d.ecosystem, d.normalized) for d in result.dependencies if d.version is not None}
    pins.update((d.ecosystem, d.normalized) for d in result.constraints if d.version is not None)
    return frozenset(pins)
