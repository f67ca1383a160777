"""The HTML assessment report in a real browser: offline, interactive, laptop-sized, printable.

Each test opens the rendered report from a ``file://`` URL in headless Chromium and
asserts what a reader would see (element visibility, not markup), that the page raises
no console or script error and that it requests nothing but itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aiwarden.assess.model import Scorecard, Status
from aiwarden.outputs.assessment._html_kit import STATUS_SLUG
from assess_samples import minimal_scorecard, sample_scorecard

ROWS = "details.g > summary"
SCREENSHOT = "assess-report.png"
PRINT_SCREENSHOT = "assess-report-print.png"

OpenReport = Callable[..., tuple[Any, Any]]
"""The ``open_report`` fixture: scorecard -> (page, probe)."""


def by_id(element_id: str) -> str:
    """A CSS selector for an id that may contain dots (``b-SD-3.d``)."""
    return f'[id="{element_id}"]'


def behaviour_with_evidence(scorecard: Scorecard) -> tuple[str, str]:
    """(guideline id, behaviour id) of the first behaviour that has evidence."""
    for guideline in scorecard.guidelines:
        for behaviour in guideline.behaviours:
            if behaviour.evidence:
                return guideline.id, behaviour.id
    raise AssertionError("the scorecard has no evidence")


def overflow(page: Any) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the document."""
    width: list[int] = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return width[0], width[1]


@pytest.mark.parametrize("build", [sample_scorecard, minimal_scorecard])
def test_report_loads_offline_with_every_guideline_visible(
    open_report: OpenReport, build: Any
) -> None:
    page, probe = open_report(build())
    rows = page.locator(ROWS)
    assert rows.count() == 17
    for index in range(17):
        assert rows.nth(index).is_visible()
    assert page.locator("#overview svg.ring").first.is_visible()
    assert page.locator(".controls").is_visible()
    probe.assert_clean()


def test_clicking_a_guideline_shows_its_behaviours_and_evidence(open_report: OpenReport) -> None:
    scorecard = sample_scorecard()
    guideline_id, behaviour_id = behaviour_with_evidence(scorecard)
    page, probe = open_report(scorecard)
    evidence = page.locator(f"{by_id('b-' + behaviour_id)} .ev").first
    assert not evidence.is_visible()
    page.click(f"{by_id('g-' + guideline_id)} > summary")
    assert evidence.is_visible()
    assert page.locator(f"{by_id('b-' + behaviour_id)} .strength").first.is_visible()
    page.click(f"{by_id('g-' + guideline_id)} > summary")
    assert not evidence.is_visible()
    probe.assert_clean()


def test_status_filter_shows_only_guidelines_with_that_status(open_report: OpenReport) -> None:
    scorecard = sample_scorecard()
    page, probe = open_report(scorecard)
    for status in (Status.NOT_MET, Status.MET, Status.NOT_APPLICABLE):
        expected = [f"g-{g.id}" for g in scorecard.guidelines if g.status is status]
        page.click(f'[data-filter="{STATUS_SLUG[status]}"]')
        visible = [
            page.locator(ROWS).nth(i).evaluate("el => el.parentElement.id")
            for i in range(17)
            if page.locator(ROWS).nth(i).is_visible()
        ]
        assert visible == expected
        pressed = page.locator(f'[data-filter="{STATUS_SLUG[status]}"]')
        assert pressed.get_attribute("aria-pressed") == "true"
    page.click('[data-filter="all"]')
    assert sum(page.locator(ROWS).nth(i).is_visible() for i in range(17)) == 17
    probe.assert_clean()


def test_expand_all_and_collapse_all(open_report: OpenReport) -> None:
    page, probe = open_report(sample_scorecard())
    last_behaviour = page.locator("details.g").last.locator("article.b").first
    assert not last_behaviour.is_visible()
    page.click('[data-expand="open"]')
    assert page.evaluate("[...document.querySelectorAll('details.g')].every(d => d.open)")
    assert last_behaviour.is_visible()
    page.click('[data-expand="close"]')
    assert page.evaluate("[...document.querySelectorAll('details.g')].every(d => !d.open)")
    assert not last_behaviour.is_visible()
    probe.assert_clean()


def test_next_step_link_opens_the_drill_down_of_its_finding(open_report: OpenReport) -> None:
    scorecard = sample_scorecard()
    step = next(s for s in scorecard.next_steps if s.finding_fingerprints)
    page, probe = open_report(scorecard)
    target = page.locator(by_id("f-" + step.finding_fingerprints[0]))
    assert not target.is_visible()
    page.locator(f'a.flink[href="#f-{step.finding_fingerprints[0]}"]').first.click()
    assert target.is_visible()
    assert target.evaluate("el => el.closest('details').open")
    probe.assert_clean()


def test_no_horizontal_scrolling_on_a_laptop_screen(
    open_report: OpenReport, artifacts: Path
) -> None:
    scorecard = sample_scorecard()
    page, probe = open_report(scorecard)
    scroll_width, client_width = overflow(page)
    assert scroll_width <= client_width
    page.click('[data-expand="open"]')
    scroll_width, client_width = overflow(page)
    assert scroll_width <= client_width
    page.click('[data-expand="close"]')
    worst = next(g for g in scorecard.guidelines if g.status is Status.NOT_MET)
    page.click(f"{by_id('g-' + worst.id)} > summary")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky bar is drawn where the view is
    page.screenshot(path=str(artifacts / SCREENSHOT), full_page=True)
    probe.assert_clean()


def test_print_shows_every_drill_down_and_hides_the_controls(
    open_report: OpenReport, artifacts: Path
) -> None:
    scorecard = sample_scorecard()
    _, behaviour_id = behaviour_with_evidence(scorecard)
    page, probe = open_report(scorecard)
    page.emulate_media(media="print")
    assert page.locator(f"{by_id('b-' + behaviour_id)} .ev").first.is_visible()
    assert page.locator("details.g").last.locator("article.b").first.is_visible()
    assert not page.locator(".controls").is_visible()
    assert not page.locator("header.top").is_visible()
    page.screenshot(path=str(artifacts / PRINT_SCREENSHOT), full_page=True)
    probe.assert_clean()


def test_everything_is_readable_without_javascript(open_report: OpenReport) -> None:
    scorecard = sample_scorecard()
    guideline_id, behaviour_id = behaviour_with_evidence(scorecard)
    page, probe = open_report(scorecard, javascript=False)
    assert not page.locator(".controls").is_visible()
    assert page.locator(ROWS).count() == 17
    page.click(f"{by_id('g-' + guideline_id)} > summary")
    assert page.locator(f"{by_id('b-' + behaviour_id)} .ev").first.is_visible()
    probe.assert_clean()


@pytest.mark.parametrize("example", ["chatbot", "chatbot-hardened"])
def test_the_bundled_examples_real_reports(
    open_report: OpenReport, artifacts: Path, tmp_path: Path, example: str
) -> None:
    """The real assessments of both examples render cleanly; screenshots are kept."""
    import datetime as dt
    import shutil

    from aiwarden.assess.run import AssessOptions, run_assessment
    from aiwarden.engine.config import load_settings

    copy = tmp_path / example
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / example, copy)
    scorecard = run_assessment(
        AssessOptions(copy, load_settings([copy], env={}), today=dt.date(2026, 11, 26))
    )
    page, probe = open_report(scorecard, name=example)
    assert page.locator(ROWS).count() == 17
    worst = next(
        (g for g in scorecard.guidelines if g.status in (Status.NOT_MET, Status.PARTLY_MET)),
        scorecard.guidelines[0],
    )
    behaviour = next((b for b in worst.behaviours if b.findings or b.evidence), None)
    assert behaviour is not None
    target = page.locator(by_id(f"b-{behaviour.id}"))
    assert not target.is_visible()
    page.locator(by_id(f"g-{worst.id}")).locator("summary").first.click()
    assert target.is_visible()
    page.screenshot(path=str(artifacts / f"example-{example}.png"), full_page=False)
    probe.assert_clean()
