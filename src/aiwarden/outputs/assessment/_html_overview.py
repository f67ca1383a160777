"""The top of the HTML report: masthead, scan banners and the overview chart."""

from __future__ import annotations

from collections import Counter
from typing import Final

from aiwarden.assess.model import AreaResult, Scorecard, Status
from aiwarden.outputs.assessment._html_chart import legend, score_ring, status_bar
from aiwarden.outputs.assessment._html_kit import (
    KNOWN_SEVERITIES,
    esc,
    esc_line,
    human_time,
    percent,
    severity_badge,
)

LOGO: Final = (
    '<svg class="logo" width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5z" fill="currentColor"/>'
    '<path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="#0b1f33" stroke-width="2" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)


def _nav(scorecard: Scorecard) -> str:
    links = [
        ("overview", "Overview"),
        ("next-steps", "Next steps"),
        ("guidelines", "Guidelines"),
        ("attestations", "Attestations"),
        ("profile", "Profile"),
    ]
    if scorecard.history:
        links.append(("trend", "Trend"))
    links.append(("scan", "Scan"))
    items = "".join(f'<a href="#{slug}">{label}</a>' for slug, label in links)
    return f'<nav class="nav" aria-label="Sections">{items}</nav>'


def _scan_state(complete: bool, failed: int) -> str:
    if complete:
        return "<dd>complete</dd>"
    return f'<dd class="warn">incomplete ({failed} failed)</dd>'


def masthead(scorecard: Scorecard) -> str:
    """The sticky bar (brand, section links) and the title block."""
    scan = scorecard.scan
    findings = sum(scan.findings_by_severity.values())
    return (
        f'<header class="top"><div class="top-inner"><div class="brand">{LOGO}'
        '<span class="brand-name">aiwarden</span><span class="brand-sub">'
        "Secure AI guidelines assessment</span></div>"
        f"{_nav(scorecard)}</div></header>"
        '<div class="hero"><div class="wrap"><p class="kicker">Assessment against the '
        "NCSC/CISA Guidelines for Secure AI System Development</p>"
        f'<h1>{esc_line(scorecard.project)}</h1><dl class="meta">'
        f'<div><dt>Generated</dt><dd><time datetime="{esc(scorecard.generated_at)}">'
        f"{esc_line(human_time(scorecard.generated_at))}</time></dd></div>"
        f"<div><dt>aiwarden</dt><dd>{esc_line(scorecard.tool_version)}</dd></div>"
        f"<div><dt>Files scanned</dt><dd>{scan.files_scanned}</dd></div>"
        f"<div><dt>Active findings</dt><dd>{findings}</dd></div>"
        f"<div><dt>Scan</dt>{_scan_state(scan.complete, scan.files_failed)}</div>"
        "</dl></div></div>"
    )


def banners(scorecard: Scorecard) -> str:
    """The incomplete-scan warning and the assessment's warnings, if any."""
    parts = []
    scan = scorecard.scan
    if not scan.complete:
        parts.append(
            '<div class="banner banner-warn" role="alert"><b>Incomplete scan.</b> '
            f"{scan.files_failed} file(s) could not be scanned. Findings in them are "
            "missing, so some statuses may look better than they are. See "
            '<a href="#scan">scan details</a>.</div>'
        )
    if scorecard.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in scorecard.warnings)
        parts.append(f'<div class="banner banner-info"><b>Warnings</b><ul>{items}</ul></div>')
    return "".join(parts)


def _area_card(area: AreaResult, counts: Counter[Status]) -> str:
    total = sum(counts.values())
    return (
        f'<div class="area-card"><div class="ac-ring">'
        f"{score_ring(area.score, 76, area.title + ' score')}</div>"
        f'<div class="ac-body"><h3><span class="area-code">{esc_line(area.id)}</span>'
        f"{esc_line(area.title)}</h3>"
        f"{status_bar(counts, area.title + ' guidelines')}"
        f'<p class="ac-n">{total} guideline{"s" if total != 1 else ""}</p>'
        f"{legend(counts)}</div></div>"
    )


def _trend_chip(scorecard: Scorecard) -> str:
    previous = scorecard.history[-1] if scorecard.history else None
    if previous is None or previous.score is None or scorecard.score is None:
        return ""
    delta = round((scorecard.score - previous.score) * 100)
    direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
    arrow = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25cf"}[direction]
    return (
        f'<a class="delta delta-{direction}" href="#trend"><span aria-hidden="true">'
        f"{arrow}</span> {delta:+d} points since {esc_line(human_time(previous.generated_at))}</a>"
    )


def _severity_summary(scorecard: Scorecard) -> str:
    counts = scorecard.scan.findings_by_severity
    keys: list[str] = [k for k in KNOWN_SEVERITIES if counts.get(k)]
    keys += sorted(k for k in counts if k not in KNOWN_SEVERITIES and counts[k])
    if not keys:
        return '<p class="ov-sev muted">No active scan findings.</p>'
    items = " ".join(f"{severity_badge(k)}<b>{counts[k]}</b>" for k in keys)
    return f'<p class="ov-sev">Scan findings: {items}</p>'


def overview(scorecard: Scorecard) -> str:
    """The overall score ring, the status bar of all guidelines and the four area cards."""
    counts = Counter(g.status for g in scorecard.guidelines)
    applicable = sum(1 for g in scorecard.guidelines if g.score is not None)
    by_id = {g.id: g for g in scorecard.guidelines}
    cards = "".join(
        _area_card(a, Counter(by_id[i].status for i in a.guideline_ids if i in by_id))
        for a in scorecard.areas
    )
    return (
        '<section id="overview" class="card overview"><div class="ov-main">'
        f'<div class="ov-ring">{score_ring(scorecard.score, 140, "Overall score")}</div>'
        '<div class="ov-text"><h2>Overall score</h2>'
        f'<p class="ov-lead"><b>{percent(scorecard.score)}</b> across {applicable} '
        f"applicable guideline{'s' if applicable != 1 else ''} of "
        f"{len(scorecard.guidelines)}. Met counts 1, partly met \u00bd, "
        "anything else 0.</p>"
        f"{_trend_chip(scorecard)}"
        f"{status_bar(counts, 'All guidelines')}{legend(counts)}"
        f"{_severity_summary(scorecard)}</div></div>"
        f'<div class="areas">{cards}</div></section>'
    )
