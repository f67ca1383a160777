"""Topic coverage: substance under a heading, specific phrases, no single-word matches."""

from __future__ import annotations

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.documents import covers
from aiwarden.analyzers.governance.markdown import parse

FILLER = "the team reviews this part of the system every quarter with the owners " * 2


def test_a_heading_with_enough_text_covers_its_topic() -> None:
    assert covers(parse(f"## Limitations\n{FILLER}\n"), t.USER_LIMITATIONS)


def test_a_heading_with_too_little_text_does_not() -> None:
    assert not covers(parse("## Limitations\nTBD.\n## Next\n" + FILLER), t.USER_LIMITATIONS)


def test_a_word_in_a_long_unrelated_document_does_not_cover_a_topic() -> None:
    text = "# Guide\n" + (FILLER + " limitations safety security abuse drift\n\n") * 50
    doc = parse(text)
    assert not covers(doc, t.USER_LIMITATIONS)
    assert not covers(doc, t.USER_SAFE_USE)
    assert not covers(doc, t.SECURITY_CONTACT)


def test_british_spelling_and_non_english_headings() -> None:
    assert covers(parse(f"## Licence\n{FILLER}\n"), t.DATA_LICENCE)
    assert covers(parse(f"## Einschränkungen\n{FILLER}\n"), t.USER_LIMITATIONS)
    assert covers(parse(f"## Limitaciones\n{FILLER}\n"), t.MODEL_LIMITATIONS)
    assert covers(parse(f"## Unterstützte Versionen\n{FILLER}\n"), t.SECURITY_SCOPE)
    assert covers(parse(f"## Données personnelles\n{FILLER}\n"), t.DATA_PERSONAL)


def test_contact_needs_a_channel_not_the_word_security() -> None:
    vague = parse("# Security\n## Reporting a vulnerability\n" + FILLER + " open an issue\n")
    assert not covers(vague, t.SECURITY_CONTACT)
    assert covers(parse("Mail security@example.org please."), t.SECURITY_CONTACT)
    advisory = parse("Use https://github.com/o/r/security/advisories/new to report.")
    assert covers(advisory, t.SECURITY_CONTACT)


def test_response_needs_a_timeline() -> None:
    assert covers(parse("We acknowledge reports within 48 hours."), t.SECURITY_RESPONSE)
    assert covers(parse("Expect a reply in two business days."), t.SECURITY_RESPONSE)
    assert not covers(parse("We respond as quickly as we can."), t.SECURITY_RESPONSE)


def test_security_txt_fields_count() -> None:
    doc = parse("Contact: mailto:security@example.org\nPolicy: https://example.org/vdp\n")
    assert covers(doc, t.SECURITY_CONTACT)
    assert covers(doc, t.SECURITY_SCOPE)
    assert covers(doc, t.SECURITY_RESPONSE)


def test_a_phrase_in_a_heading_with_substance_covers_the_topic() -> None:
    doc = parse(f"## Prompt-injection abuse\n{FILLER}\n")
    assert covers(doc, t.IR_PROMPT_INJECTION)
    assert not covers(parse("## Prompt-injection abuse\nTODO\n"), t.IR_PROMPT_INJECTION)
