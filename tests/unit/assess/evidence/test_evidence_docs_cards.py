"""docs.model-cards, docs.data-cards and docs.system-prompts."""

from __future__ import annotations

from pathlib import Path

from docs_evidence_support import (
    AI_REQUIREMENTS,
    collect,
    one,
    pick,
    polarities,
    view_of,
    write,
)

from aiwarden.assess.evidence._docs_cards import DataCardsCheck, ModelCardsCheck
from aiwarden.assess.evidence._docs_prompts import SystemPromptsCheck
from aiwarden.assess.model import Polarity, Strength

S, U = Polarity.SUPPORTS, Polarity.UNDERMINES
SAFETENSORS = b'\x10\x00\x00\x00\x00\x00\x00\x00{"__metadata__":{}}'

HF_README = """---
license: apache-2.0
base_model: distilbert-base-uncased
datasets:
  - acme/tickets
---

# Ticket classifier

## Intended use

Routes English support tickets to a queue for a human agent; not for decisions about
customers.

## Limitations

English only; accuracy drops on very short tickets and sarcasm is often misclassified.

## Guardrails

Predictions below 0.6 confidence go to a human reviewer instead of a queue.

## Checksums

model.safetensors sha256 5e4840afbb76dde0e382c81232134b728fde610d1f3881f2d2a16211723f2d87
"""


def test_hf_model_card_supports_all_four_behaviours(tmp_path: Path) -> None:
    files = {"models/clf/model.safetensors": SAFETENSORS, "models/clf/README.md": HF_README}
    evidence = collect(ModelCardsCheck(), view_of(write(tmp_path, files)))
    assert polarities(evidence) == {(b, S) for b in ("DV-3.a", "DV-3.b", "DP-4.b", "SD-4.b")}
    assert all(e.paths == ("models/clf/README.md",) for e in evidence)
    fields = one(evidence, "DV-3.b", S, Strength.DOCUMENT_PRESENT).summary
    assert "training data" in fields and "guardrails" in fields and "hashes" in fields
    assert "no retention or a review schedule" in fields
    provenance = one(evidence, "SD-4.b", S).summary
    assert "distilbert-base-uncased" in provenance and "licence" in provenance


def test_thin_model_card_supports_presence_only(tmp_path: Path) -> None:
    files = {"models/model.safetensors": SAFETENSORS, "MODEL_CARD.md": "# Model\n\nA classifier.\n"}
    evidence = collect(ModelCardsCheck(), view_of(write(tmp_path, files)))
    item = one(evidence, "DV-3.a", S)
    assert item.paths == ("MODEL_CARD.md",)
    assert "1 of 1 model directory" in item.summary
    assert not pick(evidence, "DV-3.b") and not pick(evidence, "DP-4.b")


def test_models_without_a_card_undermine_dv_3_a(tmp_path: Path) -> None:
    files = {"weights/a.safetensors": SAFETENSORS, "weights/b/c.gguf": b"GGUF\x03\x00\x00\x00"}
    evidence = collect(ModelCardsCheck(), view_of(write(tmp_path, files)))
    item = one(evidence, "DV-3.a", U)
    assert "2 model directories" in item.summary and "weights/" in item.summary
    assert len(evidence) == 1


def test_partly_carded_models_name_the_gap(tmp_path: Path) -> None:
    files = {
        "models/a/model.safetensors": SAFETENSORS,
        "models/a/README.md": HF_README,
        "models/b/model.safetensors": SAFETENSORS,
    }
    item = one(collect(ModelCardsCheck(), view_of(write(tmp_path, files))), "DV-3.a", S)
    assert "1 of 2 model directories" in item.summary and "none for models/b/" in item.summary


def test_project_without_models_gets_no_card_evidence(tmp_path: Path) -> None:
    view = view_of(write(tmp_path, {"README.md": "# x\n", **AI_REQUIREMENTS}))
    assert collect(ModelCardsCheck(), view) == []
    assert collect(DataCardsCheck(), view) == []
    assert collect(SystemPromptsCheck(), view) == []


def test_models_in_test_fixtures_do_not_count(tmp_path: Path) -> None:
    files = {"tests/fixtures/m.safetensors": SAFETENSORS, "README.md": "# lib\n"}
    assert collect(ModelCardsCheck(), view_of(write(tmp_path, files))) == []


def test_symlinked_card_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", {"card.md": HF_README}) / "card.md"
    project = write(tmp_path / "p", {"models/m.safetensors": SAFETENSORS})
    (project / "models" / "README.md").symlink_to(outside)
    evidence = collect(ModelCardsCheck(), view_of(project))
    assert polarities(evidence) == {("DV-3.a", U)}


DATA_CARD = """---
license: cc-by-4.0
---

# Tickets

## Source

Support tickets exported from the helpdesk between January and June 2025 by the team.

## Collection

Tickets were sampled per product line and labelled by two annotators independently.

## Personal data

Names and e-mail addresses were removed with an automated redaction step before export.

## Retention

Raw exports are deleted after 90 days; the redacted set is kept for two years.
"""


def test_data_card_supports_dv_3_a_and_b(tmp_path: Path) -> None:
    files = {"data/train.csv": "text,label\nhi,greeting\n", "data/README.md": DATA_CARD}
    evidence = collect(DataCardsCheck(), view_of(write(tmp_path, files)))
    assert polarities(evidence) == {("DV-3.a", S), ("DV-3.b", S)}
    fields = one(evidence, "DV-3.b", S).summary
    assert "retention" in fields and "personal data handling" in fields
    assert all(e.paths == ("data/README.md",) for e in evidence)


def test_dataset_without_card_undermines_dv_3_a(tmp_path: Path) -> None:
    files = {"data/raw/train.parquet": b"PAR1\x00\x00PAR1", **AI_REQUIREMENTS}
    evidence = collect(DataCardsCheck(), view_of(write(tmp_path, files)))
    item = one(evidence, "DV-3.a", U)
    assert "1 data directory (data/)" in item.summary


PROMPTS_README = """# Prompts

| File | Used by |
|------|---------|
| system.txt | the support assistant |

The system prompt must never reveal internal ticket notes; changes are reviewed and
evaluated before release.
"""


def test_documented_prompts_support_dv_3_a_and_dv_2_a(tmp_path: Path) -> None:
    files = {
        "prompts/system.txt": "You are a helpful assistant.",
        "prompts/README.md": PROMPTS_README,
    }
    evidence = collect(SystemPromptsCheck(), view_of(write(tmp_path, files)))
    assert one(evidence, "DV-3.a", S, Strength.DOCUMENT_PRESENT).paths == ("prompts/README.md",)
    assert "system.txt" in one(evidence, "DV-2.a", S, Strength.HEURISTIC).summary


def test_undocumented_prompts_give_no_evidence(tmp_path: Path) -> None:
    files = {"prompts/system.txt": "You are a helpful assistant.", **AI_REQUIREMENTS}
    view = view_of(write(tmp_path, files))
    assert any(r.finding.rule.id == "AIW-GOV007" for r in view.findings("AIW-GOV"))
    assert collect(SystemPromptsCheck(), view) == []


def test_prompts_documented_in_the_readme_only_support_dv_3_a(tmp_path: Path) -> None:
    readme = (
        "# Bot\n\n## Prompts\n\nThe assistant's instructions live under the prompts "
        "directory and are reviewed in pull requests before every release.\n"
    )
    files = {"prompts/system.txt": "You are terse.", "README.md": readme}
    evidence = collect(SystemPromptsCheck(), view_of(write(tmp_path, files)))
    assert one(evidence, "DV-3.a", S).paths == ("README.md",)
    assert not pick(evidence, "DV-2.a")


def test_model_card_under_docs_covers_every_model_directory(tmp_path: Path) -> None:
    files = {
        "models/a/model.safetensors": SAFETENSORS,
        "models/b/model.safetensors": SAFETENSORS,
        "docs/model_card.md": HF_README,
    }
    evidence = collect(ModelCardsCheck(), view_of(write(tmp_path, files)))
    item = one(evidence, "DV-3.a", S)
    assert item.paths == ("docs/model_card.md",)
    assert "2 of 2 model directories" in item.summary
