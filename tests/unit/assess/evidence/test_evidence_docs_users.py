"""docs.user-guidance, docs.lifecycle and docs.monitoring-plan."""

from __future__ import annotations

from pathlib import Path

from docs_evidence_support import (
    AI_REQUIREMENTS,
    PLAIN_REQUIREMENTS,
    collect,
    one,
    pick,
    polarities,
    view_of,
    write,
)

from aiwarden.assess.evidence._docs_ops import LifecycleCheck, MonitoringPlanCheck
from aiwarden.assess.evidence._docs_users import UserGuidanceCheck
from aiwarden.assess.model import Polarity, Strength

S, U = Polarity.SUPPORTS, Polarity.UNDERMINES

README = """# Support bot

## Limitations

The assistant may produce incorrect or misleading answers about billing, and it
hallucinates order numbers when a ticket does not contain one.

## Safe use

Do not send drafted replies to customers without human review, and never use it for
legal or medical advice.

## Your responsibilities

You are responsible for keeping the API key in a secret store and for restricting who
can reach the server.

## Privacy

Your prompts are stored for 30 days for abuse monitoring and are not used to train
models; a small sample may be reviewed by our staff.

## Acceptable use

The bot must not be used to make decisions about individuals' credit, employment or
housing, or to generate spam.
"""


def test_complete_readme_supports_every_guidance_behaviour(tmp_path: Path) -> None:
    evidence = collect(UserGuidanceCheck(), view_of(write(tmp_path, {"README.md": README})))
    assert {b for b, _ in polarities(evidence)} == {
        "SD-1.c",
        "DP-4.b",
        "DP-5.c",
        "DP-5.d",
        "DP-5.e",
        "SD-3.i",
    }
    assert all(e.polarity is S and e.paths == ("README.md",) for e in evidence)
    assert "'Limitations' section" in one(evidence, "DP-4.b", S).summary
    assert one(evidence, "SD-3.i", S).strength is Strength.HEURISTIC
    assert one(evidence, "DP-5.e", S).strength is Strength.DOCUMENT_PRESENT


def test_install_only_readme_gives_no_evidence(tmp_path: Path) -> None:
    readme = "# bot\n\n## Install\n\npip install bot\n\n## Usage\n\nbot serve\n"
    view = view_of(write(tmp_path, {"README.md": readme, **AI_REQUIREMENTS}))
    assert collect(UserGuidanceCheck(), view) == []


def test_no_documentation_undermines_ai_projects_only(tmp_path: Path) -> None:
    evidence = collect(UserGuidanceCheck(), view_of(write(tmp_path / "ai", AI_REQUIREMENTS)))
    assert polarities(evidence) == {("DP-5.c", U), ("SD-1.c", U)}
    plain = view_of(write(tmp_path / "plain", PLAIN_REQUIREMENTS))
    assert collect(UserGuidanceCheck(), plain) == []


def test_a_passing_prohibition_in_some_document_does_not_support_sd_3_i(tmp_path: Path) -> None:
    text = "# Rules\n\nThe token must not be used for anything but the nightly job, ever.\n"
    evidence = collect(UserGuidanceCheck(), view_of(write(tmp_path, {"docs/rules.md": text})))
    assert not pick(evidence, "SD-3.i")


def test_separate_policy_files_count(tmp_path: Path) -> None:
    files = {"README.md": "# bot\n", "PRIVACY.md": "# Privacy\n\nSee the website.\n"}
    files["ACCEPTABLE_USE.md"] = "# AUP\n\nSee the website.\n"
    evidence = collect(UserGuidanceCheck(), view_of(write(tmp_path, files)))
    assert one(evidence, "DP-5.e", S, Strength.HEURISTIC).paths == ("PRIVACY.md",)
    assert one(evidence, "SD-3.i", S, Strength.HEURISTIC).paths == ("ACCEPTABLE_USE.md",)


CHANGELOG = """# Changelog

## [2.1.0] - 2026-10-02

- Switched the default model to gpt-4o-mini and re-ran the reply-quality suite.
- Updated the system prompt to refuse refund decisions.

## [2.0.0] - 2026-06-01

- Deprecated the /v1/draft endpoint; it is removed in 3.0.
- Fixed a crash on empty tickets.
"""


def test_changelog_with_model_changes_supports_om_3_b_and_c(tmp_path: Path) -> None:
    evidence = collect(LifecycleCheck(), view_of(write(tmp_path, {"CHANGELOG.md": CHANGELOG})))
    b = one(evidence, "OM-3.b", S, Strength.HEURISTIC)
    assert "2 entries" in b.summary and "gpt-4o-mini" in b.summary
    c = one(evidence, "OM-3.c", S)
    assert "deprecation" in c.summary
    assert {e.paths for e in evidence} == {("CHANGELOG.md",)}


def test_changelog_without_ai_changes_gives_nothing(tmp_path: Path) -> None:
    text = "# Changelog\n\n## 1.0.0\n\n- Fixed a crash.\n- Faster start-up.\n"
    assert collect(LifecycleCheck(), view_of(write(tmp_path, {"CHANGELOG.md": text}))) == []


def test_decommissioning_and_debt_register(tmp_path: Path) -> None:
    ops = (
        "# Operations\n\n## Decommissioning\n\nWhen the bot is retired we disable the "
        "endpoint, delete the weights, the vector index and the logs, and revoke its keys.\n"
    )
    files = {"docs/operations.md": ops, "TECH_DEBT.md": "# Debt\n\n- retry logic\n"}
    evidence = collect(LifecycleCheck(), view_of(write(tmp_path, files)))
    assert one(evidence, "DV-4.c", S, Strength.DOCUMENT_PRESENT).paths == ("docs/operations.md",)
    assert one(evidence, "DV-4.a", S).paths == ("TECH_DEBT.md",)


def test_end_of_life_heading_about_a_dependency_is_not_a_retirement_plan(tmp_path: Path) -> None:
    text = "# Notes\n\n## Python 3.8 end-of-life\n\nWe dropped Python 3.8 support this year.\n"
    assert collect(LifecycleCheck(), view_of(write(tmp_path, {"docs/notes.md": text}))) == []


MONITORING = """# Monitoring

## Logging

Prompts and completions are logged with personal data redacted and kept for 30 days.

## Abuse

Per-key rate limits apply; suspicious prompts flagged by the jailbreak classifier page
the on-call engineer.

## Drift

We alert when the weekly share of tickets per queue moves by more than five percent.
"""


def test_monitoring_plan_supports_om_1_and_om_2(tmp_path: Path) -> None:
    evidence = collect(
        MonitoringPlanCheck(), view_of(write(tmp_path, {"docs/monitoring.md": MONITORING}))
    )
    assert polarities(evidence) == {("OM-1.a", S), ("OM-1.b", S), ("OM-2.a", S)}
    assert "with redaction or retention rules" in one(evidence, "OM-2.a", S).summary
    assert all(e.paths == ("docs/monitoring.md",) for e in evidence)


def test_no_monitoring_plan_gives_nothing(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, AI_REQUIREMENTS))
    assert collect(MonitoringPlanCheck(), view) == []
    assert collect(LifecycleCheck(), view) == []


def test_changelog_categories_and_model_output_wording(tmp_path: Path) -> None:
    text = (
        "# Changelog\n\n## 1.4.2 (2026-10-02)\n\n"
        "- Model: embeddings re-exported as safetensors.\n"
        "- API: endpoints moved under /v1; the endpoint that evaluated model output is gone.\n"
    )
    evidence = collect(LifecycleCheck(), view_of(write(tmp_path, {"CHANGELOG.md": text})))
    item = one(evidence, "OM-3.b", S)
    assert "1 entry" in item.summary and "Model: embeddings" in item.summary
