"""Dependency manifests: one parsed model for every Python and npm manifest format.

:func:`parse_manifest` reads one file (requirements, pyproject, Pipfile, the lock files
of Poetry, uv, Pipenv and npm, conda environments, ``package.json``) into
:class:`Dependency` records; :func:`project_dependencies` does it for every manifest
under a directory. Nothing is installed, resolved, imported or executed: files are read
as text and parsed with ``tomllib``, ``json``, a safe YAML composer and ``packaging``.

Parsing fails closed: what cannot be understood becomes a :class:`ManifestProblem`
instead of being skipped silently, so the analyzer can report it.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from aiwarden.analyzers.deps._names import SKIPPED_DIRS as SKIPPED_DIRS  # re-exported
from aiwarden.analyzers.deps._names import manifest_kind as manifest_kind  # re-exported

ECOSYSTEM_PYPI = "PyPI"
ECOSYSTEM_NPM = "npm"
ECOSYSTEM_CONDA = "conda"

MAX_DEPENDENCIES = 50_000
"""Dependencies kept per manifest (a lock file of a large monorepo stays well below)."""
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
"""Manifests larger than this are reported as a problem, not parsed."""
MAX_WALK_FILES = 200_000
"""Directory entries :func:`project_dependencies` looks at before it stops."""
MAX_WALK_DEPTH = 12

SCOPE_RUNTIME: Final = "runtime"
"""Installed with the project: the default, and all a manifest that does not say means."""
SCOPE_OPTIONAL: Final = "optional"
"""Installed only on request: an extra, an npm optional dependency, a Poetry optional entry."""
SCOPE_DEVELOPMENT: Final = "development"
"""Used to develop, test or build the project, never shipped with it."""
SCOPES: Final = (SCOPE_RUNTIME, SCOPE_OPTIONAL, SCOPE_DEVELOPMENT)


@dataclass(frozen=True, slots=True)
class Dependency:
    """One declared or locked dependency.

    ``name`` is as written; ``normalized`` is the PEP 503 name for PyPI and the
    lowercased name for npm and conda. ``specifier`` is the version constraint as
    written (``"==2.1.0"``, ``">=1.0,<2"``, ``"^1.2.3"``, ``""`` when none) and
    ``version`` the exact version when the manifest pins one (``==``/``===``, an npm
    exact version, a lock entry), else ``None``. ``path`` is the manifest it came from,
    relative to the scanned root (POSIX). ``kind`` is ``"registry"``, ``"url"``,
    ``"vcs"`` or ``"path"``; ``url`` is set for the last three. ``hashed`` means the
    entry carries a hash (``--hash``, npm ``integrity``, lock-file hashes), ``locked``
    that it comes from a lock file, ``direct`` that the project declares it itself.

    ``scope`` says when the project needs it, as far as the manifest says:
    :data:`SCOPE_RUNTIME` (the default, also for manifests that do not tell, such as
    requirements files), :data:`SCOPE_OPTIONAL` (an extra, an npm optional dependency)
    or :data:`SCOPE_DEVELOPMENT` (a dependency group, ``devDependencies``,
    ``dev-packages``, a lock entry marked dev). ``group`` names the section, extra or
    group the manifest files it under when that is not the main one (``"gpu"`` for
    ``[project.optional-dependencies] gpu``, ``"test"`` for a PEP 735 group,
    ``"devDependencies"``, ``"dev-packages"``); ``None`` otherwise.
    """

    name: str
    normalized: str
    ecosystem: str
    specifier: str
    version: str | None
    path: str
    line: int | None
    kind: str
    hashed: bool
    locked: bool
    direct: bool
    url: str | None = None
    markers: str | None = None
    commit: str | None = None
    """For ``kind == "vcs"``: the full commit id the reference pins, if it is one."""
    scope: str = SCOPE_RUNTIME
    group: str | None = None

    @property
    def pinned(self) -> bool:
        """True when the entry resolves to exactly one artefact version.

        A registry entry is pinned by an exact version; a VCS entry by a full commit
        id; a URL entry by a hash. A local path is never pinned.
        """
        if self.kind == "registry":
            return self.version is not None
        if self.kind == "vcs":
            return self.commit is not None
        if self.kind == "url":
            return self.hashed
        return False


@dataclass(frozen=True, slots=True)
class IndexOption:
    """A package-source option: ``--index-url``, ``--extra-index-url``, ``--trusted-host``,
    ``--find-links``, or a named source of Pipfile/Poetry/uv (``option`` says which)."""

    option: str
    value: str
    path: str
    line: int | None


@dataclass(frozen=True, slots=True)
class ManifestProblem:
    """A part of a manifest that could not be parsed (reported, never ignored)."""

    path: str
    line: int | None
    message: str


@dataclass(slots=True)
class ManifestResult:
    """What one manifest (with the files it includes) declares."""

    dependencies: list[Dependency] = field(default_factory=list)
    index_urls: list[IndexOption] = field(default_factory=list)
    problems: list[ManifestProblem] = field(default_factory=list)
    constraints: list[Dependency] = field(default_factory=list)
    """Pins from ``-c`` constraint files: they pin, but declare nothing."""
    require_hashes: bool = False
    included: list[str] = field(default_factory=list)
    """Relative paths of the files pulled in through ``-r``/``-c``."""

    def add(self, dep: Dependency) -> None:
        """Append ``dep``, or record a problem once :data:`MAX_DEPENDENCIES` is reached."""
        if len(self.dependencies) >= MAX_DEPENDENCIES:
            if not any(p.message.startswith("more than") for p in self.problems):
                self.problems.append(
                    ManifestProblem(dep.path, None, f"more than {MAX_DEPENDENCIES} dependencies")
                )
            return
        self.dependencies.append(dep)


ParseFunc = Callable[[Path, str, str, Path], ManifestResult]


LOCK_FILE_NAMES = frozenset(
    {"poetry.lock", "uv.lock", "pipfile.lock", "package-lock.json", "npm-shrinkwrap.json",
     "pdm.lock", "yarn.lock", "pnpm-lock.yaml", "conda-lock.yml", "bun.lockb", "bun.lock"}
)  # fmt: skip
"""File names (lowercase) that lock a project's dependency versions."""


def parse_manifest(
    path: Path, text: str, relpath: str, *, root: Path | None = None
) -> ManifestResult:
    """Parse the manifest ``text`` read from ``path`` (``relpath`` under the scanned root).

    ``root`` bounds which files ``-r``/``-c`` may include (default: the root implied by
    ``path`` and ``relpath``). A file that is no manifest gives an empty result.
    """
    kind = manifest_kind(relpath)
    if kind is None:
        return ManifestResult()
    if root is None:
        root = _implied_root(path, relpath)
    parser = _parsers()[kind]
    try:
        return parser(path, text, relpath, root)
    except RecursionError:
        result = ManifestResult()
        result.problems.append(ManifestProblem(relpath, None, "nesting too deep to parse"))
        return result


def project_dependencies(root: Path) -> list[Dependency]:
    """Every dependency of every manifest under ``root`` (a bounded walk).

    Skips VCS, virtual-environment, ``node_modules`` and ``site-packages`` directories
    and symlinked directories; reads at most :data:`MAX_WALK_FILES` entries. Includes
    are followed within ``root``. Problems are dropped here: the analyzer reports them.
    """
    found: list[Dependency] = []
    for file in _walk_manifests(root):
        relpath = file.relative_to(root).as_posix()
        text = _read_bounded(file)
        if text is None:
            continue
        result = parse_manifest(file, text, relpath, root=root)
        found.extend(d for d in result.dependencies if d.path == relpath)
    return found


def read_manifest_text(path: Path) -> str | None:
    """The text of ``path`` (undecodable bytes replaced), or ``None`` if unreadable or huge."""
    return _read_bounded(path)


def _read_bounded(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_MANIFEST_BYTES:
        return None
    return decode_manifest(data)[0]


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_manifest(data: bytes) -> tuple[str, str | None]:
    """Decode a manifest the way pip does: a byte-order mark picks UTF-8/16/32, else UTF-8.

    Returns the text (undecodable bytes replaced) and a problem message when the bytes
    were not valid in that encoding. PowerShell's ``pip freeze > requirements.txt``
    writes UTF-16, which must not make the file unreadable to the scan.
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        text = data.decode(encoding, errors="replace")
        return text, f"not valid {encoding.upper()} text (byte {exc.start}); read with replacements"


def _walk_manifests(root: Path) -> list[Path]:
    found: list[Path] = []
    seen = 0
    base_depth = len(root.parts)
    for current, dirs, files in os.walk(root, followlinks=False):
        here = Path(current)
        if len(here.parts) - base_depth >= MAX_WALK_DEPTH:
            dirs[:] = []
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        for name in sorted(files):
            seen += 1
            if seen > MAX_WALK_FILES:
                return found
            candidate = here / name
            rel = candidate.relative_to(root).as_posix()
            if manifest_kind(rel) is not None and not candidate.is_symlink():
                found.append(candidate)
    return found


def _implied_root(path: Path, relpath: str) -> Path:
    posix = path.as_posix()
    rel = relpath.replace("\\", "/").lstrip("/")
    if rel and posix.endswith("/" + rel):
        return Path(posix[: -len(rel) - 1] or "/")
    return path.parent


def _parsers() -> dict[str, ParseFunc]:
    from aiwarden.analyzers.deps import _conda, _locks, _npm, _pipfile, _pyproject, _requirements

    return {
        "requirements": _requirements.parse,
        "pyproject": _pyproject.parse,
        "poetry.lock": _locks.parse_poetry_lock,
        "uv.lock": _locks.parse_uv_lock,
        "pipfile": _pipfile.parse_pipfile,
        "pipfile.lock": _pipfile.parse_pipfile_lock,
        "conda": _conda.parse,
        "package.json": _npm.parse_package_json,
        "package-lock": _npm.parse_package_lock,
    }
