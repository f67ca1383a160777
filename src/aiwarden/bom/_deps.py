"""Software dependencies for the BOM, from the dependency analyzer's manifest parser.

``aiwarden.analyzers.deps.manifest.project_dependencies`` is looked up at run time: when
it is missing or fails, the BOM is still written, without library components, and its
metadata says so. One library is kept per (ecosystem, name, version): a package that a
manifest declares and a lock file pins is one component with the pinned version. Its scope
is the widest any of its entries has (runtime over optional over development), so a
package that ships is never listed as development-only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from aiwarden.bom.model import Library, SourceRef
from aiwarden.core.log import get_logger

logger = get_logger(__name__)

_MODULE: Final = "aiwarden.analyzers.deps.manifest"
_ECOSYSTEMS: Final = {"pypi": "pypi", "npm": "npm", "conda": "conda"}
_SCOPE_ORDER: Final = ("runtime", "optional", "development")
"""Scopes from widest to narrowest; an unknown scope counts as runtime."""


def project_libraries(root: Path) -> tuple[tuple[Library, ...] | None, str | None]:
    """The project's libraries, or ``(None, note)`` when they could not be listed."""
    try:
        module = importlib.import_module(_MODULE)
        finder = module.project_dependencies
    except (ImportError, AttributeError):
        return None, "software dependencies not listed: the manifest parser is not available"
    try:
        dependencies: list[Any] = list(finder(root))
    except Exception as exc:  # a bug there must not lose the rest of the BOM
        logger.warning("dependency listing failed: %s: %s", type(exc).__name__, exc)
        return None, f"software dependencies not listed: {type(exc).__name__}: {exc}"
    return merge_libraries(_library(d) for d in dependencies), None


def _library(dep: Any) -> Library:
    ecosystem = str(dep.ecosystem)
    version = dep.version if isinstance(dep.version, str) and dep.version else None
    line = dep.line if isinstance(dep.line, int) else None
    return Library(
        name=str(dep.normalized or dep.name),
        ecosystem=_ECOSYSTEMS.get(ecosystem.lower(), ecosystem.lower()),
        version=version,
        specifier=str(dep.specifier or ""),
        source=SourceRef(str(dep.path), line),
        direct=bool(dep.direct),
        locked=bool(dep.locked),
        hashed=bool(dep.hashed),
        scope=str(getattr(dep, "scope", None) or "runtime"),
        group=_text_or_none(getattr(dep, "group", None)),
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def merge_libraries(libraries: Iterable[Library]) -> tuple[Library, ...]:
    """One library per (ecosystem, name, version); an unversioned entry folds into a
    versioned one of the same package. Sorted for stable output."""
    groups: dict[tuple[str, str], list[Library]] = {}
    for library in libraries:
        groups.setdefault((library.ecosystem, library.name), []).append(library)
    merged: list[Library] = []
    for entries in groups.values():
        versions: list[str | None] = [*sorted({e.version for e in entries if e.version})]
        direct = any(e.direct for e in entries)
        scope, group = _widest_scope(entries)
        for version in versions or [None]:
            same = [e for e in entries if e.version == version] or entries
            first = same[0]
            merged.append(
                Library(
                    name=first.name,
                    ecosystem=first.ecosystem,
                    version=version,
                    specifier=next((e.specifier for e in entries if e.specifier), ""),
                    source=first.source,
                    direct=direct,
                    locked=any(e.locked for e in same),
                    hashed=any(e.hashed for e in same),
                    scope=scope,
                    group=group,
                )
            )
    return tuple(sorted(merged, key=lambda x: (x.ecosystem, x.name, x.version or "")))


def _widest_scope(entries: list[Library]) -> tuple[str, str | None]:
    """The widest scope among ``entries`` and the first group named with it."""
    rank = {scope: index for index, scope in enumerate(_SCOPE_ORDER)}
    widest = min(entries, key=lambda e: rank.get(e.scope, 0))
    scope = widest.scope if widest.scope in rank else "runtime"
    group = next((e.group for e in entries if e.scope == widest.scope and e.group), None)
    return scope, group
