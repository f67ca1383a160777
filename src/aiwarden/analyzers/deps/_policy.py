"""AIW-SCA002..007 and 099: pinning, integrity, sources, end of life, exposure, parse gaps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

from aiwarden.analyzers.deps._context import DirectoryContext
from aiwarden.analyzers.deps.catalog import (
    AI_PACKAGES,
    BY_DESIGN,
    CONDA_TO_PYPI,
    END_OF_LIFE,
    NPM_AI_PACKAGES,
    is_mcp_npm,
)
from aiwarden.analyzers.deps.manifest import (
    ECOSYSTEM_CONDA,
    ECOSYSTEM_NPM,
    Dependency,
    IndexOption,
    ManifestProblem,
    ManifestResult,
)
from aiwarden.analyzers.deps.rules import (
    BY_DESIGN_EXPOSURE,
    MCP_NPM,
    NO_LOCK_FOR_SERVICE,
    RISKY_SOURCE,
    UNMAINTAINED,
    UNPARSEABLE,
    UNPINNED_AI,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.location import Location
from aiwarden.core.severity import Confidence, Severity

Locate = Callable[[Dependency], Location]
LocateLine = Callable[[str, int | None], Location]


def catalog_name(dep: Dependency) -> str:
    """The name the curated lists use for ``dep`` (conda names mapped to PyPI)."""
    if dep.ecosystem == ECOSYSTEM_CONDA:
        return CONDA_TO_PYPI.get(dep.normalized, dep.normalized)
    return dep.normalized


def unpinned_findings(
    dep: Dependency, result: ManifestResult, context: DirectoryContext, locate: Locate
) -> Iterator[Finding]:
    """AIW-SCA002 (AI packages) and the range half of AIW-SCA006 (npm MCP packages)."""
    if not dep.direct or dep.locked or dep.kind != "registry" or dep.version is not None:
        return
    if pinned_elsewhere(dep, result, context):
        return
    written = dep.specifier or "no version"
    if dep.ecosystem == ECOSYSTEM_NPM and is_mcp_npm(dep.name):
        yield make_finding(
            MCP_NPM,
            locate(dep),
            f"MCP package {dep.name} is declared as {written!r} with no package-lock.json: "
            "each install may run a different release of code with your privileges.",
            severity=Severity.MEDIUM,
            evidence=f'"{dep.name}": "{dep.specifier}"',
            fingerprint_key=f"mcp-unpinned:{dep.normalized}",
        )
        return
    ai = NPM_AI_PACKAGES if dep.ecosystem == ECOSYSTEM_NPM else AI_PACKAGES
    if catalog_name(dep) not in ai:
        return
    library = dep.path.rsplit("/", 1)[-1] == "pyproject.toml"
    yield make_finding(
        UNPINNED_AI,
        locate(dep),
        f"AI/ML package {dep.name} is not pinned ({written}) and no lock file in the same "
        "directory pins it."
        + (
            " (A library may keep ranges; then lock the application that deploys it.)"
            if library
            else ""
        ),
        confidence=Confidence.MEDIUM if library else Confidence.HIGH,
        evidence=f"{dep.name}{dep.specifier}",
        fingerprint_key=f"unpinned:{dep.ecosystem}:{dep.normalized}",
    )


def pinned_elsewhere(dep: Dependency, result: ManifestResult, context: DirectoryContext) -> bool:
    """True if a lock file beside the manifest or a ``-c`` constraints file pins ``dep``."""
    if context.locks_everything:
        return True
    key = (dep.ecosystem, dep.normalized)
    if key in context.pinned:
        return True
    return any(c.normalized == dep.normalized and c.version for c in result.constraints)


def no_lock_findings(
    relpath: str, kind: str, result: ManifestResult, context: DirectoryContext, at: LocateLine
) -> Iterator[Finding]:
    """AIW-SCA003: a service manifest with neither a lock file nor hashes."""
    if kind not in ("requirements", "pyproject", "pipfile", "package.json", "conda"):
        return
    if not context.deploy_files or context.lock_files or result.require_hashes:
        return
    own = [d for d in result.dependencies if d.path == relpath and d.kind != "path"]
    if not own or all(d.hashed for d in own):
        return
    if relpath.lower().endswith(".in") or "constraints" in relpath.lower().rsplit("/", 1)[-1]:
        return
    unhashed = sum(1 for d in own if not d.hashed)
    deploy = ", ".join(context.deploy_files[:3])
    yield make_finding(
        NO_LOCK_FOR_SERVICE,
        at(relpath, own[0].line),
        f"{relpath} declares {len(own)} dependencies ({unhashed} without a hash) for a "
        f"deployable service ({deploy}) but there is no lock file beside it: builds install "
        "whatever the index serves at the time.",
        evidence=deploy,
        fingerprint_key=f"no-lock:{relpath.rsplit('/', 1)[-1]}",
    )


def source_findings(options: list[IndexOption], at: LocateLine) -> Iterator[Finding]:
    """AIW-SCA004 for risky index options (extra indexes, plain HTTP, untrusted hosts)."""
    for option in options:
        finding = _index_finding(option, at)
        if finding is not None:
            yield finding


def _index_finding(option: IndexOption, at: LocateLine) -> Finding | None:
    url = redact(option.value)
    plain_http = option.value.lower().startswith("http://")
    if option.option == "trusted-host":
        message = f"--trusted-host {url} turns off TLS verification for that host."
        severity = Severity.HIGH
    elif plain_http and option.option != "conda-channel":
        message = f"{option.option} {url} uses plain HTTP: packages can be replaced in transit."
        severity = Severity.HIGH
    elif option.option == "uv-index-strategy":
        message = (
            f"uv index-strategy = {url!r}: uv considers every index for every package "
            "(dependency confusion); keep the default first-index strategy."
        )
        severity = Severity.MEDIUM
    elif option.option == "extra-index-url" or option.option.endswith(":supplemental"):
        message = (
            f"{option.option} {url}: pip considers this index and PyPI for every package and "
            "installs the highest version (dependency confusion)."
        )
        severity = Severity.MEDIUM
    else:
        return None
    return make_finding(
        RISKY_SOURCE,
        at(option.path, option.line),
        message,
        severity=severity,
        evidence=f"{option.option} {url}",
        fingerprint_key=f"source:{option.option}:{url}",
    )


def unpinned_source_findings(dep: Dependency, locate: Locate) -> Iterator[Finding]:
    """AIW-SCA004 for a VCS dependency without a full commit or a URL without a hash."""
    if dep.kind == "vcs" and dep.commit is None:
        what = "is not pinned to a full commit id"
    elif dep.kind == "url" and not dep.hashed:
        what = "has no hash"
    else:
        return
    url = redact(dep.url or "")
    yield make_finding(
        RISKY_SOURCE,
        locate(dep),
        f"{dep.name} comes from {url}, which {what}: the install gets whatever it serves today.",
        evidence=url,
        fingerprint_key=f"unpinned-source:{dep.normalized}:{url}",
    )


def eol_findings(dep: Dependency, locate: Locate) -> Iterator[Finding]:
    """AIW-SCA005 for a curated end-of-life component (or an end-of-life major version)."""
    if dep.ecosystem == ECOSYSTEM_NPM or not (dep.direct or dep.locked):
        return
    entry = END_OF_LIFE.get(catalog_name(dep))
    if entry is None or not entry.applies(dep.version):
        return
    version = f" {dep.version}" if dep.version else ""
    yield make_finding(
        UNMAINTAINED,
        locate(dep),
        f"{dep.name}{version}: {entry.reason}; move to {entry.successor} (source: {entry.source}).",
        evidence=f"{dep.name}{dep.specifier}",
        fingerprint_key=f"eol:{dep.normalized}",
    )


def by_design_findings(dep: Dependency, locate: Locate) -> Iterator[Finding]:
    """AIW-SCA007 for a directly declared component that relies on network isolation."""
    if dep.ecosystem == ECOSYSTEM_NPM or not dep.direct:
        return
    reason = BY_DESIGN.get(catalog_name(dep))
    if reason is None:
        return
    yield make_finding(
        BY_DESIGN_EXPOSURE,
        locate(dep),
        f"{dep.name} is a dependency: {reason}. Keep it on a private network behind "
        "authentication.",
        evidence=f"{dep.name}{dep.specifier}",
        fingerprint_key=f"by-design:{dep.normalized}",
    )


def problem_findings(
    problems: list[ManifestProblem], parsed_any: bool, at: LocateLine
) -> Iterator[Finding]:
    """AIW-SCA099: medium when nothing of the file was parsed, low for single lines."""
    for problem in problems[:50]:
        whole = problem.line is None and not parsed_any
        yield make_finding(
            UNPARSEABLE,
            at(problem.path, problem.line),
            f"{problem.path}: {problem.message}",
            severity=Severity.MEDIUM if whole else Severity.LOW,
            evidence=problem.message[:200],
            fingerprint_key=f"unparseable:{_digitless(problem.message)}",
        )


def redact(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@`` (index URLs carry tokens)."""
    try:
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        netloc = f"***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return re.sub(r"//[^/@]+@", "//***@", url)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _digitless(text: str) -> str:
    return re.sub(r"\d+", "#", text)
