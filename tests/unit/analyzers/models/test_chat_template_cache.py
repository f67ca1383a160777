"""Template issues are remembered by text: a repeated template is parsed once, same result."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.interface import Limits
from aiwarden.analyzers.models import chat_template
from aiwarden.analyzers.models._template_issue import IssueKind
from aiwarden.analyzers.models.chat_template import check_template

HOSTILE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
BENIGN = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    chat_template._CHECKED.clear()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = chat_template._check

    def check(source: str) -> list[chat_template.TemplateIssue]:
        parsed.append(source)
        return real(source)

    monkeypatch.setattr(chat_template, "_check", check)
    return parsed


@pytest.mark.parametrize("source", [HOSTILE, BENIGN])
def test_a_repeated_template_is_parsed_once_with_the_same_issues(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _counting(monkeypatch)
    first = check_template(source)
    again = check_template(source)
    assert again == first
    assert again is not first  # callers get their own list
    assert parsed == [source]
    if source is HOSTILE:
        assert first and all(i.kind is not IssueKind.UNPARSEABLE for i in first)


def test_unparseable_templates_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _counting(monkeypatch)
    broken = "{% for x in %}"
    assert check_template(broken)[0].kind is IssueKind.UNPARSEABLE
    assert check_template(broken)[0].kind is IssueKind.UNPARSEABLE
    assert parsed == [broken, broken]


def test_the_size_cap_applies_before_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A remembered template still hits a smaller text limit on a later call."""
    check_template(BENIGN)
    capped = check_template(BENIGN, Limits(max_text_bytes=10))
    assert [i.kind for i in capped] == [IssueKind.UNPARSEABLE]


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(chat_template._CACHED_TEMPLATES + 20):
        check_template(f"{{{{ messages[{n}] }}}}")
    assert len(chat_template._CHECKED) == chat_template._CACHED_TEMPLATES
    big = "{{ x }}" + " " * chat_template.CACHED_CHARS
    check_template(big)
    assert big not in chat_template._CHECKED
