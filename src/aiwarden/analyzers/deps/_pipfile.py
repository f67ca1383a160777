"""Pipenv: ``Pipfile`` (TOML) and ``Pipfile.lock`` (JSON).

``[packages]`` and the lock's ``default`` are runtime; ``[dev-packages]`` and the lock's
``develop`` are development (group: the section name).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from aiwarden.analyzers.deps._pep508 import Origin, registry_dependency, url_dependency
from aiwarden.analyzers.deps._poetry_spec import exact_table_version, table_dependency
from aiwarden.analyzers.deps._text import LineIndex
from aiwarden.analyzers.deps._toml import load_toml
from aiwarden.analyzers.deps.manifest import (
    SCOPE_DEVELOPMENT,
    SCOPE_RUNTIME,
    Dependency,
    IndexOption,
    ManifestProblem,
    ManifestResult,
)

_SECTIONS: dict[str, tuple[str, str | None]] = {
    "packages": (SCOPE_RUNTIME, None),
    "dev-packages": (SCOPE_DEVELOPMENT, "dev-packages"),
}
"""Pipfile section -> the scope and group of its entries."""
_LOCK_SECTIONS: dict[str, tuple[str, str | None]] = {
    "default": (SCOPE_RUNTIME, None),
    "develop": (SCOPE_DEVELOPMENT, "develop"),
}
"""Pipfile.lock section -> the scope and group of its entries."""


def parse_pipfile(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a ``Pipfile``: ``[packages]``, ``[dev-packages]`` and ``[[source]]``."""
    del path, root
    result = ManifestResult()
    data = load_toml(text, relpath, result)
    if data is None:
        return result
    lines = LineIndex(text)
    for section, (scope, group) in _SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        start = lines.offset_of(f"[{section}]")
        for name, value in table.items():
            line = lines.find_key(name, start)
            dep = table_dependency(name, value, Origin(relpath, line, scope=scope, group=group))
            if isinstance(dep, Dependency):
                result.add(dep)
            else:
                result.problems.append(ManifestProblem(relpath, line, dep))
    _sources(result, data.get("source"), relpath, lines)
    return result


def parse_pipfile_lock(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a ``Pipfile.lock``; its entries are locked, hashed when they list hashes."""
    del path, root
    result = ManifestResult()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        result.problems.append(ManifestProblem(relpath, None, f"invalid JSON: {exc}"))
        return result
    if not isinstance(data, dict):
        result.problems.append(ManifestProblem(relpath, None, "top level is not an object"))
        return result
    lines = LineIndex(text)
    for section, (scope, group) in _LOCK_SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, entry in table.items():
            if isinstance(entry, dict):
                line = lines.key_line(name)
                origin = Origin(relpath, line, locked=True, direct=False, scope=scope, group=group)
                result.add(_lock_entry(name, entry, origin))
    meta = data.get("_meta")
    _sources(result, meta.get("sources") if isinstance(meta, dict) else None, relpath, lines)
    return result


def _lock_entry(name: str, entry: dict[str, Any], origin: Origin) -> Dependency:
    hashes = entry.get("hashes")
    origin = dataclasses.replace(origin, hashed=bool(hashes), locked=True, direct=False)
    markers = entry.get("markers") if isinstance(entry.get("markers"), str) else None
    git = entry.get("git")
    if isinstance(git, str):
        ref = entry.get("ref")
        url = git if git.startswith("git+") else f"git+{git}"
        return url_dependency(
            name, f"{url}@{ref}" if isinstance(ref, str) else url, origin, markers
        )
    for key in ("file", "path"):
        if isinstance(entry.get(key), str):
            return url_dependency(name, entry[key], origin, markers)
    raw = entry.get("version")
    spec = raw if isinstance(raw, str) else ""
    version = exact_table_version(spec) if spec else None
    return registry_dependency(name, spec, version, origin, markers)  # origin: locked, indirect


def _sources(result: ManifestResult, sources: object, relpath: str, lines: LineIndex) -> None:
    if not isinstance(sources, list):
        return
    for index, source in enumerate(sources):
        if not isinstance(source, dict) or not isinstance(source.get("url"), str):
            continue
        option = "index-url" if index == 0 else "pipfile-source"
        url = source["url"]
        result.index_urls.append(IndexOption(option, url, relpath, lines.find_string(url)))
        if source.get("verify_ssl") is False:
            result.index_urls.append(
                IndexOption("trusted-host", url, relpath, lines.find_string(url))
            )
