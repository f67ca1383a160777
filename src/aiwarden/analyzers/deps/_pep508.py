"""PEP 508 requirement strings (and pip's bare URL forms) to :class:`Dependency`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from aiwarden.analyzers.deps.manifest import ECOSYSTEM_PYPI, SCOPE_RUNTIME, Dependency

VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
_COMMIT = re.compile(r"^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_URL_HASH = re.compile(r"[#&](sha256|sha384|sha512|md5)=[0-9a-fA-F]+")
_WHEEL_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._]*?)-\d")


class RequirementError(ValueError):
    """A requirement string that is neither PEP 508 nor a URL/path form pip accepts."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a requirement was found and what its manifest says about it.

    ``scope`` and ``group`` are the section's (see :class:`Dependency`); every parser
    passes them through here so that no constructor has to know the manifest format.
    """

    path: str
    line: int | None
    hashed: bool = False
    locked: bool = False
    direct: bool = True
    scope: str = SCOPE_RUNTIME
    group: str | None = None


def exact_version(specifier: SpecifierSet) -> str | None:
    """The version ``specifier`` pins (one ``==``/``===`` clause, no wildcard), or ``None``."""
    clauses = list(specifier)
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    if clause.operator in ("==", "===") and not clause.version.endswith(".*"):
        return clause.version
    return None


def vcs_commit(url: str) -> str | None:
    """The full commit id a VCS URL is pinned to (``...@<40 hex>``), or ``None``."""
    path = urlsplit(url.split("+", 1)[-1]).path
    if "@" not in path:
        return None
    ref = path.rsplit("@", 1)[1]
    return ref if _COMMIT.match(ref) else None


def url_dependency(
    name: str | None, url: str, origin: Origin, markers: str | None = None
) -> Dependency:
    """A URL, VCS or local-path dependency (``name @ url`` or a bare URL/path)."""
    lowered = url.lower()
    commit = None
    if lowered.startswith(VCS_PREFIXES):
        kind = "vcs"
        commit = vcs_commit(url)
    elif "://" in url and not lowered.startswith("file:"):
        kind = "url"
    else:
        kind = "path"
    hashed = origin.hashed or bool(_URL_HASH.search(url))
    derived = name or _name_from_url(url)
    return Dependency(
        name=derived or url,
        normalized=canonicalize_name(derived) if derived else url,
        ecosystem=ECOSYSTEM_PYPI,
        specifier="",
        version=None,
        path=origin.path,
        line=origin.line,
        kind=kind,
        hashed=hashed,
        locked=origin.locked,
        direct=origin.direct,
        url=url,
        markers=markers,
        commit=commit,
        scope=origin.scope,
        group=origin.group,
    )


def parse_requirement(text: str, origin: Origin) -> Dependency:
    """Parse one requirement (``torch==2.1.0; python_version>'3.9'``, ``x @ git+...``,
    a bare URL with ``#egg=``, a local path); raise :class:`RequirementError` if it is
    none of these."""
    text = text.strip()
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        if _looks_like_url_or_path(text):
            location, _, marker = text.partition(";")
            return url_dependency(None, location.strip(), origin, marker.strip() or None)
        raise RequirementError(str(exc).splitlines()[0]) from None
    markers = str(req.marker) if req.marker is not None else None
    if req.url:
        return url_dependency(req.name, req.url, origin, markers)
    return registry_dependency(
        req.name, str(req.specifier), exact_version(req.specifier), origin, markers
    )


def registry_dependency(
    name: str, specifier: str, version: str | None, origin: Origin, markers: str | None = None
) -> Dependency:
    """A PyPI dependency resolved from the registry, with what ``origin`` says about it.

    Every manifest and lock parser builds its registry entries here, so that a new
    field of :class:`Origin` reaches every :class:`Dependency` without each parser
    copying it.
    """
    return Dependency(
        name=name,
        normalized=canonicalize_name(name),
        ecosystem=ECOSYSTEM_PYPI,
        specifier=specifier,
        version=version,
        path=origin.path,
        line=origin.line,
        kind="registry",
        hashed=origin.hashed,
        locked=origin.locked,
        direct=origin.direct,
        markers=markers,
        scope=origin.scope,
        group=origin.group,
    )


def _looks_like_url_or_path(text: str) -> bool:
    head = text.split(";", 1)[0].strip()
    if "://" in head or head.lower().startswith(VCS_PREFIXES) or head.startswith("file:"):
        return True
    return head.startswith((".", "/", "~")) or head.endswith((".whl", ".tar.gz", ".zip"))


def _name_from_url(url: str) -> str | None:
    egg = _EGG.search(url)
    if egg:
        return egg.group(1)
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    wheel = _WHEEL_NAME.match(last)
    if wheel and last.endswith((".whl", ".tar.gz", ".zip")):
        return wheel.group(1)
    return None
