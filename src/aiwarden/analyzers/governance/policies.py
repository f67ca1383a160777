"""Project-wide policy documents: AIW-GOV001, 004, 005, 010, 011 and 012.

Repository-wide documents are looked for in the project directory and each parent up
to the scan root (a package in a monorepo inherits the repository's SECURITY.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from aiwarden.analyzers.governance import rules as r
from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance._gap import Gap, looked_in, thin_gap
from aiwarden.analyzers.governance.documents import (
    Bounds,
    GovDoc,
    find,
    missing_topics,
    read_document,
    read_raw,
)
from aiwarden.analyzers.governance.project import Project
from aiwarden.core.rule import Rule

SECURITY_FILES: Final = (
    "SECURITY.md",
    "SECURITY.rst",
    "SECURITY.txt",
    ".github/SECURITY.md",
    "docs/SECURITY.md",
    ".well-known/security.txt",
)
IR_FILES: Final = (
    "INCIDENT_RESPONSE.md",
    "INCIDENT-RESPONSE.md",
    "INCIDENT_RESPONSE_PLAN.md",
    "docs/incident*",
    "docs/runbooks/*.md",
    "runbooks/*.md",
)
THREAT_FILES: Final = (
    "THREAT_MODEL.md",
    "THREAT-MODEL.md",
    "threat_model.*",
    "threat-model.*",
    "docs/threat-model*",
    "docs/threat_model*",
    "docs/security/threat*",
)
MONITORING_FILES: Final = (
    "MONITORING.md",
    "OBSERVABILITY.md",
    "LOGGING.md",
    "docs/monitoring*",
    "docs/observability*",
    "docs/logging*",
)
CONTRIBUTING_FILES: Final = (
    "CONTRIBUTING.md",
    "CONTRIBUTING.rst",
    ".github/CONTRIBUTING.md",
    "docs/CONTRIBUTING.md",
    "docs/contributing*",
)
README_FILES: Final = ("README.md", "README.rst", "README.txt", "README", "docs/*.md")
WORKFLOW_FILES: Final = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
)
SECURITY_TOOLS: Final = re.compile(
    r"codeql|semgrep|bandit|gitleaks|trufflehog|aiwarden|pip-audit|osv-scanner|trivy|"
    r"dependency-review|snyk|grype|detect-secrets",
    re.IGNORECASE,
)
MAX_AGE_DAYS: Final = 365
_DATE: Final = re.compile(
    r"^\W*(?:last[ _-]?(?:updated|reviewed|revised|modified)|updated|reviewed|date)\W*\s*"
    r"(\d{4}-\d{2}-\d{2})",
    re.IGNORECASE | re.MULTILINE,
)
_DATE_KEYS: Final = ("last_updated", "last-updated", "updated", "last_reviewed", "reviewed", "date")


def documents(project: Project, patterns: Sequence[str], bounds: Bounds) -> list[GovDoc] | None:
    """Documents matching ``patterns`` in the nearest directory (walking up) that has any.

    ``None`` when they are a parent project's documents (that project reports on them),
    and when none exist but the project is nested (the outer project reports them
    missing); ``[]`` when this project is the one to report them missing.
    """
    for directory in project.lookup_dirs:
        paths = find(directory, patterns, bounds)
        if paths:
            if project.owned_by_other(directory):
                return None
            return [read_document(p, project.relpath(p)) for p in paths]
    return None if project.nested else []


def policy_gaps(project: Project, bounds: Bounds, today: dt.date) -> Iterator[Gap]:
    """Gaps in the disclosure policy, IR plan, threat model, monitoring and guidance."""
    yield from _security(project, bounds)
    ir_topics = (
        t.IR_KEY_ROTATION,
        t.IR_MODEL_ROLLBACK,
        t.IR_POISONED_MODEL,
        t.IR_PROMPT_INJECTION,
        t.IR_DATA_LEAKAGE,
    )
    yield from _covered(
        project, bounds, r.INCIDENT_RESPONSE, IR_FILES, "incident response plan", ir_topics
    )
    yield from _threat_model(project, bounds, today)
    mon_topics = (t.MON_IO_LOGGING, t.MON_ABUSE, t.MON_DRIFT)
    yield from _covered(
        project, bounds, r.MONITORING_PLAN, MONITORING_FILES, "monitoring plan", mon_topics
    )
    yield from _user_guidance(project, bounds)
    yield from _contributing(project, bounds)


def _covered(
    project: Project,
    bounds: Bounds,
    rule: Rule,
    patterns: Sequence[str],
    kind: str,
    topics: Sequence[t.Topic],
    docs: Sequence[GovDoc] | None = None,
) -> Iterator[Gap]:
    """A missing or thin finding for one kind of document (nothing if delegated)."""
    docs = documents(project, patterns, bounds) if docs is None else docs
    if docs is None:
        return
    if not docs:
        yield Gap(
            rule,
            f"No {kind} found ({looked_in(patterns, ' in the project and its parents')}).",
            key=f"{rule.id}: missing",
        )
        return
    missing = missing_topics(docs, topics)
    if missing:
        yield thin_gap(rule, docs, kind, missing)


def _security(project: Project, bounds: Bounds) -> Iterator[Gap]:
    topics = (t.SECURITY_CONTACT, t.SECURITY_SCOPE, t.SECURITY_RESPONSE)
    yield from _covered(
        project, bounds, r.DISCLOSURE_POLICY, SECURITY_FILES, "security policy", topics
    )


def _threat_model(project: Project, bounds: Bounds, today: dt.date) -> Iterator[Gap]:
    topics = (
        t.THREAT_PROMPT_INJECTION,
        t.THREAT_POISONING,
        t.THREAT_MODEL_THEFT,
        t.THREAT_AGENT_TOOLS,
        t.THREAT_SUPPLY_CHAIN,
    )
    docs = documents(project, THREAT_FILES, bounds)
    if docs is None:
        return
    yield from _covered(project, bounds, r.THREAT_MODEL, THREAT_FILES, "threat model", topics, docs)
    dates = [d for d in (review_date(doc) for doc in docs) if d is not None]
    if dates and (today - max(dates)).days > MAX_AGE_DAYS:
        newest = max(dates)
        yield Gap(
            r.THREAT_MODEL,
            f"The threat model was last updated on {newest.isoformat()}, more than 12 months "
            "ago; AI threats and the system have likely changed since.",
            key=f"{r.THREAT_MODEL.id}: stale",
            relpath=docs[0].relpath,
            evidence=newest.isoformat(),
        )


def review_date(doc: GovDoc) -> dt.date | None:
    """The last-updated date in the front matter or a ``Last updated: YYYY-MM-DD`` line."""
    front = doc.document.front_matter or {}
    for key in _DATE_KEYS:
        value = front.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            parsed = _parse_date(value)
            if parsed is not None:
                return parsed
    match = _DATE.search(doc.document.text[:20_000])
    return _parse_date(match.group(1)) if match else None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _user_guidance(project: Project, bounds: Bounds) -> Iterator[Gap]:
    paths = find(project.directory, README_FILES, bounds)
    docs = [read_document(p, project.relpath(p)) for p in paths]
    topics = (t.USER_LIMITATIONS, t.USER_SAFE_USE, t.USER_SECURE_CONFIG)
    if not docs:
        yield Gap(
            r.USER_GUIDANCE,
            f"No README or docs found ({looked_in(README_FILES)}): users get no guidance on "
            "limitations, safe use or secure configuration.",
            key=f"{r.USER_GUIDANCE.id}: missing",
        )
        return
    missing = missing_topics(docs, topics)
    if missing:
        yield thin_gap(r.USER_GUIDANCE, docs, "README/user documentation", missing)


def _contributing(project: Project, bounds: Bounds) -> Iterator[Gap]:
    if project.nested:
        return  # contributor guidance and CI belong to the outermost project
    docs = documents(project, CONTRIBUTING_FILES, bounds) or []
    guided = bool(docs) and not missing_topics(docs, (t.CONTRIB_SECURITY,))
    tooled = _security_tooling(project, bounds)
    if guided and tooled:
        return
    parts = []
    if not docs:
        parts.append("no CONTRIBUTING guide was found")
    elif not guided:
        parts.append(f"{docs[0].relpath} has no security guidance for contributors")
    if not tooled:
        parts.append(
            "no CI workflow runs a security tool (looked for CodeQL, Semgrep, Bandit, "
            "gitleaks, TruffleHog, aiwarden, pip-audit, OSV-Scanner, Trivy, "
            "dependency-review in .github/workflows, .gitlab-ci.yml, .pre-commit-config.yaml)"
        )
    yield Gap(
        r.SECURE_DEVELOPMENT,
        "Secure-development guidance is incomplete: " + "; ".join(parts) + ".",
        key=f"{r.SECURE_DEVELOPMENT.id}: " + ("tooling" if not tooled else "guide"),
        relpath=docs[0].relpath if docs and tooled else None,
    )


def _security_tooling(project: Project, bounds: Bounds) -> bool:
    for directory in project.lookup_dirs:
        for path in find(directory, WORKFLOW_FILES, bounds):
            if SECURITY_TOOLS.search(_head(path)):
                return True
    return False


def _head(path: Path) -> str:
    try:
        return read_raw(path).decode("utf-8", errors="replace")
    except OSError:
        return ""
