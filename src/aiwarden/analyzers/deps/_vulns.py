"""AIW-SCA001 and the advisory half of AIW-SCA006: pinned versions against OSV records."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from aiwarden.analyzers.deps._npm_ranges import lowest_allowed
from aiwarden.analyzers.deps.catalog import CONDA_TO_PYPI, is_mcp_npm
from aiwarden.analyzers.deps.manifest import ECOSYSTEM_CONDA, ECOSYSTEM_NPM, Dependency
from aiwarden.analyzers.deps.rules import MCP_NPM, VULNERABLE
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.location import Location
from aiwarden.core.severity import Confidence, Severity
from aiwarden.osv.cvss import severity_of
from aiwarden.osv.matching import Match, match_all
from aiwarden.osv.model import OsvRecord
from aiwarden.osv.store import AdvisoryStore

Locate = Callable[[Dependency], Location]
MAX_IDS_SHOWN = 6


def lookup_key(dep: Dependency) -> tuple[str, str]:
    """The OSV ecosystem and name to look ``dep`` up under (conda maps to PyPI)."""
    if dep.ecosystem == ECOSYSTEM_CONDA:
        return "PyPI", CONDA_TO_PYPI.get(dep.normalized, dep.normalized)
    return dep.ecosystem, dep.normalized


def vulnerable_findings(
    dep: Dependency, store: AdvisoryStore, locate: Locate, *, floating: bool
) -> Iterator[Finding]:
    """One finding per advisory (aliases merged) affecting ``dep``'s pinned version; for
    an npm MCP package on a ``floating`` range (nothing pins it), one finding when the
    lowest version the range admits is affected."""
    version = dep.version
    if dep.kind != "registry":
        return
    ecosystem, name = lookup_key(dep)
    records = store.records_for(ecosystem, name)
    if not records:
        return
    mcp = dep.ecosystem == ECOSYSTEM_NPM and is_mcp_npm(dep.name)
    if version is None:
        if mcp and floating:
            yield from _open_range(dep, records, locate)
        return
    for match in match_all(records, ecosystem, name, version):
        yield _finding(dep, version, match, locate, mcp=mcp)


def match_severity(match: Match) -> Severity:
    """The advisory's severity (CVSS v3, else qualitative, else high); disputed is info."""
    record = match.record
    if record.disputed:
        return Severity.INFO
    vectors = record.severity + tuple(v for a in record.affected for v in a.severity)
    return severity_of(vectors, record.qualitative_severity) or Severity.HIGH


def advisory_ids(match: Match) -> str:
    """``"GHSA-x (CVE-y, PYSEC-z)"``: the id and up to a few aliases."""
    aliases = [a for a in match.record.aliases if a != match.record.id][:MAX_IDS_SHOWN]
    return f"{match.record.id} ({', '.join(aliases)})" if aliases else match.record.id


def _finding(dep: Dependency, version: str, match: Match, locate: Locate, *, mcp: bool) -> Finding:
    fixed = f"fixed in {', '.join(match.fixed)}" if match.fixed else "no fixed version published"
    where = "locked" if dep.locked else "pinned"
    disputed = " The advisory is disputed by the vendor." if match.record.disputed else ""
    summary = match.record.summary.rstrip(".")
    message = (
        f"{dep.name} {version} ({where} in {dep.path}"
        f"{f' line {dep.line}' if dep.line else ''}) is affected by {advisory_ids(match)}: "
        f"{summary}; {fixed}.{disputed}"
    )
    confidence = Confidence.MEDIUM if dep.ecosystem == ECOSYSTEM_CONDA else Confidence.HIGH
    return make_finding(
        MCP_NPM if mcp else VULNERABLE,
        locate(dep),
        message,
        severity=match_severity(match),
        confidence=confidence,
        evidence=f"{dep.name}{dep.specifier or '==' + version}",
        fingerprint_key=f"vuln:{dep.ecosystem}:{dep.normalized}:{version}:{match.record.id}",
    )


def _open_range(dep: Dependency, records: Sequence[OsvRecord], locate: Locate) -> Iterator[Finding]:
    lowest = lowest_allowed(dep.specifier)
    if lowest is None:
        return
    matches = match_all(records, "npm", dep.normalized, lowest)
    if not matches:
        return
    ids = ", ".join(advisory_ids(m) for m in matches[:MAX_IDS_SHOWN])
    fixes = sorted({f for m in matches for f in m.fixed})
    yield make_finding(
        MCP_NPM,
        locate(dep),
        f"{dep.name} range {dep.specifier!r} in {dep.path} allows {lowest}, which is affected "
        f"by {ids}; pin a fixed version ({', '.join(fixes) or 'none published'} or later).",
        severity=max((match_severity(m) for m in matches), key=lambda s: s.rank),
        evidence=f'"{dep.name}": "{dep.specifier}"',
        fingerprint_key=f"mcp-range-vuln:{dep.normalized}:{dep.specifier}",
    )
