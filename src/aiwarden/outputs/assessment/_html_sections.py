"""The later sections of the HTML report: next steps, attestations, profile, scan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Final

from aiwarden.assess.model import Attestation, AttestationState, FindingRef, NextStep, Scorecard
from aiwarden.outputs.assessment._html_kit import (
    KNOWN_SEVERITIES,
    Ctx,
    anchor,
    attestation_badge,
    esc,
    esc_line,
    location_text,
    severity_badge,
    url_link,
)

MAX_STEP_FINDINGS: Final = 10
"""Finding links shown per next step; the rest are counted."""


def _section(slug: str, title: str, body: str, sub: str = "") -> str:
    sub_html = f'<p class="sec-sub">{sub}</p>' if sub else ""
    return (
        f'<section id="{slug}" class="card"><div class="sec-head"><h2>{title}</h2>'
        f"{sub_html}</div>{body}</section>"
    )


def _findings_by_fingerprint(scorecard: Scorecard) -> dict[str, FindingRef]:
    found: dict[str, FindingRef] = {}
    for guideline in scorecard.guidelines:
        for finding in guideline.findings:
            found.setdefault(finding.fingerprint, finding)
        for behaviour in guideline.behaviours:
            for finding in behaviour.findings:
                found.setdefault(finding.fingerprint, finding)
    return found


def _step_links(ctx: Ctx, step: NextStep, findings: dict[str, FindingRef], known: set[str]) -> str:
    parts = []
    refs = [
        f'<a href="#{esc(anchor("b-", b))}">{esc_line(b)}</a>' if b in known else esc_line(b)
        for b in step.behaviours
    ]
    if refs:
        parts.append(f'<span class="lbl">Behaviours</span> {" ".join(refs)}')
    links = []
    for fingerprint in step.finding_fingerprints[:MAX_STEP_FINDINGS]:
        href, finding = ctx.anchors.href(fingerprint), findings.get(fingerprint)
        if href is None or finding is None:
            links.append(f'<code class="muted">{esc_line(fingerprint[:16])}</code>')
            continue
        text = f"{finding.rule_id} {location_text(finding.path, finding.line)}"
        links.append(f'<a class="flink" href="{esc(href)}">{esc_line(text)}</a>')
    more = len(step.finding_fingerprints) - MAX_STEP_FINDINGS
    if more > 0:
        links.append(f'<span class="muted">+{more} more</span>')
    if links:
        parts.append(f'<span class="lbl">Findings</span> {" ".join(links)}')
    return f'<div class="step-links">{"".join(f"<div>{p}</div>" for p in parts)}</div>'


def next_steps(ctx: Ctx, scorecard: Scorecard) -> str:
    """The prioritised actions, each linked to the behaviours and findings behind it."""
    if not scorecard.next_steps:
        return _section("next-steps", "Next steps", '<p class="empty">Nothing to do.</p>')
    findings = _findings_by_fingerprint(scorecard)
    known = {b.id for g in scorecard.guidelines for b in g.behaviours}
    items = []
    for rank, step in enumerate(scorecard.next_steps, 1):
        points = round(step.gain * 100)
        shown = str(points) if points >= 1 else "<1"
        gain = (
            f'<div class="step-gain" title="Raises the overall score by {step.gain * 100:.1f}'
            f' points">'
            f"<b>+{esc(shown)}</b><small>points overall</small></div>"
            if step.gain > 0
            else ""
        )
        items.append(
            f'<li class="step"><span class="step-rank" aria-hidden="true">{rank}</span>'
            f'<div class="step-body"><h3>{esc_line(step.title)}</h3>'
            f'<p class="step-detail">{esc(step.detail)}</p>'
            f"{_step_links(ctx, step, findings, known)}</div>{gain}</li>"
        )
    sub = "Ranked by how much of the scorecard each step would move."
    return _section("next-steps", "Next steps", f'<ol class="steps">{"".join(items)}</ol>', sub)


def _attestations(scorecard: Scorecard) -> Iterator[tuple[str, Attestation]]:
    for guideline in scorecard.guidelines:
        for behaviour in guideline.behaviours:
            if behaviour.attestation is not None:
                yield behaviour.id, behaviour.attestation


def _attestation_row(behaviour_id: str, att: Attestation) -> str:
    link = url_link(att.evidence_url) or '<span class="muted">\u2014</span>'
    source = f'<br><code class="src">{esc_line(att.source)}</code>' if att.source else ""
    dash = '<span class="muted">\u2014</span>'
    href = esc(anchor("b-", behaviour_id))
    return (
        f'<tr class="att-row"><td><a href="#{href}">'
        f"{esc_line(behaviour_id)}</a></td><td>{esc(att.statement)}{source}</td>"
        f"<td>{esc_line(att.attested_by) or dash}</td>"
        f'<td class="date">{esc_line(att.date) if att.date else dash}</td>'
        f'<td class="date">{esc_line(att.expires) if att.expires else dash}</td>'
        f"<td>{attestation_badge(att.state)}</td>"
        f'<td class="url">{link}</td></tr>'
    )


def attestations(scorecard: Scorecard) -> str:
    """Every attestation the assessment read or asks for, and rejected entries."""
    rows = list(_attestations(scorecard))
    if scorecard.attestations_file:
        sub = f"Read from <code>{esc_line(scorecard.attestations_file)}</code>."
    else:
        sub = "No attestations file was found; <code>aiwarden attest init</code> writes one."
    counts = Counter(att.state for _, att in rows)
    chips = " ".join(
        f"{attestation_badge(s)} <b>{counts[s]}</b>" for s in AttestationState if counts[s]
    )
    body = f'<p class="att-counts">{chips}</p>' if chips else ""
    if rows:
        body += (
            '<div class="tscroll"><table class="tbl att-tbl"><thead><tr><th>Behaviour</th>'
            "<th>Statement</th><th>Attested by</th><th>Signed</th><th>Expires</th>"
            "<th>State</th><th>Evidence</th></tr></thead><tbody>"
            f"{''.join(_attestation_row(b, a) for b, a in rows)}</tbody></table></div>"
        )
    else:
        body += '<p class="empty">No behaviour has an attestation.</p>'
    if scorecard.attestation_problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in scorecard.attestation_problems)
        body += f'<div class="banner banner-warn"><b>Needs attention</b><ul>{items}</ul></div>'
    return _section("attestations", "Attestations", body, sub)


def profile(scorecard: Scorecard) -> str:
    """The project traits that decide which behaviours apply."""
    if not scorecard.profile:
        return _section("profile", "Project profile", '<p class="empty">No traits.</p>')
    rows = "".join(
        f'<tr><td><code>{esc_line(flag.name)}</code></td><td><span class="yn yn-'
        f'{"yes" if flag.value else "no"}">{"Yes" if flag.value else "No"}</span></td>'
        f'<td><span class="src-pill src-{"config" if flag.source == "config" else "detected"}">'
        f"{esc_line(flag.source)}</span></td><td>{esc(flag.reason)}</td></tr>"
        for flag in scorecard.profile
    )
    body = (
        '<div class="tscroll"><table class="tbl"><thead><tr><th>Trait</th><th>Value</th>'
        f"<th>Source</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
    sub = "Traits decide which behaviours apply; set them in the config to override."
    return _section("profile", "Project profile", body, sub)


def scan_details(scorecard: Scorecard) -> str:
    """What the underlying scan covered."""
    scan = scorecard.scan
    counts = scan.findings_by_severity
    keys: list[str] = [k for k in KNOWN_SEVERITIES if k in counts]
    keys += sorted(k for k in counts if k not in KNOWN_SEVERITIES)
    sev = "".join(f"<div><dt>{severity_badge(k)}</dt><dd>{counts[k]}</dd></div>" for k in keys)
    body = (
        '<dl class="facts">'
        f"<div><dt>Files scanned</dt><dd>{scan.files_scanned}</dd></div>"
        f"<div><dt>Files failed</dt><dd>{scan.files_failed}</dd></div>"
        f"<div><dt>Complete</dt><dd>{'yes' if scan.complete else 'no'}</dd></div>"
        f"<div><dt>Suppressed findings</dt><dd>{scan.suppressed}</dd></div>"
        f"{sev}</dl>"
    )
    return _section("scan", "Scan", body, "The scan the assessment is based on.")
