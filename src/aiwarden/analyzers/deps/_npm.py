"""npm: ``package.json`` and ``package-lock.json``/``npm-shrinkwrap.json`` (v1, v2, v3).

Scopes: ``dependencies`` are runtime, ``devDependencies`` development and
``optionalDependencies`` optional (group: the section name); a lock entry marked
``"dev"`` or ``"devOptional"`` is development, one marked ``"optional"`` optional.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from aiwarden.analyzers.deps._pep508 import Origin
from aiwarden.analyzers.deps._text import LineIndex
from aiwarden.analyzers.deps.manifest import (
    ECOSYSTEM_NPM,
    SCOPE_DEVELOPMENT,
    SCOPE_OPTIONAL,
    SCOPE_RUNTIME,
    Dependency,
    ManifestProblem,
    ManifestResult,
)

SECTIONS: dict[str, str] = {
    "dependencies": SCOPE_RUNTIME,
    "devDependencies": SCOPE_DEVELOPMENT,
    "optionalDependencies": SCOPE_OPTIONAL,
}
"""``package.json`` dependency section -> the scope of its entries."""
MAX_LOCK_DEPTH = 64
_EXACT = re.compile(r"^(?:=|v)?\s*(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")
_VCS = ("git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:")
_PATHS = ("file:", "link:", "workspace:", "portal:", ".", "/", "~")
_COMMIT = re.compile(r"#[0-9a-f]{40}$")


def npm_exact_version(spec: str) -> str | None:
    """The version an npm range pins (``1.2.3``, ``=1.2.3``, ``v1.2.3``), or ``None``."""
    match = _EXACT.match(spec.strip())
    return match.group(1) if match else None


def npm_dependency(name: str, spec: str, origin: Origin) -> Dependency:
    """A :class:`Dependency` for one ``package.json`` entry."""
    kind, url, version = "registry", None, npm_exact_version(spec)
    commit: str | None = None
    lowered = spec.strip().lower()
    if lowered.startswith("npm:"):  # alias: "npm:real-name@1.2.3"
        real, _, real_spec = spec.strip()[4:].rpartition("@")
        if real:
            name, spec, version = real, real_spec, npm_exact_version(real_spec)
    elif lowered.startswith(_VCS) or re.match(r"^[\w.-]+/[\w.-]+(#.*)?$", spec.strip()):
        kind, url = "vcs", spec.strip()
        found = _COMMIT.search(url)
        version, commit = None, found.group(0)[1:] if found else None
    elif lowered.startswith(("http://", "https://")):
        kind, url = "url", spec.strip()
    elif lowered.startswith(_PATHS):
        kind, url = "path", spec.strip()
    return Dependency(
        name=name, normalized=name.lower(), ecosystem=ECOSYSTEM_NPM, specifier=spec,
        version=version, path=origin.path, line=origin.line, kind=kind, hashed=False,
        locked=False, direct=origin.direct, url=url, commit=commit, scope=origin.scope,
        group=origin.group,
    )  # fmt: skip


def parse_package_json(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse the dependency sections of a ``package.json``."""
    del path, root
    result = ManifestResult()
    data = _json_object(text, relpath, result)
    if data is None:
        return result
    lines = LineIndex(text)
    for section, scope in SECTIONS.items():
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            result.problems.append(
                ManifestProblem(relpath, lines.find(f'"{section}"'), f"{section} is not an object")
            )
            continue
        group = None if scope == SCOPE_RUNTIME else section
        origin = Origin(relpath, None, scope=scope, group=group)
        _package_section(result, table, lines.offset_of(f'"{section}"'), origin, lines)
    return result


def _package_section(
    result: ManifestResult, table: dict[str, Any], start: int, origin: Origin, lines: LineIndex
) -> None:
    """The entries of one ``package.json`` section, which starts at offset ``start``;
    ``origin`` carries the path, scope and group they share."""
    for name, spec in table.items():
        line = lines.key_line(name, start)
        if not isinstance(spec, str):
            result.problems.append(
                ManifestProblem(origin.path, line, f"{name}: version is not a string")
            )
            continue
        result.add(npm_dependency(name, spec, dataclasses.replace(origin, line=line)))


def parse_package_lock(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a ``package-lock.json`` (``packages`` in v2/v3, nested ``dependencies`` in v1)."""
    del path, root
    result = ManifestResult()
    data = _json_object(text, relpath, result)
    if data is None:
        return result
    lines = LineIndex(text)
    packages = data.get("packages")
    if isinstance(packages, dict):
        _lock_packages(result, packages, relpath, lines)
    elif isinstance(data.get("dependencies"), dict):
        _lock_v1(result, data["dependencies"], relpath, lines, depth=0)
    return result


def _lock_packages(
    result: ManifestResult, packages: dict[str, Any], relpath: str, lines: LineIndex
) -> None:
    root = packages.get("", {})
    direct: set[str] = set()
    for section in (*SECTIONS, "peerDependencies"):
        if isinstance(root, dict) and isinstance(root.get(section), dict):
            direct.update(root[section])
    for key, entry in packages.items():
        if not key or "node_modules/" not in key or not isinstance(entry, dict):
            continue
        alias = entry.get("name")
        name = alias if isinstance(alias, str) else key.rsplit("node_modules/", 1)[1]
        top_level = key.count("node_modules/") == 1
        line = lines.key_line(key)
        result.add(_lock_entry(name, entry, relpath, line, direct=top_level and name in direct))


def _lock_v1(
    result: ManifestResult, deps: dict[str, Any], relpath: str, lines: LineIndex, *, depth: int
) -> None:
    if depth > MAX_LOCK_DEPTH:
        result.problems.append(ManifestProblem(relpath, None, "dependency tree nested too deeply"))
        return
    for name, entry in deps.items():
        if not isinstance(entry, dict):
            continue
        result.add(
            _lock_entry(
                name,
                entry,
                relpath,
                lines.key_line(name),
                direct=False,
            )
        )
        nested = entry.get("dependencies")
        if isinstance(nested, dict):
            _lock_v1(result, nested, relpath, lines, depth=depth + 1)


def _lock_entry(
    name: str, entry: dict[str, Any], relpath: str, line: int | None, *, direct: bool
) -> Dependency:
    version = entry.get("version") if isinstance(entry.get("version"), str) else None
    resolved = entry.get("resolved") if isinstance(entry.get("resolved"), str) else None
    kind, url = "registry", None
    if entry.get("link") or (version or "").startswith("file:"):
        kind, url = "path", resolved or version
    elif resolved and resolved.startswith(("git+", "git:", "github:")):
        kind, url = "vcs", resolved
    exact = npm_exact_version(version) if version else None
    return Dependency(
        name=name, normalized=name.lower(), ecosystem=ECOSYSTEM_NPM,
        specifier=version or "", version=exact if kind == "registry" else None,
        path=relpath, line=line, kind=kind, hashed=bool(entry.get("integrity")),
        locked=True, direct=direct, url=url, scope=_lock_scope(entry),
    )  # fmt: skip


def _lock_scope(entry: dict[str, Any]) -> str:
    """The scope npm recorded for a lock entry: ``dev``/``devOptional`` (only a development
    install has it), ``optional`` (its install may fail or be skipped), else runtime."""
    if entry.get("dev") is True or entry.get("devOptional") is True:
        return SCOPE_DEVELOPMENT
    if entry.get("optional") is True:
        return SCOPE_OPTIONAL
    return SCOPE_RUNTIME


def _json_object(text: str, relpath: str, result: ManifestResult) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        result.problems.append(ManifestProblem(relpath, None, f"invalid JSON: {exc}"))
        return None
    if not isinstance(data, dict):
        result.problems.append(ManifestProblem(relpath, None, "top level is not an object"))
        return None
    return data
