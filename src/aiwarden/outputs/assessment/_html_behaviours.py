"""The drill-down of one behaviour: status, reason, evidence, findings and attestation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from aiwarden.assess.model import (
    Attestation,
    AttestationState,
    BehaviourResult,
    Evidence,
    FindingRef,
    Status,
)
from aiwarden.outputs.assessment._html_kit import (
    STATUS_SLUG,
    Ctx,
    anchor,
    attestation_badge,
    esc,
    esc_line,
    file_link,
    polarity_mark,
    severity_badge,
    status_badge,
    strength_badge,
    url_link,
)

MAX_FINDINGS: Final = 100
"""Findings listed per behaviour or guideline; the rest are counted (the JSON has all)."""
MAX_EVIDENCE: Final = 50
"""Evidence items listed per behaviour."""
MAX_PATHS: Final = 20
"""File links per evidence item."""


def finding_item(ctx: Ctx, finding: FindingRef) -> str:
    """One finding: severity, rule, location link and message."""
    fid = ctx.anchors.place(finding.fingerprint)
    id_attr = f' id="{esc(fid)}"' if fid else ""
    return (
        f'<li class="f"{id_attr}><div class="f-head">{severity_badge(finding.severity)}'
        f'<code class="rule">{esc_line(finding.rule_id)}</code>'
        f'<span class="f-title">{esc_line(finding.title)}</span>'
        f'<span class="f-loc">{file_link(ctx.link_base, finding.path, finding.line)}</span>'
        f'</div><p class="f-msg">{esc(finding.message)}</p></li>'
    )


def findings_list(ctx: Ctx, findings: Sequence[FindingRef], heading: str) -> str:
    """A titled list of findings, capped at :data:`MAX_FINDINGS`."""
    if not findings:
        return ""
    items = "".join(finding_item(ctx, f) for f in findings[:MAX_FINDINGS])
    more = len(findings) - MAX_FINDINGS
    tail = (
        f'<li class="more">\u2026 and {more} more finding(s), listed in the JSON report.</li>'
        if more > 0
        else ""
    )
    return (
        f'<div class="b-sec"><h5>{esc(heading)} <span class="n">{len(findings)}</span></h5>'
        f'<ul class="flist">{items}{tail}</ul></div>'
    )


def _paths(ctx: Ctx, paths: Sequence[str]) -> str:
    if not paths:
        return ""
    links = [file_link(ctx.link_base, p) for p in paths[:MAX_PATHS]]
    if len(paths) > MAX_PATHS:
        links.append(f'<span class="muted">+{len(paths) - MAX_PATHS} more</span>')
    return f'<span class="ev-paths">{" ".join(links)}</span>'


def _evidence_item(ctx: Ctx, evidence: Evidence) -> str:
    return (
        f'<li class="ev ev-{evidence.polarity.value}"><div class="ev-head">'
        f"{polarity_mark(evidence.polarity)}{strength_badge(evidence.strength)}"
        f'<span class="ev-sum">{esc(evidence.summary)}</span></div>'
        f'<div class="ev-meta"><code class="check">{esc_line(evidence.check)}</code>'
        f"{_paths(ctx, evidence.paths)}</div></li>"
    )


def evidence_list(ctx: Ctx, evidence: Sequence[Evidence]) -> str:
    """The evidence of one behaviour, capped at :data:`MAX_EVIDENCE`."""
    if not evidence:
        return ""
    items = "".join(_evidence_item(ctx, e) for e in evidence[:MAX_EVIDENCE])
    more = len(evidence) - MAX_EVIDENCE
    if more > 0:
        items += f'<li class="more">\u2026 and {more} more evidence item(s).</li>'
    return (
        f'<div class="b-sec"><h5>Evidence <span class="n">{len(evidence)}</span></h5>'
        f'<ul class="evlist">{items}</ul></div>'
    )


def attestation_meta(attestation: Attestation) -> str:
    """``by X · signed D · expires E · source`` for an attestation."""
    parts = []
    if attestation.attested_by:
        parts.append(f"by <b>{esc_line(attestation.attested_by)}</b>")
    if attestation.date:
        parts.append(f"signed {esc_line(attestation.date)}")
    if attestation.expires:
        parts.append(f"expires {esc_line(attestation.expires)}")
    if attestation.source:
        parts.append(f'<code class="src">{esc_line(attestation.source)}</code>')
    return " \u00b7 ".join(parts)


def _attestation(behaviour: BehaviourResult) -> str:
    attestation, prompt = behaviour.attestation, behaviour.attestation_prompt
    if attestation is None:
        if not prompt:
            return ""
        return (
            '<div class="b-sec att-box att-box-hint"><h5>Attestation</h5>'
            f'<p class="att-prompt">A person can attest: <q>{esc(prompt)}</q></p></div>'
        )
    if attestation.state is AttestationState.MISSING:
        return (
            '<div class="b-sec att-box att-box-missing"><h5>Attestation '
            f"{attestation_badge(AttestationState.MISSING)}</h5>"
            '<p class="att-prompt">The attestations file has no entry for: '
            f"<q>{esc(prompt or attestation.statement)}</q></p></div>"
        )
    link = url_link(attestation.evidence_url)
    link_html = f'<p class="att-link">Evidence: {link}</p>' if link else ""
    return (
        f'<div class="b-sec att-box att-box-{attestation.state.value}"><h5>Attestation '
        f"{attestation_badge(attestation.state)}</h5>"
        f'<p class="att-stmt"><q>{esc(attestation.statement)}</q></p>'
        f'<p class="att-meta">{attestation_meta(attestation)}</p>{link_html}</div>'
    )


def behaviour_block(ctx: Ctx, behaviour: BehaviourResult) -> str:
    """The card of one behaviour inside its guideline's drill-down."""
    slug = STATUS_SLUG[behaviour.status]
    body = ""
    if behaviour.status is not Status.NOT_APPLICABLE or behaviour.evidence or behaviour.findings:
        body = (
            evidence_list(ctx, behaviour.evidence)
            + findings_list(ctx, behaviour.findings, "Findings")
            + _attestation(behaviour)
        )
    return (
        f'<article class="b st-{slug}" id="{esc(anchor("b-", behaviour.id))}" '
        f'data-status="{slug}"><header class="b-head">'
        f'<span class="b-id">{esc_line(behaviour.id)}</span>'
        f'<span class="b-text">{esc_line(behaviour.text)}</span>'
        f"{status_badge(behaviour.status, small=True)}</header>"
        f'<p class="b-reason">{esc(behaviour.reason)}</p>{body}</article>'
    )
