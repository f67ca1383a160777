"""The table of the 17 guidelines, grouped by area, each row opening its drill-down.

Each row is a ``<details>`` element whose ``<summary>`` is the table row, so the
drill-down works without JavaScript; the script only adds the status filter and
"expand all / collapse all" (the controls stay hidden until it runs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aiwarden.assess.model import GuidelineResult, Scorecard, Status
from aiwarden.outputs.assessment._html_behaviours import behaviour_block, findings_list
from aiwarden.outputs.assessment._html_chart import counts_words, score_band, status_bar
from aiwarden.outputs.assessment._html_kit import (
    STATUS_LABEL,
    STATUS_ORDER,
    STATUS_SLUG,
    Ctx,
    anchor,
    esc,
    esc_line,
    percent,
    status_badge,
)


def _finding_count(guideline: GuidelineResult) -> int:
    distinct = {f.fingerprint for f in guideline.findings}
    for behaviour in guideline.behaviours:
        distinct.update(f.fingerprint for f in behaviour.findings)
    return len(distinct)


def _behaviour_summary(guideline: GuidelineResult) -> str:
    counts = Counter(b.status for b in guideline.behaviours)
    applicable = sum(n for s, n in counts.items() if s is not Status.NOT_APPLICABLE)
    met = counts[Status.MET]
    words = f"{met} of {applicable} met" if applicable else "none applies"
    label = f"Behaviours of {guideline.id}"
    return (
        f'<span class="g-beh" title="{esc(counts_words(counts))}">'
        f'{status_bar(counts, label)}<span class="g-beh-n">{esc(words)}</span></span>'
    )


def _row(guideline: GuidelineResult) -> str:
    found = _finding_count(guideline)
    found_cls = " has" if found else ""
    found_txt = f"{found} finding{'s' if found != 1 else ''}" if found else "no findings"
    return (
        '<summary class="g-row"><span class="chev" aria-hidden="true"></span>'
        f'<span class="g-id">{esc_line(guideline.id)}</span>'
        f'<span class="g-title">{esc_line(guideline.title)}</span>'
        f"{_behaviour_summary(guideline)}"
        f'<span class="g-find{found_cls}">{found_txt}</span>'
        f'<span class="g-score sc-{score_band(guideline.score)}">{percent(guideline.score)}</span>'
        f'<span class="g-status">{status_badge(guideline.status)}</span></summary>'
    )


def guideline_details(ctx: Ctx, guideline: GuidelineResult) -> str:
    """One row of the table with its drill-down (behaviours, guideline-level findings)."""
    slug = STATUS_SLUG[guideline.status]
    behaviours = "".join(behaviour_block(ctx, b) for b in guideline.behaviours)
    general = findings_list(ctx, guideline.findings, "Findings for the guideline as a whole")
    return (
        f'<details class="g st-{slug}" id="{esc(anchor("g-", guideline.id))}" '
        f'data-status="{slug}">{_row(guideline)}<div class="g-body">'
        f'<div class="blist">{behaviours}</div>{general}</div></details>'
    )


def _groups(scorecard: Scorecard) -> list[tuple[str, str, list[GuidelineResult]]]:
    """(area id, title, guidelines) in area order; unknown areas last, as 'Other'."""
    groups: dict[str, tuple[str, str, list[GuidelineResult]]] = {
        a.id: (a.id, a.title, []) for a in scorecard.areas
    }
    other: list[GuidelineResult] = []
    for guideline in scorecard.guidelines:
        group = groups.get(guideline.area_id)
        (group[2] if group else other).append(guideline)
    result = [g for g in groups.values() if g[2]]
    if other:
        result.append(("other", "Other guidelines", other))
    return result


def controls(guidelines: Sequence[GuidelineResult]) -> str:
    """Filter and expand/collapse buttons (hidden until the script shows them)."""
    counts = Counter(g.status for g in guidelines)
    buttons = [
        '<button type="button" class="chip" data-filter="all" aria-pressed="true">'
        f'All <span class="n">{len(guidelines)}</span></button>'
    ]
    buttons += [
        f'<button type="button" class="chip chip-{STATUS_SLUG[s]}" '
        f'data-filter="{STATUS_SLUG[s]}" aria-pressed="false">'
        f'<span class="dot fill-{STATUS_SLUG[s]}" aria-hidden="true"></span>'
        f'{STATUS_LABEL[s]} <span class="n">{counts[s]}</span></button>'
        for s in STATUS_ORDER
        if counts[s]
    ]
    return (
        '<div class="controls" data-js-only hidden>'
        '<div class="filters" role="group" aria-label="Show guidelines by status">'
        f"{''.join(buttons)}</div>"
        '<div class="expanders"><button type="button" class="btn" data-expand="open">'
        'Expand all</button><button type="button" class="btn" data-expand="close">'
        'Collapse all</button></div></div><p class="filter-empty" hidden>'
        "No guideline has this status.</p>"
    )


_HEADER = (
    '<div class="g-cols" aria-hidden="true"><span></span><span>ID</span>'
    "<span>Guideline</span><span>Behaviours</span><span>Findings</span>"
    "<span>Score</span><span>Status</span></div>"
)


def guidelines_section(ctx: Ctx, scorecard: Scorecard) -> str:
    """The section with the filter controls and the grouped guideline table."""
    groups = "".join(
        f'<div class="area-group" data-area="{esc(area_id)}">'
        f'<h3 class="area-head"><span class="area-code">{esc_line(area_id)}</span>'
        f"{esc_line(title)}</h3>"
        f"{''.join(guideline_details(ctx, g) for g in guidelines)}</div>"
        for area_id, title, guidelines in _groups(scorecard)
    )
    return (
        '<section id="guidelines" class="card"><div class="sec-head">'
        '<h2>Guidelines</h2><p class="sec-sub">Select a guideline to see how each '
        "behaviour was judged and the evidence behind it.</p></div>"
        f'{controls(scorecard.guidelines)}<div class="gtable">{_HEADER}{groups}</div></section>'
    )
