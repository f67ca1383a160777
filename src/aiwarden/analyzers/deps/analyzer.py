"""The ``dependencies`` analyzer: AIW-SCA rules over Python and npm manifests.

It accepts files by name (``requirements*.txt``, ``*.in`` of pip-tools, ``pyproject.toml``,
``poetry.lock``, ``uv.lock``, ``Pipfile``, ``Pipfile.lock``, ``environment.y(a)ml``,
``package.json``, ``package-lock.json``), parses them without installing or executing
anything (see :mod:`aiwarden.analyzers.deps.manifest`), looks pinned versions up in the
offline advisory store (the bundled OSV snapshot plus an imported OSV database), and
reads the manifest's own directory for lock files and container files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import, load_now
from aiwarden.analyzers.deps._names import SKIPPED_DIRS, manifest_kind
from aiwarden.analyzers.deps.rules import MCP_NPM, RULES
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule
from aiwarden.osv.paths import default_db_path

if TYPE_CHECKING:
    from aiwarden.analyzers.deps import _context, _policy, _vulns, manifest
    from aiwarden.analyzers.deps._context import DirectoryContext
    from aiwarden.analyzers.deps.manifest import Dependency, ManifestResult
    from aiwarden.osv.store import AdvisoryStore
else:  # the parsers, checks and advisory data load when a manifest turns up
    _context = lazy_import("aiwarden.analyzers.deps._context")
    _policy = lazy_import("aiwarden.analyzers.deps._policy")
    _vulns = lazy_import("aiwarden.analyzers.deps._vulns")
    manifest = lazy_import("aiwarden.analyzers.deps.manifest")


class DependencyAnalyzer(Analyzer):
    """Known-vulnerable, unpinned, unhashed, risky-source and end-of-life dependencies."""

    name: ClassVar[str] = "dependencies"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(
        {
            FileFormat.TEXT,
            FileFormat.TOML,
            FileFormat.JSON,
            FileFormat.YAML,
            FileFormat.EMPTY,
            FileFormat.BINARY,  # a UTF-16 requirements.txt has NUL bytes
        }
    )

    def __init__(self, store: AdvisoryStore | None = None) -> None:
        self._store = store

    def preload(self, names: Sequence[str]) -> None:
        """Load the checks before the workers fork when the project has manifests."""
        if any(manifest_kind(name) is not None for name in names):
            load_now(_policy)
            load_now(_vulns)

    def accepts(self, artifact: Artifact) -> bool:
        """Files whose name makes them a dependency manifest, outside installed-package
        directories (``node_modules``, ``site-packages``, virtual environments), whose
        manifests belong to third parties and are covered by the project's lock file."""
        if artifact.format not in self.formats or manifest_kind(_name_path(artifact)) is None:
            return False
        return not SKIPPED_DIRS.intersection(artifact.relpath.split("/")[:-1])

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the AIW-SCA findings for one manifest."""
        text, encoding_problem = manifest.decode_manifest(
            artifact.read_bytes(limits.max_text_bytes)
        )
        on_disk = artifact.member is None
        relpath = artifact.relpath if on_disk else _name_path(artifact)
        root = None if on_disk else artifact.path.parent
        result = manifest.parse_manifest(artifact.path, text, relpath, root=root)
        if encoding_problem:
            result.problems.insert(0, manifest.ManifestProblem(relpath, None, encoding_problem))
        kind = manifest_kind(relpath) or ""
        context = _context.directory_context(artifact.path, on_disk=on_disk)
        store = self._store if self._store is not None else shared_store()
        findings = _Findings(artifact, relpath)
        findings.extend(_file_findings(relpath, kind, result, context, findings.at))
        for dep in _own_dependencies(result, relpath):
            findings.extend(_dependency_findings(dep, result, context, store, findings.locate))
        return findings.unique()


def _file_findings(
    relpath: str,
    kind: str,
    result: ManifestResult,
    context: DirectoryContext,
    at: _policy.LocateLine,
) -> Iterator[Finding]:
    problems = [p for p in result.problems if _reported_here(p.path, relpath)]
    yield from _policy.problem_findings(problems, bool(result.dependencies), at)
    options = [o for o in result.index_urls if _reported_here(o.path, relpath)]
    yield from _policy.source_findings(options, at)
    yield from _policy.no_lock_findings(relpath, kind, result, context, at)


def _dependency_findings(
    dep: Dependency,
    result: ManifestResult,
    context: DirectoryContext,
    store: AdvisoryStore,
    locate: _vulns.Locate,
) -> Iterator[Finding]:
    floating = not dep.locked and not _policy.pinned_elsewhere(dep, result, context)
    vulnerable = list(_vulns.vulnerable_findings(dep, store, locate, floating=floating))
    yield from vulnerable
    if not any(f.rule is MCP_NPM and f.location == locate(dep) for f in vulnerable):
        yield from _policy.unpinned_findings(dep, result, context, locate)
    yield from _policy.unpinned_source_findings(dep, locate)
    yield from _policy.eol_findings(dep, locate)
    yield from _policy.by_design_findings(dep, locate)


def _own_dependencies(result: ManifestResult, relpath: str) -> list[Dependency]:
    """The manifest's dependencies, plus those of included files that are not manifests
    by name (``-r base.txt``): a file that is one by name is analysed on its own, so its
    entries, options and problems are reported there, once."""
    return [d for d in result.dependencies if _reported_here(d.path, relpath)]


def _reported_here(path: str, relpath: str) -> bool:
    """True for the manifest's own entries and those of included non-manifest files."""
    return path == relpath or manifest_kind(path) is None


class _Findings:
    """Collects findings, building locations and dropping repeats (same rule and key)."""

    def __init__(self, artifact: Artifact, relpath: str) -> None:
        self.artifact = artifact
        self.relpath = relpath
        self.items: list[Finding] = []

    def at(self, path: str, line: int | None) -> Location:
        """A location in this artifact, or in an included file."""
        if path == self.relpath:
            return self.artifact.location(line)
        return Location(path, line=line)

    def locate(self, dep: Dependency) -> Location:
        """Where ``dep`` is declared."""
        return self.at(dep.path, dep.line)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add ``findings``."""
        self.items.extend(findings)

    def unique(self) -> list[Finding]:
        """The findings, the first of each (rule, location path, key) kept."""
        seen: set[tuple[str, str, str]] = set()
        out = []
        for finding in self.items:
            key = (finding.rule_id, finding.location.path, finding.identity)
            if key not in seen:
                seen.add(key)
                out.append(finding)
        return out


def _name_path(artifact: Artifact) -> str:
    """The path whose name decides the manifest kind (the member path inside archives)."""
    return artifact.member.rsplit("!", 1)[-1] if artifact.member else artifact.relpath


def shared_store() -> AdvisoryStore:
    """The default advisory store, opened once per process and per database state."""
    path = default_db_path()
    try:
        info = path.stat()
        state = (info.st_size, info.st_mtime_ns)
    except OSError:
        state = (-1, -1)
    return _store_for(str(path), state, os.getpid())


@lru_cache(maxsize=4)
def _store_for(path: str, state: tuple[int, int], pid: int) -> AdvisoryStore:
    del state, pid  # cache keys: a re-import or a forked worker opens a fresh store
    from aiwarden.osv.store import default_store

    return default_store(Path(path))
