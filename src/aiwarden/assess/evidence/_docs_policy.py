"""Repository policies: the disclosure policy, contributor security guidance, the IR plan."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.documents import GovDoc
from aiwarden.analyzers.governance.policies import CONTRIBUTING_FILES, IR_FILES, SECURITY_FILES
from aiwarden.assess.evidence import _docs_vocab as v
from aiwarden.assess.evidence._docs_base import (
    covering,
    first_match,
    labels_covered,
    load_all,
    locate,
    names,
    series,
    subject,
    where,
)
from aiwarden.assess.evidence._docs_project import ai_reason
from aiwarden.assess.evidence._docs_text import (
    covered_in,
    how,
    lacking,
    phrase_in,
    problems,
    section_named,
)
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

POLICY_FILES: Final = (*SECURITY_FILES, ".github/SECURITY.rst", "docs/SECURITY.rst")
ADVISORY_FILES: Final = (
    "csaf/*.json",
    "csaf/*/*.json",
    ".well-known/csaf/*.json",
    ".well-known/csaf/*/*.json",
    "**/*.csaf.json",
    "**/*.vex.json",
    "**/*.openvex.json",
    "**/*.cdx.vex.json",
    "vex/*.json",
    "advisories/*",
    "security/advisories/*",
    "docs/advisories/*",
    "docs/security/advisories/*",
)
PLAN_FILES: Final = (
    *IR_FILES,
    "INCIDENT-RESPONSE-PLAN.md",
    "RUNBOOK.md",
    "PLAYBOOK.md",
    "playbooks/*.md",
    "docs/playbooks/*.md",
    "docs/incident*/*.md",
    "docs/security/incident*",
)
GUIDE_FILES: Final = (*CONTRIBUTING_FILES, ".github/CONTRIBUTING.rst", "docs/SECURE_CODING.md")
_EXPIRES: Final = re.compile(r"^\s*expires\s*:\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE | re.MULTILINE)
DOCS_FOR_USERS: Final = ("README.md", "README.rst", "README", "docs/*.md", "docs/*/*.md")


class SecurityPolicyCheck(EvidenceCheck):
    """A vulnerability disclosure policy with a private channel (OM-4.b) and advisories (OM-4.c).

    A missing policy undermines OM-4.b even though AIW-GOV001 also reports it: the
    finding alone makes the behaviour "partly met", and no policy at all is "not met".
    A policy without a private channel is left to AIW-GOV001 (no evidence either way).
    """

    id: ClassVar[str] = "docs.security-policy"
    title: ClassVar[str] = "Vulnerability disclosure policy"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-4.b", "OM-4.c")
    remediation: ClassVar[str] = (
        "Add SECURITY.md (or .github/SECURITY.md) with: a private reporting channel (a "
        "security@ address, GitHub private vulnerability reporting at "
        "/security/advisories/new, or a disclosure platform), the supported versions, "
        "response times (acknowledgement within N days, a fix target), safe-harbour "
        "wording that authorises good-faith research, and how fixes are announced "
        "(GitHub security advisories with CVE ids). Publish /.well-known/security.txt "
        "(RFC 9116) on the service's domain."
    )

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield OM-4.b evidence for the policy and OM-4.c evidence for advisories."""
        docs = load_all(project, locate(project, POLICY_FILES, inherit=True))
        if not docs:
            yield self.undermines(
                "OM-4.b",
                f"No security policy was found in {where(project)} or its parent directories "
                "(looked for SECURITY.md, .github/SECURITY.md, docs/SECURITY.md and "
                ".well-known/security.txt): researchers have no private way to report a "
                "vulnerability.",
            )
        else:
            yield from self._policy(project, docs)
        yield from self._advisories(project, docs)

    def _policy(self, project: ProjectView, docs: list[GovDoc]) -> Iterator[Evidence]:
        channel = covering(docs, t.SECURITY_CONTACT)
        if not channel:
            return
        contact = next(
            (found for rx in v.CHANNELS if (found := first_match(channel, rx)) is not None),
            "see the document",
        )
        paths = [d.relpath for d in docs]
        covered, missing = labels_covered(
            docs, (v.SAFE_HARBOUR, t.SECURITY_RESPONSE, t.SECURITY_SCOPE)
        )
        shown = {
            v.SAFE_HARBOUR.label: "safe-harbour wording",
            t.SECURITY_RESPONSE.label: "response times",
            t.SECURITY_SCOPE.label: "scope or supported versions",
        }
        has = [f"a private reporting channel ({contact})", *(shown[c] for c in covered)]
        yield self.supports(
            "OM-4.b",
            f"{subject(project, paths, 'The security policy')} gives {series(has)}"
            f"{lacking([shown[m] for m in missing])}{self._expired(docs)}{problems(docs)}.",
            Strength.DOCUMENT_PRESENT,
            paths,
        )

    def _expired(self, docs: list[GovDoc]) -> str:
        """``; security.txt expired on D`` when an RFC 9116 ``Expires`` date has passed."""
        for doc in docs:
            match = _EXPIRES.search(doc.document.text[:65_536])
            if match is None:
                continue
            try:
                day = dt.date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if day < self._today():
                return f"; {doc.relpath.rsplit('/', 1)[-1]} expired on {day.isoformat()}"
        return ""

    def _advisories(self, project: ProjectView, docs: list[GovDoc]) -> Iterator[Evidence]:
        files = locate(project, ADVISORY_FILES)
        if files:
            yield self.supports(
                "OM-4.c",
                f"Security advisories are published as files ({names(project, files)}).",
                Strength.DOCUMENT_PRESENT,
                files,
            )
        wording = covering(docs, v.ADVISORIES)
        if wording:
            quoted = phrase_in(wording, v.ADVISORIES, "a section on advisories")
            yield self.supports(
                "OM-4.c",
                f"{subject(project, [d.relpath for d in wording], 'The security policy')} "
                "says vulnerabilities are "
                f"announced as advisories ('{quoted}').",
                Strength.HEURISTIC,
                [d.relpath for d in wording],
            )


class ContributingSecurityCheck(EvidenceCheck):
    """Security guidance for contributors (SD-1.d), on AI threats (SD-1.b, SD-3.g).

    Positive evidence only: a missing or thin guide is AIW-GOV012's to report.
    SD-3.g is supported only by guidance that covers both secure coding and AI-specific
    practice (untrusted models and outputs, prompt injection), not by "never commit
    secrets" alone.
    """

    id: ClassVar[str] = "docs.contributing-security"
    title: ClassVar[str] = "Security guidance for contributors"
    behaviours: ClassVar[tuple[str, ...]] = ("SD-1.b", "SD-1.d", "SD-3.g")
    remediation: ClassVar[str] = (
        "Add a 'Security' section to CONTRIBUTING.md: never commit secrets, load models only "
        "in safe formats (safetensors, weights_only=True, no trust_remote_code), treat model "
        "output and retrieved content as untrusted input (prompt injection), review changes "
        "to prompts, agent tools and model loading with security in mind, and link to "
        "SECURITY.md and the OWASP Top 10 for LLM Applications."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the contributing guide says about security."""
        docs = load_all(project, locate(project, GUIDE_FILES, inherit=True))
        secure = covering(docs, t.CONTRIB_SECURITY)
        ai = covering(docs, v.AI_DEV_THREATS)
        if secure:
            paths = [d.relpath for d in secure]
            section = section_named(secure, t.CONTRIB_SECURITY)
            detail = f"its '{section}' section" if section else "security rules"
            yield self.supports(
                "SD-1.d",
                f"{subject(project, paths, 'The contributor guide')} "
                f"gives contributors secure-coding guidance ({detail}).",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        if ai:
            quoted = phrase_in(ai, v.AI_DEV_THREATS, "AI threats")
            paths = [d.relpath for d in ai]
            yield self.supports(
                "SD-1.b",
                f"{subject(project, paths, 'The contributor guide')} "
                f"tells developers about AI-specific threats ('{quoted}').",
                Strength.HEURISTIC,
                paths,
            )
        if secure and ai:
            paths = sorted({d.relpath for d in (*secure, *ai)})
            yield self.supports(
                "SD-3.g",
                f"{subject(project, paths, 'The contributor guide')} "
                "makes secure coding, including AI-specific practice, "
                "part of the contribution process.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )


class IncidentResponseCheck(EvidenceCheck):
    """An incident response plan with AI scenarios (DP-3.a, DP-3.c), customer audit logs (DP-3.d).

    A missing plan undermines DP-3.a for AI projects (AIW-GOV004 alone makes it only
    "partly met"); a plan without AI scenarios is left to AIW-GOV004.
    """

    id: ClassVar[str] = "docs.incident-response"
    title: ClassVar[str] = "Incident response plan"
    behaviours: ClassVar[tuple[str, ...]] = ("DP-3.a", "DP-3.c", "DP-3.d")
    remediation: ClassVar[str] = (
        "Add INCIDENT_RESPONSE.md (or docs/runbooks/) with one section per AI scenario: a "
        "leaked API key or hub token (revoke, rotate), a poisoned or tampered model (stop "
        "serving, roll back to a known-good hashed revision), prompt-injection abuse "
        "(disable tools, review logs), and data leakage through prompts or outputs (scope, "
        "notify). Name the escalation contacts, say how responders are trained and how often "
        "the plan is exercised (a tabletop each year), and document the audit logs "
        "customers can export for their own response."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the plan covers, or that an AI project has none."""
        docs = load_all(project, locate(project, PLAN_FILES, inherit=True))
        if docs:
            yield from self._plan(project, docs)
        else:
            reason = ai_reason(project)
            if reason is not None:
                yield self.undermines(
                    "DP-3.a",
                    f"No incident response plan was found in {where(project)} (looked for "
                    "INCIDENT_RESPONSE.md, docs/incident*, runbooks/*.md and playbooks/*.md) "
                    f"although it is an AI project ({reason}).",
                )
        yield from self._audit_logs(project, docs)

    def _plan(self, project: ProjectView, docs: list[GovDoc]) -> Iterator[Evidence]:
        paths = [d.relpath for d in docs]
        covered, missing = labels_covered(docs, v.IR_SCENARIOS)
        if covered:
            exercised = covered_in(docs, v.IR_EXERCISED)
            escalation = covered_in(docs, v.ESCALATION)
            extras = [x for x, ok in (("escalation", escalation), ("exercises", exercised)) if ok]
            gaps = [x for x, ok in (("escalation", escalation), ("exercises", exercised)) if not ok]
            also = f"; it also covers {series(extras)}" if extras else ""
            yield self.supports(
                "DP-3.a",
                f"{subject(project, paths, 'The incident response plan')} "
                f"covers AI incident scenarios ({series(covered)})"
                f"{lacking(missing + gaps)}{also}{problems(docs)}.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        trained = covering(docs, v.IR_TRAINING) or covering(docs, v.IR_EXERCISED)
        if trained:
            found = [d.relpath for d in trained]
            yield self.supports(
                "DP-3.c",
                f"{subject(project, found, 'The incident response plan')} "
                "describes training or exercises for incident responders.",
                Strength.HEURISTIC,
                found,
            )

    def _audit_logs(self, project: ProjectView, docs: list[GovDoc]) -> Iterator[Evidence]:
        seen = {d.relpath for d in docs}
        extra = [r for r in locate(project, DOCS_FOR_USERS) if r not in seen]
        every = docs + load_all(project, extra)
        documented = covering(every, v.AUDIT_LOGS)
        if documented:
            paths = [d.relpath for d in documented]
            quoted = how(documented, v.AUDIT_LOGS)
            yield self.supports(
                "DP-3.d",
                f"{subject(project, paths, 'The documentation')} "
                f"documents audit logs for customers ({quoted}).",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
