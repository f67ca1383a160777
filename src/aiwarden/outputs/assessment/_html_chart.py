"""Inline SVG charts of the HTML report: score rings, status bars and the trend line.

Charts carry no text of their own that a screen reader would miss: each has
``role="img"`` and an ``aria-label`` in words, and every number is also printed
beside it as text. Only numbers and fixed class names go into the SVG markup.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from aiwarden.assess.model import Status
from aiwarden.outputs.assessment._html_kit import (
    STATUS_LABEL,
    STATUS_ORDER,
    STATUS_SLUG,
    esc,
    percent,
)


def score_band(score: float | None) -> str:
    """The colour band of a score: ``good`` (80%+), ``fair`` (50%+), ``poor`` or ``none``."""
    if score is None:
        return "none"
    if score >= 0.8:
        return "good"
    return "fair" if score >= 0.5 else "poor"


def _num(value: float) -> str:
    """A coordinate with two decimals, so that output is stable across platforms."""
    return f"{value:.2f}"


def score_ring(score: float | None, size: int, label: str) -> str:
    """A ring filled to ``score`` with the percentage in its centre."""
    radius = 42.0
    circumference = 2 * math.pi * radius
    filled = 0.0 if score is None else max(0.0, min(1.0, score)) * circumference
    aria = esc(f"{label}: {percent(score)}")
    return (
        f'<svg class="ring ring-{score_band(score)}" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100" role="img" aria-label="{aria}">'
        f'<circle class="ring-track" cx="50" cy="50" r="{radius:.0f}"/>'
        f'<circle class="ring-fill" cx="50" cy="50" r="{radius:.0f}" '
        f'stroke-dasharray="{_num(filled)} {_num(circumference)}" '
        'transform="rotate(-90 50 50)"/>'
        f'<text x="50" y="50" class="ring-text" text-anchor="middle" '
        f'dominant-baseline="central">{percent(score)}</text></svg>'
    )


def counts_words(counts: Mapping[Status, int]) -> str:
    """``2 not met, 1 met`` (statuses with a count, in legend order)."""
    parts = [f"{counts[s]} {STATUS_LABEL[s].lower()}" for s in STATUS_ORDER if counts.get(s)]
    return ", ".join(parts) if parts else "none"


def status_bar(counts: Mapping[Status, int], label: str) -> str:
    """A horizontal bar split by status in proportion to ``counts``."""
    total = sum(counts.get(s, 0) for s in STATUS_ORDER)
    aria = esc(f"{label}: {counts_words(counts)}")
    rects: list[str] = []
    x = 0.0
    for status in STATUS_ORDER:
        count = counts.get(status, 0)
        if not count or not total:
            continue
        width = 100.0 * count / total
        rects.append(
            f'<rect class="fill-{STATUS_SLUG[status]}" x="{_num(x)}" y="0" '
            f'width="{_num(width)}" height="10"/>'
        )
        x += width
    if not rects:
        rects.append('<rect class="fill-empty" x="0" y="0" width="100" height="10"/>')
    return (
        f'<svg class="sbar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{aria}">{"".join(rects)}</svg>'
    )


def legend(counts: Mapping[Status, int]) -> str:
    """The text legend beside a status bar (every status with a count)."""
    items = [
        f'<li><span class="dot fill-{STATUS_SLUG[s]}" aria-hidden="true"></span>'
        f"<b>{counts[s]}</b> {STATUS_LABEL[s].lower()}</li>"
        for s in STATUS_ORDER
        if counts.get(s)
    ]
    return f'<ul class="legend">{"".join(items)}</ul>'


def trend_line(points: Sequence[tuple[str, float | None]]) -> str:
    """Overall score across assessments (oldest first), None scores left out."""
    width, height, left, pad = 560.0, 120.0, 44.0, 12.0
    known = [(i, s) for i, (_, s) in enumerate(points) if s is not None]
    if not known:
        return ""
    step = (width - left - pad) / max(1, len(points) - 1)

    def y_of(fraction: float) -> str:
        return _num(height - pad - max(0.0, min(1.0, fraction)) * (height - 2 * pad))

    coords = [(_num(left + i * step), y_of(s)) for i, s in known]
    grid = "".join(
        f'<line class="grid" x1="{_num(left)}" x2="{_num(width - pad)}" '
        f'y1="{y_of(f)}" y2="{y_of(f)}"/><text class="axis" x="{_num(left - 8)}" '
        f'y="{y_of(f)}" text-anchor="end" dominant-baseline="central">{percent(f)}</text>'
        for f in (0.0, 0.5, 1.0)
    )
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    dots = "".join(f'<circle class="pt" cx="{x}" cy="{y}" r="4"/>' for x, y in coords)
    words = "; ".join(f"{date}: {percent(score)}" for date, score in points)
    return (
        f'<svg class="trend" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{esc("Overall score over time: " + words)}">{grid}'
        f'<polyline class="line" points="{polyline}"/>{dots}</svg>'
    )
