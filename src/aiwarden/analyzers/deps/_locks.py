"""Python lock files: ``poetry.lock`` and ``uv.lock`` (TOML, one ``[[package]]`` each).

Every entry is ``locked``; ``direct`` is set for the names the lock's own root project
declares (uv) or that the ``pyproject.toml`` beside it declares (Poetry). Scopes come only
from what the lock records per package: a ``poetry.lock`` entry with ``category = "dev"``
(older Poetry) is development, one with ``optional = true`` (needed only by an extra)
optional. ``uv.lock`` records no per-package scope, so its entries stay runtime.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from aiwarden.analyzers.deps._pep508 import Origin, registry_dependency, url_dependency
from aiwarden.analyzers.deps._text import LineIndex
from aiwarden.analyzers.deps._toml import load_toml
from aiwarden.analyzers.deps.manifest import (
    SCOPE_DEVELOPMENT,
    SCOPE_OPTIONAL,
    SCOPE_RUNTIME,
    Dependency,
    ManifestProblem,
    ManifestResult,
    read_manifest_text,
)

_PACKAGE_HEADER = re.compile(r"^\[\[package\]\]\s*$", re.MULTILINE)


def parse_poetry_lock(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a ``poetry.lock``."""
    del root
    result, data, packages, lines = _load(text, relpath)
    direct = _declared_names(path.parent / "pyproject.toml")
    legacy_files = _table(_table(data.get("metadata")).get("files"))
    for index, (package, offset) in enumerate(packages):
        name, version = package.get("name"), package.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            result.problems.append(
                ManifestProblem(relpath, None, f"package #{index + 1} lacks name/version")
            )
            continue
        files = package.get("files") or legacy_files.get(name)
        origin = Origin(
            relpath,
            lines.line_at(offset),
            hashed=bool(files),
            locked=True,
            direct=canonicalize_name(name) in direct,
            scope=_poetry_scope(package),
        )
        result.add(_poetry_entry(name, version, _table(package.get("source")), origin))
    return result


def parse_uv_lock(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a ``uv.lock``; the workspace's own (editable/virtual) packages are skipped."""
    del path, root
    result, _, packages, lines = _load(text, relpath)
    direct: set[str] = set()
    for package, _ in packages:
        source = _table(package.get("source"))
        if "editable" in source or "virtual" in source:
            direct.update(_uv_dependency_names(package))
    for index, (package, offset) in enumerate(packages):
        name, source = package.get("name"), _table(package.get("source"))
        if "editable" in source or "virtual" in source:
            continue
        version = package.get("version")
        if not isinstance(name, str):
            result.problems.append(
                ManifestProblem(relpath, None, f"package #{index + 1} lacks a name")
            )
            continue
        hashed = bool(_table(package.get("sdist")).get("hash")) or any(
            isinstance(w, dict) and w.get("hash") for w in package.get("wheels") or []
        )
        origin = Origin(
            relpath, lines.line_at(offset), hashed=hashed, locked=True,
            direct=canonicalize_name(name) in direct,
        )  # fmt: skip
        result.add(_uv_entry(name, version if isinstance(version, str) else None, source, origin))
    return result


_Packages = list[tuple[dict[str, Any], int]]


def _load(text: str, relpath: str) -> tuple[ManifestResult, dict[str, Any], _Packages, LineIndex]:
    result = ManifestResult()
    lines = LineIndex(text)
    data = load_toml(text, relpath, result)
    if data is None:
        return result, {}, [], lines
    raw = data.get("package")
    if raw is not None and not isinstance(raw, list):
        result.problems.append(
            ManifestProblem(relpath, None, "'package' is not an array of tables")
        )
        return result, data, [], lines
    offsets = [m.start() for m in _PACKAGE_HEADER.finditer(text)]
    packages = [
        (p, offsets[i] if i < len(offsets) else 0)
        for i, p in enumerate(raw or [])
        if isinstance(p, dict)
    ]
    return result, data, packages, lines


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _poetry_entry(name: str, version: str, source: dict[str, Any], origin: Origin) -> Dependency:
    kind = source.get("type")
    url = source.get("url")
    if kind == "git" and isinstance(url, str):
        ref = source.get("resolved_reference") or source.get("reference") or ""
        return url_dependency(name, f"git+{url}@{ref}" if ref else f"git+{url}", origin)
    if kind in ("url", "file", "directory") and isinstance(url, str):
        return url_dependency(name, url if kind == "url" else f"./{url.lstrip('./')}", origin)
    return _registry(name, version, origin)


def _poetry_scope(package: dict[str, Any]) -> str:
    """The scope a ``poetry.lock`` entry records: ``category = "dev"`` (Poetry before 1.5)
    or ``optional = true`` (installed only through an extra); runtime otherwise."""
    if package.get("category") == "dev":
        return SCOPE_DEVELOPMENT
    if package.get("optional") is True:
        return SCOPE_OPTIONAL
    return SCOPE_RUNTIME


def _uv_entry(name: str, version: str | None, source: dict[str, Any], origin: Origin) -> Dependency:
    git = source.get("git")
    if isinstance(git, str):
        base, _, commit = git.partition("#")
        base = base.split("?", 1)[0]
        return url_dependency(name, f"git+{base}@{commit}" if commit else f"git+{base}", origin)
    for key in ("url", "path", "directory"):
        if isinstance(source.get(key), str):
            location = source[key] if key == "url" else f"./{source[key]}"
            return url_dependency(name, location, origin)
    if version is None:
        return _registry(name, "", origin)
    return _registry(name, version, origin)


def _registry(name: str, version: str, origin: Origin) -> Dependency:
    """A locked entry (``origin`` is a lock file's, so ``locked`` is set)."""
    specifier = f"=={version}" if version else ""
    return registry_dependency(name, specifier, version or None, origin)


def _uv_dependency_names(package: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    groups: list[object] = [package.get("dependencies")]
    for key in ("optional-dependencies", "dev-dependencies"):
        groups.extend(_table(package.get(key)).values())
    for group in groups:
        for item in group if isinstance(group, list) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.add(canonicalize_name(item["name"]))
    return names


def _declared_names(pyproject: Path) -> set[str]:
    text = read_manifest_text(pyproject) if pyproject.is_file() else None
    if text is None:
        return set()
    from aiwarden.analyzers.deps import _pyproject

    parsed = _pyproject.parse(pyproject, text, "pyproject.toml", pyproject.parent)
    return {d.normalized for d in parsed.dependencies}
