"""``pyproject.toml``: PEP 621 dependencies, optional dependencies, PEP 735 dependency
groups, Poetry's dependency tables (caret, tilde, exact and table forms, git/url/path
sources) and the package sources of Poetry and uv.

Each entry gets the scope of its table: ``project.dependencies`` and
``tool.poetry.dependencies`` are runtime (a Poetry entry with ``optional = true`` is an
extra, so optional), ``project.optional-dependencies.X`` optional (group ``X``),
``dependency-groups.X``, ``tool.poetry.dev-dependencies`` and
``tool.poetry.group.X.dependencies`` development (group ``X``; Poetry's ``main`` group
is its runtime table under another name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from aiwarden.analyzers.deps._pep508 import Origin, RequirementError, parse_requirement
from aiwarden.analyzers.deps._poetry_spec import table_dependency
from aiwarden.analyzers.deps._text import LineIndex
from aiwarden.analyzers.deps._toml import load_toml
from aiwarden.analyzers.deps.manifest import (
    ECOSYSTEM_PYPI,
    SCOPE_DEVELOPMENT,
    SCOPE_OPTIONAL,
    SCOPE_RUNTIME,
    Dependency,
    IndexOption,
    ManifestProblem,
    ManifestResult,
)


def parse(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse the dependency declarations of one ``pyproject.toml``."""
    del path, root
    result = ManifestResult()
    data = load_toml(text, relpath, result)
    if data is None:
        return result
    lines = LineIndex(text)
    project = _table(data.get("project"))
    _pep508_list(result, project.get("dependencies"), relpath, lines, "project.dependencies")
    for group, items in _table(project.get("optional-dependencies")).items():
        where = f"optional-dependencies.{group}"
        _pep508_list(result, items, relpath, lines, where, (SCOPE_OPTIONAL, group))
    for group, items in _table(data.get("dependency-groups")).items():
        where = f"dependency-groups.{group}"
        _pep508_list(result, items, relpath, lines, where, (SCOPE_DEVELOPMENT, group))
    tool = _table(data.get("tool"))
    _poetry(result, _table(tool.get("poetry")), relpath, lines)
    _uv_indexes(result, _table(tool.get("uv")), relpath, lines)
    return result


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_Section = tuple[str, str | None]
"""The scope and group a table gives its entries."""
_RUNTIME: _Section = (SCOPE_RUNTIME, None)


def _pep508_list(
    result: ManifestResult,
    items: object,
    relpath: str,
    lines: LineIndex,
    where: str,
    section: _Section = _RUNTIME,
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        result.problems.append(ManifestProblem(relpath, None, f"{where} is not a list"))
        return
    for item in items:
        if isinstance(item, dict):  # PEP 735 {include-group = "..."}
            continue
        if not isinstance(item, str):
            result.problems.append(ManifestProblem(relpath, None, f"{where}: {item!r}"))
            continue
        line = lines.find_string(item)
        try:
            origin = Origin(relpath, line, scope=section[0], group=section[1])
            result.add(parse_requirement(item, origin))
        except RequirementError as exc:
            result.problems.append(
                ManifestProblem(relpath, line, f"cannot parse requirement {item[:80]!r}: {exc}")
            )


def _poetry(result: ManifestResult, poetry: dict[str, Any], relpath: str, lines: LineIndex) -> None:
    extras = _poetry_extras(poetry)
    for header, table, section in _poetry_tables(poetry):
        if not isinstance(table, dict):
            continue
        start = lines.offset_of(f"[{header}]")
        for name, value in table.items():
            if canonicalize_name(name) == "python" or not isinstance(name, str):
                continue
            line = lines.find_key(name, start)
            scope, group = section
            if section == _RUNTIME and _poetry_optional(value):
                scope, group = SCOPE_OPTIONAL, extras.get(canonicalize_name(name))
            dep = table_dependency(name, value, Origin(relpath, line, scope=scope, group=group))
            if isinstance(dep, Dependency):
                result.add(dep)
            else:
                result.problems.append(ManifestProblem(relpath, line, dep))
    for source in poetry.get("source", []) if isinstance(poetry.get("source"), list) else []:
        _named_source(result, source, relpath, lines, "poetry-source")


def _poetry_tables(poetry: dict[str, Any]) -> list[tuple[str, object, _Section]]:
    """Poetry's dependency tables: header, body, and the scope and group they give."""
    tables: list[tuple[str, object, _Section]] = [
        ("tool.poetry.dependencies", poetry.get("dependencies"), _RUNTIME),
        (
            "tool.poetry.dev-dependencies",
            poetry.get("dev-dependencies"),
            (SCOPE_DEVELOPMENT, "dev-dependencies"),
        ),
    ]
    for group, body in _table(poetry.get("group")).items():
        section = _RUNTIME if group == "main" else (SCOPE_DEVELOPMENT, group)
        header = f"tool.poetry.group.{group}.dependencies"
        tables.append((header, _table(body).get("dependencies"), section))
    return tables


def _poetry_optional(value: object) -> bool:
    """Whether a Poetry entry is marked ``optional = true`` (installed only through an extra)."""
    tables = value if isinstance(value, list) else [value]
    return any(isinstance(t, dict) and t.get("optional") is True for t in tables)


def _poetry_extras(poetry: dict[str, Any]) -> dict[str, str]:
    """PEP 503 name -> the first ``[tool.poetry.extras]`` extra that installs it."""
    found: dict[str, str] = {}
    for extra, names in _table(poetry.get("extras")).items():
        for name in names if isinstance(names, list) else []:
            if isinstance(name, str):
                found.setdefault(canonicalize_name(name.split("[", 1)[0].strip()), extra)
    return found


def _uv_indexes(result: ManifestResult, uv: dict[str, Any], relpath: str, lines: LineIndex) -> None:
    indexes = uv.get("index")
    for source in indexes if isinstance(indexes, list) else []:
        _named_source(result, source, relpath, lines, "uv-index")
    strategy = uv.get("index-strategy")
    if isinstance(strategy, str) and strategy.startswith("unsafe"):
        line = lines.find_key("index-strategy")
        result.index_urls.append(IndexOption("uv-index-strategy", strategy, relpath, line))
    extra = uv.get("extra-index-url")
    for url in extra if isinstance(extra, list) else []:
        if isinstance(url, str):
            result.index_urls.append(
                IndexOption("extra-index-url", url, relpath, lines.find_string(url))
            )


def _named_source(
    result: ManifestResult, source: object, relpath: str, lines: LineIndex, kind: str
) -> None:
    if not isinstance(source, dict) or not isinstance(source.get("url"), str):
        return
    url = source["url"]
    priority = source.get("priority")
    option = f"{kind}:{priority}" if isinstance(priority, str) else kind
    result.index_urls.append(IndexOption(option, url, relpath, lines.find_string(url)))


__all__ = ["ECOSYSTEM_PYPI", "parse"]
