"""The trend section: this assessment against the ones recorded with ``--history``."""

from __future__ import annotations

from aiwarden.assess.model import Scorecard, Status
from aiwarden.outputs.assessment._html_chart import trend_line
from aiwarden.outputs.assessment._html_kit import (
    anchor,
    esc,
    esc_line,
    human_time,
    percent,
    status_badge,
)

_BY_VALUE = {s.value: s for s in Status}


def _status_cell(value: str | None) -> str:
    if value is None:
        return '<span class="muted">not assessed</span>'
    status = _BY_VALUE.get(value)
    return status_badge(status, small=True) if status else esc_line(value)


def _change(before: str | None, now: Status) -> tuple[str, str]:
    """(css class, words) of a guideline's status change."""
    old = _BY_VALUE.get(before or "")
    if old is None or old.points == now.points:
        return "chg", "\u25cf changed"
    return ("up", "\u25b2 improved") if now.points > old.points else ("down", "\u25bc regressed")


def _changes(scorecard: Scorecard) -> str:
    previous = scorecard.history[-1].statuses
    rows = []
    for guideline in scorecard.guidelines:
        before = previous.get(guideline.id)
        if before == guideline.status.value:
            continue
        cls, words = _change(before, guideline.status)
        rows.append(
            f'<tr><td><a href="#{esc(anchor("g-", guideline.id))}">{esc_line(guideline.id)}'
            f"</a> {esc_line(guideline.title)}</td><td>{_status_cell(before)}</td>"
            f"<td>{status_badge(guideline.status, small=True)}</td>"
            f'<td><span class="chg chg-{cls}">{words}</span></td></tr>'
        )
    unchanged = len(scorecard.guidelines) - len(rows)
    note = f'<p class="muted">{unchanged} guideline(s) unchanged.</p>'
    if not rows:
        return note
    return (
        '<div class="tscroll"><table class="tbl"><thead><tr><th>Guideline</th>'
        "<th>Before</th><th>Now</th><th>Change</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>{note}"
    )


def trend(scorecard: Scorecard) -> str:
    """Previous score against now, the score line, and per-guideline changes; '' without history."""
    if not scorecard.history:
        return ""
    previous = scorecard.history[-1]
    points = [(p.generated_at, p.score) for p in scorecard.history]
    points.append((scorecard.generated_at, scorecard.score))
    history_items = "".join(
        f"<li><span>{esc_line(human_time(date))}</span><b>{percent(score)}</b></li>"
        for date, score in points
    )
    return (
        '<section id="trend" class="card"><div class="sec-head"><h2>Trend</h2>'
        f'<p class="sec-sub">Compared with the previous assessment of '
        f"{esc_line(human_time(previous.generated_at))}.</p></div>"
        '<div class="trend-top"><div class="trend-nums"><div><span class="lbl">Previous</span>'
        f'<b>{percent(previous.score)}</b></div><div class="arrow" aria-hidden="true">'
        f'\u2192</div><div><span class="lbl">Now</span><b>{percent(scorecard.score)}</b></div>'
        f'</div><div class="trend-chart">{trend_line(points)}'
        f'<ol class="trend-pts">{history_items}</ol></div></div>'
        f"<h3>Guidelines that changed</h3>{_changes(scorecard)}</section>"
    )
