"""Table-style dependency entries shared by Poetry and Pipfile.

``name = "^1.2"``, ``name = "1.2.3"`` (an exact pin in Poetry), ``name = "*"``,
``name = {version = "...", markers = "..."}``, ``{git = "...", rev|ref|tag|branch =
"..."}``, ``{url = "..."}``, ``{path = "..."}``, and Poetry's list of such tables for
multiple constraints.
"""

from __future__ import annotations

from typing import Any

from packaging.version import InvalidVersion, Version

from aiwarden.analyzers.deps._pep508 import Origin, registry_dependency, url_dependency
from aiwarden.analyzers.deps.manifest import Dependency


def exact_table_version(spec: str) -> str | None:
    """The version a Poetry/Pipfile constraint pins (``"1.2.3"``, ``"==1.2.3"``), or ``None``."""
    text = spec.strip()
    for prefix in ("===", "=="):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    else:
        if text[:1] in "^~<>!=*" or not text:
            return None
    if "*" in text or "," in text or " " in text:
        return None
    try:
        Version(text)
    except InvalidVersion:
        return None
    return text


def table_dependency(name: str, value: object, origin: Origin) -> Dependency | str:
    """The :class:`Dependency` for one table entry, or a problem message."""
    if isinstance(value, str):
        return _registry(name, value, origin, None)
    if isinstance(value, list):  # Poetry multiple-constraint form: take the first
        tables = [v for v in value if isinstance(v, dict)]
        if not tables:
            return f"dependency {name!r} has an empty constraint list"
        value = tables[0]
    if not isinstance(value, dict):
        return f"dependency {name!r} has an unsupported value {value!r}"[:200]
    return _from_table(name, value, origin)


def _from_table(name: str, table: dict[str, Any], origin: Origin) -> Dependency | str:
    markers = table.get("markers") if isinstance(table.get("markers"), str) else None
    git = table.get("git")
    if isinstance(git, str):
        ref = next(
            (table[k] for k in ("rev", "ref", "tag", "branch") if isinstance(table.get(k), str)),
            None,
        )
        url = git if git.startswith(("git+", "git@")) else f"git+{git}"
        if ref:
            url = f"{url}@{ref}"
        return url_dependency(name, url, origin, markers)
    for key in ("url", "path", "file"):
        location = table.get(key)
        if isinstance(location, str):
            if key != "url" and "://" not in location:
                location = location if location.startswith((".", "/")) else f"./{location}"
            return url_dependency(name, location, origin, markers)
    version = table.get("version", "*")
    if not isinstance(version, str):
        return f"dependency {name!r} has a non-string version"
    return _registry(name, version, origin, markers)


def _registry(name: str, spec: str, origin: Origin, markers: str | None) -> Dependency:
    spec = spec.strip()
    specifier = "" if spec == "*" else spec
    return registry_dependency(name, specifier, exact_table_version(spec), origin, markers)
