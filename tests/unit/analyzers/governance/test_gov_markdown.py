"""The Markdown structure reader: headings, sections, front matter, bounds."""

from __future__ import annotations

from aiwarden.analyzers.governance.markdown import MAX_LINES, count_words, parse


def test_atx_and_setext_headings_with_their_levels_and_lines() -> None:
    doc = parse("# Title\ntext\n\nUsage\n-----\nmore\n### Deep ###\nx\n")
    assert [(s.title, s.level, s.line) for s in doc.sections] == [
        ("Title", 1, 1),
        ("Usage", 2, 4),
        ("Deep", 3, 7),
    ]


def test_a_section_holds_its_subsections_and_stops_at_a_sibling() -> None:
    doc = parse("## A\none two\n### A.1\nthree four\n## B\nfive\n")
    by_title = {s.title: s for s in doc.sections}
    assert by_title["A"].words == 5  # one two, the "A" of "A.1", three four
    assert by_title["B"].words == 1


def test_headings_inside_code_fences_are_not_headings() -> None:
    doc = parse("```bash\n# install it\npip install x\n```\n# Real\n")
    assert doc.headings == ("Real",)


def test_heading_text_loses_links_and_emphasis() -> None:
    doc = parse("## **Reporting** a [vulnerability](https://x) {#report}\n")
    assert doc.headings == ("Reporting a vulnerability",)


def test_front_matter_is_parsed_with_the_safe_loader() -> None:
    doc = parse("---\nlicense: mit\ndatasets: [a, b]\n---\n# Card\n")
    assert doc.front_matter == {"license": "mit", "datasets": ["a", "b"]}
    assert doc.sections[0].line == 5


def test_front_matter_with_a_python_tag_is_refused_not_executed() -> None:
    doc = parse("---\nx: !!python/object/apply:os.system ['true']\n---\n")
    assert doc.front_matter is None
    assert doc.front_matter_error is not None and "not valid YAML" in doc.front_matter_error


def test_front_matter_that_is_not_a_mapping_or_not_closed() -> None:
    assert parse("---\n- a\n- b\n---\n").front_matter_error == "front matter is not a YAML mapping"
    unclosed = parse("---\nlicense: mit\n# Title\n")
    assert unclosed.front_matter is None and unclosed.front_matter_error is not None


def test_deeply_nested_front_matter_is_an_error_not_a_crash() -> None:
    doc = parse("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert doc.front_matter is None


def test_paragraphs_exclude_headings_and_keep_lines() -> None:
    doc = parse("# T\nline one\nline two\n\nsecond\n")
    assert doc.paragraphs == ("line one\nline two", "second")


def test_words_count_letters_not_numbers_or_punctuation() -> None:
    assert count_words("Only the latest 2.x release -- 100% | :) don't") == 6


def test_documents_over_the_line_bound_are_truncated() -> None:
    doc = parse("# H\n" + "word\n" * (MAX_LINES + 10))
    assert doc.truncated
    assert len(doc.text.splitlines()) <= MAX_LINES
