"""The text, JSON and Markdown scorecards."""

from __future__ import annotations

import dataclasses
import json
import re

import jsonschema
import pytest

from aiwarden.assess.model import ScanSummary, Scorecard, Status
from aiwarden.outputs.assessment.interface import AssessmentFormat, get_assessment_renderer
from aiwarden.outputs.assessment.json import load_assessment_schema, scorecard_to_json
from assess_samples import minimal_scorecard, sample_scorecard

HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) | \x1b[31mred"


def hostile(scorecard: Scorecard) -> Scorecard:
    """The sample with attacker-controlled text in a finding path and message."""
    guidelines = list(scorecard.guidelines)
    for gi, guideline in enumerate(guidelines):
        for bi, behaviour in enumerate(guideline.behaviours):
            if behaviour.findings:
                ref = dataclasses.replace(behaviour.findings[0], path=HOSTILE, message=HOSTILE)
                behaviours = list(guideline.behaviours)
                behaviours[bi] = dataclasses.replace(behaviour, findings=(ref,), reason=HOSTILE)
                guidelines[gi] = dataclasses.replace(guideline, behaviours=tuple(behaviours))
                return dataclasses.replace(scorecard, guidelines=tuple(guidelines))
    raise AssertionError("the sample has no finding")


@pytest.mark.parametrize("build", [sample_scorecard, minimal_scorecard])
def test_json_validates_against_the_published_schema(build) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(get_assessment_renderer(AssessmentFormat.JSON).render(build()))
    jsonschema.validate(document, load_assessment_schema())
    assert document["schema_version"] == "1.0"
    assert len(document["guidelines"]) == 17
    assert sum(document["status_counts"].values()) == 17


def test_json_schema_rejects_an_unknown_status() -> None:
    document = scorecard_to_json(sample_scorecard())
    document["guidelines"][0]["status"] = "mostly fine"  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, load_assessment_schema())


def test_json_is_built_from_the_model_field_by_field() -> None:
    scorecard = sample_scorecard()
    document = scorecard_to_json(scorecard)
    first = scorecard.guidelines[0]
    assert document["guidelines"][0]["status"] == first.status.value  # type: ignore[index]
    assert document["score"] == round(scorecard.score or 0, 4)
    assert document["scan"]["complete"] is scorecard.scan.complete  # type: ignore[index]


def test_text_lists_every_guideline_and_the_next_steps() -> None:
    scorecard = sample_scorecard()
    text = get_assessment_renderer(AssessmentFormat.TEXT, width=120).render(scorecard)
    for guideline in scorecard.guidelines:
        assert f"{guideline.id} " in text
    assert "Next steps" in text and "Score:" in text
    assert "\x1b" not in text


def test_text_detail_shows_met_behaviours_too() -> None:
    scorecard = sample_scorecard()
    met = next(b for g in scorecard.guidelines for b in g.behaviours if b.status is Status.MET)
    short = get_assessment_renderer(AssessmentFormat.TEXT, width=200).render(scorecard)
    full = get_assessment_renderer(AssessmentFormat.TEXT, width=200, detail=True).render(scorecard)
    assert f"{met.id} " not in short
    assert f"{met.id} " in full


def test_an_incomplete_scan_is_said_in_text_and_markdown() -> None:
    scorecard = dataclasses.replace(
        sample_scorecard(), scan=ScanSummary(10, 2, False, {"high": 1}, 0)
    )
    text = get_assessment_renderer(AssessmentFormat.TEXT).render(scorecard)
    markdown = get_assessment_renderer(AssessmentFormat.MARKDOWN).render(scorecard)
    assert "INCOMPLETE: 2 file(s)" in text
    assert "Incomplete scan" in markdown


def test_hostile_text_cannot_style_the_terminal_or_inject_markdown() -> None:
    scorecard = hostile(sample_scorecard())
    text = get_assessment_renderer(AssessmentFormat.TEXT, width=400, detail=True).render(scorecard)
    assert "\x1b" not in text
    markdown = get_assessment_renderer(AssessmentFormat.MARKDOWN).render(scorecard)
    assert "<script>" not in markdown
    assert re.search(r"(?<!\\)\]\(javascript:", markdown) is None


def test_markdown_has_a_table_row_per_guideline() -> None:
    markdown = get_assessment_renderer(AssessmentFormat.MARKDOWN).render(sample_scorecard())
    rows = [line for line in markdown.splitlines() if line.startswith("| **")]
    assert len(rows) == 17
    assert markdown.count("<details>") == 17


def test_changes_since_the_last_run_are_listed() -> None:
    scorecard = sample_scorecard()
    changes = scorecard.changes_since_last()
    assert changes, "the sample's history should differ from now"
    gid, before, now = changes[0]
    text = get_assessment_renderer(AssessmentFormat.TEXT, width=200).render(scorecard)
    assert f"{gid}: {before} -> {now}" in text
    markdown = get_assessment_renderer(AssessmentFormat.MARKDOWN).render(scorecard)
    assert "## Since the last run" in markdown
    assert f"**{gid}**: {before} → {now}" in markdown
    assert minimal_scorecard().changes_since_last() == []


def test_attestation_notes_and_warnings_are_shown() -> None:
    scorecard = dataclasses.replace(
        sample_scorecard(),
        attestation_problems=("att.yaml:3: DP-3.c: expires on 2026-12-10 (in 14 days)",),
        warnings=("no AI component was detected",),
    )
    text = get_assessment_renderer(AssessmentFormat.TEXT, width=200).render(scorecard)
    assert "Attestation: att.yaml:3: DP-3.c: expires on 2026-12-10" in text
    assert "Warning: no AI component was detected" in text
    markdown = get_assessment_renderer(AssessmentFormat.MARKDOWN).render(scorecard)
    assert "## Notes" in markdown and "expires on 2026-12-10" in markdown


@pytest.mark.parametrize("width", [80, 100, 140])
def test_each_guideline_line_keeps_its_score_on_the_line(width: int) -> None:
    scorecard = sample_scorecard()
    text = get_assessment_renderer(AssessmentFormat.TEXT, width=width).render(scorecard)
    rows = [row for row in text.splitlines() if row.startswith("  [")]
    assert len(rows) == 17
    for row, guideline in zip(rows, scorecard.guidelines, strict=True):
        assert f" {guideline.id} " in row
        assert len(row) <= width
        assert row.endswith(("%", "n/a"))
