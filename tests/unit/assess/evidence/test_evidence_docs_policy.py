"""docs.security-policy, docs.contributing-security and docs.incident-response."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from docs_evidence_support import (
    AI_REQUIREMENTS,
    PLAIN_REQUIREMENTS,
    collect,
    one,
    pick,
    view_of,
    write,
)

from aiwarden.assess.evidence._docs_policy import (
    ContributingSecurityCheck,
    IncidentResponseCheck,
    SecurityPolicyCheck,
)
from aiwarden.assess.model import Polarity, Strength

S, U = Polarity.SUPPORTS, Polarity.UNDERMINES

COMPLETE_POLICY = """# Security policy

## Supported versions

Only the latest 2.x release receives security fixes.

## Reporting a vulnerability

Do not open public issues. E-mail security@example.com or use
https://github.com/acme/bot/security/advisories/new to report privately.

We acknowledge reports within 3 business days and aim to fix within 90 days.

## Safe harbour

We will not pursue legal action against researchers who act in good faith and follow
this policy; research done under it is considered authorised.

## Advisories

Fixed vulnerabilities are published as GitHub security advisories with a CVE id.
"""
THIN_POLICY = "# Security\n\nIf you find a bug, please open an issue on GitHub.\n"


def test_complete_policy_supports_om_4_b_and_names_its_channel(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"SECURITY.md": COMPLETE_POLICY, **AI_REQUIREMENTS}))
    evidence = collect(SecurityPolicyCheck(), view)
    item = one(evidence, "OM-4.b", S, Strength.DOCUMENT_PRESENT)
    assert item.paths == ("SECURITY.md",)
    assert "security@example.com" in item.summary
    assert "safe-harbour wording" in item.summary and "response times" in item.summary
    assert "; no" not in item.summary  # nothing is missing
    assert one(evidence, "OM-4.c", S, Strength.HEURISTIC).paths == ("SECURITY.md",)
    assert not pick(evidence, "OM-4.b", U)


def test_policy_without_safe_harbour_says_so(tmp_path: Path) -> None:
    text = COMPLETE_POLICY.split("## Safe harbour")[0]
    view = view_of(write(tmp_path, {".github/SECURITY.md": text}))
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert item.paths == (".github/SECURITY.md",)
    assert item.summary.endswith("; no safe-harbour wording.")


def test_policy_without_private_channel_is_left_to_the_gov_finding(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"SECURITY.md": THIN_POLICY, **AI_REQUIREMENTS}))
    assert any(r.finding.rule.id == "AIW-GOV001" for r in view.findings("AIW-GOV"))
    assert collect(SecurityPolicyCheck(), view) == []


def test_missing_policy_undermines_om_4_b_even_for_a_plain_project(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"README.md": "# tool\n", **PLAIN_REQUIREMENTS}))
    evidence = collect(SecurityPolicyCheck(), view)
    item = one(evidence, "OM-4.b", U, Strength.HEURISTIC)
    assert "SECURITY.md" in item.summary and ".well-known/security.txt" in item.summary
    assert not pick(evidence, "OM-4.c")


def test_security_txt_contact_supports_om_4_b(tmp_path: Path) -> None:
    txt = "Contact: mailto:psirt@example.org\nExpires: 2030-01-01T00:00:00Z\n"
    view = view_of(write(tmp_path, {".well-known/security.txt": txt}))
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert item.paths == (".well-known/security.txt",)
    assert "psirt@example.org" in item.summary


def test_expired_security_txt_is_noted(tmp_path: Path) -> None:
    txt = "Contact: https://example.org/security/report\nExpires: 2025-01-31T00:00:00Z\n"
    view = view_of(write(tmp_path, {".well-known/security.txt": txt}))
    check = SecurityPolicyCheck(today=lambda: dt.date(2026, 11, 26))
    item = one(collect(check, view), "OM-4.b", S)
    assert "https://example.org/security/report" in item.summary
    assert "security.txt expired on 2025-01-31" in item.summary


def test_advisory_files_support_om_4_c(tmp_path: Path) -> None:
    files = {"SECURITY.md": THIN_POLICY, "csaf/2026/acme-2026-001.json": '{"document": {}}'}
    evidence = collect(SecurityPolicyCheck(), view_of(write(tmp_path, files)))
    item = one(evidence, "OM-4.c", S, Strength.DOCUMENT_PRESENT)
    assert item.paths == ("csaf/2026/acme-2026-001.json",)


def test_a_policy_in_a_nested_directory_does_not_count(tmp_path: Path) -> None:
    files = {"vendor/lib/SECURITY.md": COMPLETE_POLICY, "docs/guide/SECURITY.md": COMPLETE_POLICY}
    evidence = collect(SecurityPolicyCheck(), view_of(write(tmp_path, files)))
    assert [e.polarity for e in evidence] == [U]


def test_monorepo_package_inherits_the_repository_policy(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"SECURITY.md": COMPLETE_POLICY, "apps/bot/app.py": "import openai\n"})
    write(tmp_path, {"apps/other/.github/SECURITY.md": THIN_POLICY})
    bot = tmp_path / "apps" / "bot"
    view = view_of(bot)
    assert view.prefix == "apps/bot/"
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert item.paths == ("SECURITY.md",)
    assert "inherited from a parent directory" in item.summary


def test_monorepo_package_with_its_own_policy_uses_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"SECURITY.md": THIN_POLICY, "apps/bot/SECURITY.md": COMPLETE_POLICY})
    view = view_of(tmp_path / "apps" / "bot")
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert item.paths == ("apps/bot/SECURITY.md",)
    assert "inherited" not in item.summary


def test_symlinked_policy_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"policy.md": COMPLETE_POLICY}) / "policy.md"
    project = tmp_path / "project"
    write(project, {"README.md": "# x\n"})
    (project / "SECURITY.md").symlink_to(outside)
    docs = project / "docs"
    docs.mkdir()
    (docs / "SECURITY.md").symlink_to(project / "README.md")
    evidence = collect(SecurityPolicyCheck(), view_of(project))
    assert [e.polarity for e in evidence] == [U]


def test_non_utf8_policy_is_read_with_replacement(tmp_path: Path) -> None:
    latin1 = (
        "# Sécurité\n\nÉcrivez à sécurité@example.fr ou security@example.fr; réponse "
        "sous 5 jours ouvrés (within 5 days).\n"
    ).encode("latin-1")
    view = view_of(write(tmp_path, {"SECURITY.md": latin1}))
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert "security@example.fr" in item.summary


def test_binary_file_named_security_md_is_not_a_policy(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"SECURITY.md": b"\x00\x01security@example.com\x00" * 100}))
    assert [e.polarity for e in collect(SecurityPolicyCheck(), view)] == [U]


def test_huge_policy_is_read_bounded_and_fast(tmp_path: Path) -> None:
    filler = ("lorem ipsum dolor sit amet " * 40 + "\n\n") * 6000  # about 6.5 MB
    text = "# Security\n\nReport to security@example.com within 3 days.\n\n" + filler
    view = view_of(write(tmp_path, {"SECURITY.md": text}))
    started = time.monotonic()
    item = one(collect(SecurityPolicyCheck(), view), "OM-4.b", S)
    assert time.monotonic() - started < 10
    assert "security@example.com" in item.summary
    assert "only its first" in item.summary


def test_contact_far_beyond_the_read_limit_is_not_seen(tmp_path: Path) -> None:
    text = "# Security\n\n" + ("padding words here\n" * 200_000) + "\nsecurity@example.com\n"
    view = view_of(write(tmp_path, {"SECURITY.md": text}))
    assert collect(SecurityPolicyCheck(), view) == []


GUIDE = """# Contributing

## Security

Never commit API keys or tokens. Treat model output as untrusted input and keep prompt
injection in mind when you add tools; load weights with safetensors, never pickle.
"""


def test_contributing_with_ai_security_guidance_supports_three_behaviours(
    tmp_path: Path,
) -> None:
    evidence = collect(
        ContributingSecurityCheck(), view_of(write(tmp_path, {"CONTRIBUTING.md": GUIDE}))
    )
    assert {e.behaviour for e in evidence} == {"SD-1.b", "SD-1.d", "SD-3.g"}
    assert all(e.polarity is S and e.paths == ("CONTRIBUTING.md",) for e in evidence)
    assert "'Security' section" in one(evidence, "SD-1.d", S).summary


def test_contributing_with_generic_security_only_does_not_support_sd_3_g(tmp_path: Path) -> None:
    text = (
        "# Contributing\n\n## Security\n\nNever commit secrets, keys or tokens to the repository.\n"
    )
    evidence = collect(
        ContributingSecurityCheck(), view_of(write(tmp_path, {"CONTRIBUTING.md": text}))
    )
    assert [e.behaviour for e in evidence] == ["SD-1.d"]


def test_contributing_without_security_or_missing_gives_nothing(tmp_path: Path) -> None:
    text = "# Contributing\n\nRun the tests and open a pull request.\n"
    view = view_of(write(tmp_path / "a", {"CONTRIBUTING.md": text, **AI_REQUIREMENTS}))
    assert collect(ContributingSecurityCheck(), view) == []
    view = view_of(write(tmp_path / "b", AI_REQUIREMENTS))
    assert collect(ContributingSecurityCheck(), view) == []


PLAN = """# Incident response

## Leaked API key

Revoke the key at the provider and rotate it in the secret manager.

## Poisoned model

Roll back to the last known-good model revision and quarantine the artefact.

## Escalation

Page the on-call engineer, who escalates to the incident commander.

## Exercises

We run a tabletop exercise of this plan every year; responders are trained on AI
incidents during on-call onboarding.
"""


def test_incident_plan_with_ai_scenarios(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"docs/runbooks/incidents.md": PLAN, **AI_REQUIREMENTS}))
    evidence = collect(IncidentResponseCheck(), view)
    item = one(evidence, "DP-3.a", S, Strength.DOCUMENT_PRESENT)
    assert item.paths == ("docs/runbooks/incidents.md",)
    assert "key or token rotation" in item.summary and "poisoned" in item.summary
    assert "no prompt-injection abuse or data leakage" in item.summary
    assert "escalation and exercises" in item.summary
    assert one(evidence, "DP-3.c", S).paths == ("docs/runbooks/incidents.md",)


def test_incident_plan_without_ai_scenarios_is_left_to_gov004(tmp_path: Path) -> None:
    text = "# Incident response\n\nCall the on-call engineer and restore from backup.\n"
    view = view_of(write(tmp_path, {"INCIDENT_RESPONSE.md": text, **AI_REQUIREMENTS}))
    assert not pick(collect(IncidentResponseCheck(), view), "DP-3.a")


def test_missing_incident_plan_undermines_ai_projects_only(tmp_path: Path) -> None:
    ai = collect(IncidentResponseCheck(), view_of(write(tmp_path / "ai", AI_REQUIREMENTS)))
    item = one(ai, "DP-3.a", U)
    assert "requirements.txt depends on openai" in item.summary
    plain = view_of(write(tmp_path / "plain", PLAIN_REQUIREMENTS))
    assert collect(IncidentResponseCheck(), plain) == []


def test_audit_logs_for_customers_support_dp_3_d(tmp_path: Path) -> None:
    readme = (
        "# Bot\n\n## Audit logs\n\nAdministrators can export the audit log of every "
        "conversation and tool call from the admin API for their own investigations.\n"
    )
    view = view_of(write(tmp_path, {"README.md": readme}))
    item = one(collect(IncidentResponseCheck(), view), "DP-3.d", S)
    assert item.paths == ("README.md",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_like_a_plan_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, AI_REQUIREMENTS)
    os.mkfifo(tmp_path / "INCIDENT_RESPONSE.md")
    evidence = collect(IncidentResponseCheck(), view_of(tmp_path))
    assert [e.polarity for e in evidence] == [U]
