"""The self-contained HTML scorecard: structure, no outside resources, escaping, links."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from aiwarden.assess.model import (
    AttestationState,
    BehaviourResult,
    FindingRef,
    GuidelineResult,
    ScanSummary,
    Scorecard,
    Status,
)
from aiwarden.core.catalogue import load_catalogue
from aiwarden.outputs.assessment.html import HtmlRenderer
from assess_samples import finding, minimal_scorecard, sample_scorecard

# Tags whose src/href/data the browser fetches on its own (not links a person clicks).
RESOURCE_ATTRS = {
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "frame": "src",
    "embed": "src",
    "object": "data",
    "source": "src",
    "audio": "src",
    "video": "src",
    "track": "src",
    "input": "src",
    "image": "href",
    "use": "href",
    "base": "href",
}


class Page(HTMLParser):
    """A parsed report: elements with attributes, text, and the bodies of script/style."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)

    def all(self, tag: str, **match: str) -> list[dict[str, str]]:
        """Attributes of every ``tag`` whose attributes contain ``match`` (class: a word)."""
        found = []
        for name, attrs in self.elements:
            if name != tag:
                continue
            ok = all(
                v in attrs.get("class", "").split() if k == "cls" else attrs.get(k) == v
                for k, v in match.items()
            )
            if ok:
                found.append(attrs)
        return found

    @property
    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if "id" in a]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def render(scorecard: Scorecard, link_base: str = "") -> tuple[str, Page]:
    html = HtmlRenderer(link_base).render(scorecard)
    return html, Page(html)


@pytest.fixture(scope="module")
def sample() -> tuple[str, Page]:
    return render(sample_scorecard())


def test_every_guideline_and_behaviour_has_a_row_with_its_status(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    catalogue = load_catalogue()
    rows = page.all("details", cls="g")
    assert [r["id"] for r in rows] == [f"g-{g.id}" for g in catalogue.guidelines]
    card = sample_scorecard()
    assert [r["data-status"] for r in rows] == [
        {"met": "met", "partly met": "partly", "not met": "notmet"}.get(
            g.status.value, "attest" if g.status is Status.NEEDS_ATTESTATION else "na"
        )
        for g in card.guidelines
    ]
    behaviour_ids = [a["id"] for a in page.all("article", cls="b")]
    assert behaviour_ids == [f"b-{b.id}" for g in catalogue.guidelines for b in g.behaviours]
    for status in ("Met", "Partly met", "Not met", "Needs attestation", "Not applicable"):
        assert status in page.all_text


def test_overview_has_an_svg_chart_per_area_and_the_overall_score(sample) -> None:  # type: ignore[no-untyped-def]
    html, page = sample
    card = sample_scorecard()
    labels = [a.get("aria-label", "") for a in page.all("svg", role="img")]
    for area in card.areas:
        assert any(label.startswith(f"{area.title} score:") for label in labels)
        assert any(label.startswith(f"{area.title} guidelines:") for label in labels)
    overall = f"{round(card.score * 100)}%"  # type: ignore[operator]
    assert f"Overall score: {overall}" in labels
    assert f"<b>{overall}</b> across 15 applicable guidelines of 17" in html


def test_the_page_loads_nothing_from_outside(sample) -> None:  # type: ignore[no-untyped-def]
    html, page = sample
    for tag, attr in RESOURCE_ATTRS.items():
        for attrs in page.all(tag):
            value = attrs.get(attr, "")
            assert value == "" or value.startswith(("data:", "#")), (tag, value)
            assert "srcset" not in attrs
    for body in page.raw["style"] + page.raw["script"]:
        assert "url(" not in body and "@import" not in body
        assert not re.search(r"https?:", body)
    assert "fetch(" not in "".join(page.raw["script"])
    assert "XMLHttpRequest" not in html


def test_the_csp_forbids_every_fetch_and_comes_first(sample) -> None:  # type: ignore[no-untyped-def]
    html, page = sample
    metas = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1
    directives = {d.strip() for d in metas[0]["content"].split(";")}
    assert {
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "script-src 'unsafe-inline'",
        "img-src data:",
    } <= directives
    assert html.index("Content-Security-Policy") < html.index("<style>")


def test_one_inline_script_and_it_holds_no_scorecard_value() -> None:
    marker = "Zq9-marker-project"
    _, page = render(dataclasses.replace(sample_scorecard(), project=marker))
    assert len(page.all("script")) == 1
    assert marker not in "".join(page.raw["script"])
    assert marker in page.all_text


def hostile_scorecard() -> Scorecard:
    """The sample with attacker-chosen text in every field a repository controls."""
    card = sample_scorecard()
    evil = finding(
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(2)>",
        "critical",
        '"><svg onload=alert(3)>.py',
        7,
        "msg </script><script>alert(4)</script> 'single' \"double\"",
    )
    guidelines = list(card.guidelines)
    first = guidelines[0]
    behaviour = dataclasses.replace(
        first.behaviours[0],
        reason="<b onmouseover=alert(5)>why</b>",
        findings=(evil,),
        evidence=(
            dataclasses.replace(
                card.guidelines[4].behaviours[0].evidence[0],
                summary="<iframe src=//evil.example>",
                paths=("javascript:alert(6)", "//evil.example/x", "JaVaScRiPt:alert(7)"),
            ),
        ),
        attestation=dataclasses.replace(
            first.behaviours[0].attestation,  # type: ignore[arg-type]
            evidence_url="javascript:alert(8)",
            attested_by='<a href="https://evil.example">me</a>',
            statement="</q><script>alert(9)</script>",
        ),
    )
    guidelines[0] = dataclasses.replace(first, behaviours=(behaviour, *first.behaviours[1:]))
    return dataclasses.replace(
        card,
        project="<script>alert(10)</script>",
        tool_version='1.0"><script>alert(11)</script>',
        generated_at="</title><script>alert(12)</script>",
        guidelines=tuple(guidelines),
        warnings=("<img src=x onerror=alert(13)>",),
        attestation_problems=("<svg/onload=alert(14)>",),
    )


def test_hostile_text_is_shown_as_text_and_never_becomes_markup() -> None:
    _, page = render(hostile_scorecard())
    assert len(page.all("script")) == 1
    assert not page.all("img") and not page.all("iframe")
    assert not any(name in ("svg",) and "onload" in a for name, a in page.elements)
    for _, attrs in page.elements:
        assert not any(k.startswith("on") for k in attrs), attrs
    text = page.all_text
    for needle in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "alert(12)"):
        assert needle in text
    assert "alert(" not in "".join(page.raw["script"])
    assert not any(a.get("href") == "https://evil.example" for a in page.all("a"))


def test_no_link_can_carry_a_script_or_leave_for_another_host() -> None:
    _, page = render(hostile_scorecard())
    hrefs = [a.get("href", "") for a in page.all("a")]
    for href in hrefs:
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE), href
        assert not href.startswith("//"), href
    assert "./javascript%3Aalert%286%29" in hrefs
    assert "./evil.example/x" in hrefs
    inert = page.all("span", cls="inert-url")
    assert inert and "javascript:alert(8)" in page.all_text


def test_file_links_put_link_base_before_the_encoded_path_and_line() -> None:
    card = sample_scorecard()
    for base, expected in (
        ("", "./app/chat.py#L88"),
        ("../", "../app/chat.py#L88"),
        ("file:///abs/root/", "file:///abs/root/app/chat.py#L88"),
    ):
        _, page = render(card, base)
        links = page.all("a", cls="file")
        assert expected in [a["href"] for a in links]
        assert {"./models/intent_classifier.pkl".replace("./", base or "./")} <= {
            a["href"] for a in links
        }
    _, page = render(
        dataclasses.replace(card, guidelines=(with_finding(card, "dir with space/ä#1.py", 3),)),
        "../",
    )
    assert "../dir%20with%20space/%C3%A4%231.py#L3" in [a["href"] for a in page.all("a")]


def with_finding(card: Scorecard, path: str, line: int | None) -> GuidelineResult:
    guideline = card.guidelines[0]
    ref = finding("AIW-PY001", "t", "high", path, line, "m")
    return dataclasses.replace(guideline, findings=(ref,))


@pytest.mark.parametrize("base", ["javascript:", "data:text/html,x", "vbscript:x", "a b/"])
def test_a_link_base_with_another_scheme_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="link_base"):
        HtmlRenderer(base)


def test_only_http_evidence_urls_are_live_links(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    hrefs = {a.get("href") for a in page.all("a")}
    assert "https://wiki.example.com/security/briefing-2026" in hrefs
    assert "file:///srv/share/threat-model.pdf" not in hrefs
    assert "file:///srv/share/threat-model.pdf" in page.all_text
    for attrs in page.all("a"):
        if attrs.get("href", "").startswith("http"):
            assert "noopener" in attrs.get("rel", "") and "noreferrer" in attrs.get("rel", "")


def test_evidence_strengths_are_labelled_and_document_present_is_not_verified(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    classes = {a["class"] for a in page.all("span") if "strength" in a.get("class", "").split()}
    assert classes == {
        "strength sg-verified",
        "strength sg-document",
        "strength sg-heuristic",
        "strength sg-attested",
    }
    for label in ("Verified", "Document present", "Heuristic", "Attested"):
        assert label in page.all_text
    assert "supports" in page.all_text and "undermines" in page.all_text


def test_attestations_in_every_state_with_who_when_and_source(sample) -> None:  # type: ignore[no-untyped-def]
    html, page = sample
    for state in AttestationState:
        assert page.all("span", cls=f"att-{state.value}"), state
    assert "Priya Shah" in page.all_text and "2027-09-12" in page.all_text
    assert "aiwarden-attestations.yaml:19" in page.all_text
    assert "unknown behaviour &#x27;SD-9.z&#x27;" in html


def test_findings_of_every_severity_with_location_links(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    for severity in ("critical", "high", "medium", "low", "info"):
        assert page.all("span", cls=f"sev-{severity}"), severity
    assert "app/agent/tools.py:42" in page.all_text
    assert "Findings for the guideline as a whole" in page.all_text


def test_every_internal_link_has_a_target_and_ids_are_unique(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    ids = page.ids
    assert len(ids) == len(set(ids))
    targets = [a["href"][1:] for a in page.all("a") if a.get("href", "").startswith("#")]
    assert targets
    assert set(targets) <= set(ids)


def test_next_steps_link_to_the_findings_behind_them(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    card = sample_scorecard()
    step_links = {a["href"] for a in page.all("a", cls="flink")}
    for step in card.next_steps:
        for fingerprint in step.finding_fingerprints:
            assert f"#f-{fingerprint}" in step_links
    assert page.all("li", id=f"f-{card.next_steps[0].finding_fingerprints[0]}")


def test_a_finding_shown_under_two_behaviours_has_one_anchor() -> None:
    card = sample_scorecard()
    shared = [f.fingerprint for g in card.guidelines for b in g.behaviours for f in b.findings]
    duplicated = {fp for fp in shared if shared.count(fp) > 1}
    assert duplicated
    _, page = render(card)
    for fingerprint in duplicated:
        assert len(page.all("li", id=f"f-{fingerprint}")) == 1


def test_profile_shows_each_trait_with_its_source_and_reason(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    assert page.all("span", cls="src-detected") and page.all("span", cls="src-config")
    for flag in sample_scorecard().profile:
        assert flag.name in page.all_text and flag.reason in page.all_text


def test_trend_compares_with_the_previous_assessment(sample) -> None:  # type: ignore[no-untyped-def]
    _, page = sample
    assert page.all("section", id="trend")
    assert "36%" in page.all_text
    assert "improved" in page.all_text and "regressed" in page.all_text
    _, minimal = render(minimal_scorecard())
    assert not minimal.all("section", id="trend")
    assert "#trend" not in {a.get("href") for a in minimal.all("a")}


def test_incomplete_scan_shows_a_warning_banner() -> None:
    card = sample_scorecard()
    _, complete = render(card)
    assert not complete.all("div", cls="banner-warn", role="alert")
    _, page = render(dataclasses.replace(card, scan=ScanSummary(10, 3, False, {}, 0)))
    assert page.all("div", cls="banner-warn", role="alert")
    assert "3 file(s) could not be scanned" in page.all_text


def test_minimal_scorecard_renders_without_attestations_or_steps() -> None:
    _, page = render(minimal_scorecard())
    assert len(page.all("details", cls="g")) == 17
    assert "No behaviour has an attestation." in page.all_text
    assert "Nothing to do." in page.all_text
    assert "No attestations file was found" in page.all_text


def test_long_lists_are_capped_and_counted() -> None:
    card = sample_scorecard()
    refs = tuple(
        FindingRef("AIW-PY001", "t", "low", f"f{i}.py", i + 1, "m", f"fp{i:04d}")
        for i in range(130)
    )
    guideline = card.guidelines[0]
    behaviour: BehaviourResult = dataclasses.replace(guideline.behaviours[0], findings=refs)
    guidelines = (dataclasses.replace(guideline, behaviours=(behaviour,)), *card.guidelines[1:])
    _, page = render(dataclasses.replace(card, guidelines=guidelines))
    assert (
        len(page.all("li", cls="f"))
        - sum(len(b.findings) for g in guidelines[1:] for b in g.behaviours)
        - sum(len(g.findings) for g in guidelines)
        == 100
    )
    assert "and 30 more finding(s)" in page.all_text


def test_output_is_deterministic() -> None:
    assert HtmlRenderer().render(sample_scorecard()) == HtmlRenderer().render(sample_scorecard())


def test_controls_are_hidden_until_the_script_runs_and_nothing_needs_it(sample) -> None:  # type: ignore[no-untyped-def]
    html, page = sample
    controls = page.all("div", cls="controls")
    assert len(controls) == 1 and "hidden" in controls[0]
    assert "@media print" in "".join(page.raw["style"])
    assert html.count("<details") == 17


def test_odd_but_valid_scorecards_render() -> None:
    card = sample_scorecard()
    stray = dataclasses.replace(card.guidelines[0], id="XX-9", area_id="XX", score=1.7)
    odd_history = (
        dataclasses.replace(card.history[-1], statuses={"SD-1": "bogus <b>", "XX-9": "met"}),
    )
    _, page = render(
        dataclasses.replace(card, guidelines=(*card.guidelines, stray), history=odd_history)
    )
    assert "Other guidelines" in page.all_text
    assert "bogus <b>" in page.all_text and "not assessed" in page.all_text
    assert "100%" in page.all_text
    _, empty = render(dataclasses.replace(card, guidelines=(), areas=(), next_steps=()))
    assert not empty.all("details", cls="g")
    assert "n/a" in empty.all_text
