"""docs.threat-model: presence, AI threats, impact, data, review age, decision records."""

from __future__ import annotations

import datetime as dt
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

from aiwarden.assess.evidence._docs_threats import ThreatModelCheck
from aiwarden.assess.model import Polarity, Strength

S, U = Polarity.SUPPORTS, Polarity.UNDERMINES
TODAY = dt.date(2026, 11, 26)
CHECK = ThreatModelCheck(today=lambda: TODAY)

FULL = """---
last_updated: 2026-10-01
---

# Threat model

## Assets

Support tickets hold personal data (names, e-mail addresses, order numbers) and are
classified as confidential; the model weights are our own work.

## Threats

| Threat | Mitigation |
|---|---|
| Prompt injection in ticket text (AML.T0051, LLM01:2025) | no tools, human review |
| Poisoning of the training tickets | label audits |
| Model extraction through the API | rate limits |

## Impact

A compromised assistant could mislead customers and harm users who act on a wrong
answer, with financial and reputational impact on the organisation.

## Model selection

We chose a small fine-tuned model over a hosted LLM because tickets must not leave our
network, which removes the data-exfiltration threat to the provider.

## Review

Reviewed every quarter and when a new model or tool is added.
"""


def test_complete_threat_model_supports_every_sd_2_behaviour(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"THREAT_MODEL.md": FULL, **AI_REQUIREMENTS}))
    evidence = collect(CHECK, view)
    assert polarities(evidence) == {
        (b, S) for b in ("SD-2.a", "SD-2.b", "SD-2.c", "SD-2.d", "SD-4.a", "SD-4.b")
    }
    ai = one(evidence, "SD-2.b", S, Strength.DOCUMENT_PRESENT)
    assert "prompt injection" in ai.summary and "MITRE ATLAS or OWASP LLM" in ai.summary
    assert ai.paths == ("THREAT_MODEL.md",)
    review = one(evidence, "SD-2.d", S, Strength.DOCUMENT_PRESENT)
    assert "2026-10-01" in review.summary and "review schedule" in review.summary


def test_threat_model_without_ai_threats_undermines_sd_2_b(tmp_path: Path) -> None:
    stride = (
        "# Threat model\n\nSTRIDE: spoofing of the login, tampering with orders, repudiation.\n"
    )
    view = view_of(write(tmp_path, {"docs/threat-model.md": stride, **AI_REQUIREMENTS}))
    evidence = collect(CHECK, view)
    item = one(evidence, "SD-2.b", U, Strength.HEURISTIC)
    assert item.paths == ("docs/threat-model.md",)
    assert not pick(evidence, "SD-2.a")


def test_threat_model_without_ai_threats_in_a_plain_project_is_not_judged(tmp_path: Path) -> None:
    stride = "# Threat model\n\nSTRIDE: spoofing of the login, tampering with orders.\n"
    view = view_of(write(tmp_path, {"THREAT_MODEL.md": stride, **PLAIN_REQUIREMENTS}))
    assert collect(CHECK, view) == []


def test_stale_threat_model_undermines_sd_2_d(tmp_path: Path) -> None:
    text = FULL.replace("2026-10-01", "2024-03-01")
    evidence = collect(CHECK, view_of(write(tmp_path, {"THREAT_MODEL.md": text})))
    item = one(evidence, "SD-2.d", U)
    assert "2024-03-01" in item.summary
    assert one(evidence, "SD-2.b", S)


def test_review_line_without_front_matter_counts(tmp_path: Path) -> None:
    text = "# Threat model\n\nLast reviewed: 2026-06-30\n\nPrompt injection via tickets.\n"
    evidence = collect(CHECK, view_of(write(tmp_path, {"THREAT_MODEL.md": text})))
    assert "2026-06-30" in one(evidence, "SD-2.d", S).summary


def test_missing_threat_model_undermines_sd_2_a_and_b_for_ai_projects(tmp_path: Path) -> None:
    evidence = collect(CHECK, view_of(write(tmp_path / "ai", {"app.py": "import anthropic\n"})))
    assert polarities(evidence) == {("SD-2.a", U), ("SD-2.b", U)}
    assert "app.py imports an AI library" in evidence[0].summary
    plain = view_of(write(tmp_path / "plain", {"app.py": "import flask\n"}))
    assert collect(CHECK, plain) == []


def test_tool_formats_count_as_threat_models(tmp_path: Path) -> None:
    files = {
        "security/model.tm7": b"\xff\xfe<\x00T\x00h\x00r\x00e\x00a\x00t\x00>\x00",
        **AI_REQUIREMENTS,
    }
    evidence = collect(CHECK, view_of(write(tmp_path / "tm7", files)))
    item = one(evidence, "SD-2.b", S, Strength.HEURISTIC)
    assert item.paths == ("security/model.tm7",)

    pytm = "#!/usr/bin/env python3\nfrom pytm import TM, Server\n\ntm = TM('bot')\n"
    files = {"tm/model.py": pytm, **AI_REQUIREMENTS}
    evidence = collect(CHECK, view_of(write(tmp_path / "pytm", files)))
    assert not pick(evidence, "SD-2.a", U)
    assert pick(evidence, "SD-2.b", U)[0].paths == ("tm/model.py",)  # found, but no AI threat

    dragon = '{"summary": {"title": "Bot"}, "detail": {"diagrams": []}}'
    files = {"design/bot.json": dragon, **AI_REQUIREMENTS}
    evidence = collect(CHECK, view_of(write(tmp_path / "dragon", files)))
    assert not pick(evidence, "SD-2.a", U)


def test_a_string_mentioning_pytm_is_not_a_pytm_script(tmp_path: Path) -> None:
    files = {"lint.py": 'MARKERS = ("from pytm import", "import pytm")\n', **AI_REQUIREMENTS}
    evidence = collect(CHECK, view_of(write(tmp_path, files)))
    assert polarities(evidence) == {("SD-2.a", U), ("SD-2.b", U)}


def test_decision_records_support_model_selection(tmp_path: Path) -> None:
    adr = (
        "# 3. Use a local model\n\n## Decision\n\nWe selected a local Llama model instead "
        "of a hosted API because prompts contain personal data; the security trade-off is "
        "that we patch the serving stack ourselves.\n"
    )
    files = {"THREAT_MODEL.md": FULL, "docs/adr/0003-local-model.md": adr}
    evidence = collect(CHECK, view_of(write(tmp_path, files)))
    paths = {p for e in pick(evidence, "SD-4.b", S) for p in e.paths}
    assert "docs/adr/0003-local-model.md" in paths
    assert pick(evidence, "SD-2.b", S)


def test_threat_model_of_a_sibling_package_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"THREAT_MODEL.md": FULL, "apps/other/THREAT_MODEL.md": FULL})
    write(tmp_path, {"apps/bot/app.py": "import openai\n"})
    evidence = collect(CHECK, view_of(tmp_path / "apps" / "bot"))
    assert polarities(evidence) == {("SD-2.a", U), ("SD-2.b", U)}
    assert "apps/bot/" in evidence[0].summary


def test_threat_model_inside_the_assessed_package(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"apps/bot/docs/threat-model/overview.md": FULL})
    evidence = collect(CHECK, view_of(tmp_path / "apps" / "bot"))
    assert one(evidence, "SD-2.b", S).paths == ("apps/bot/docs/threat-model/overview.md",)
    assert "docs/threat-model/overview.md" in one(evidence, "SD-2.b", S).summary


def test_unreadable_tool_model_beside_a_thin_document_is_not_judged_against(
    tmp_path: Path,
) -> None:
    files = {
        "THREAT_MODEL.md": "# Threat model\n\nSee the Threat Modeling Tool file.\n",
        "threat-model/system.tm7": b"\x00\x01\x02binary",
        **AI_REQUIREMENTS,
    }
    evidence = collect(CHECK, view_of(write(tmp_path, files)))
    assert not pick(evidence, "SD-2.b", U)
    assert one(evidence, "SD-2.b", S, Strength.HEURISTIC).paths == ("threat-model/system.tm7",)
