"""The literal pre-test of ``_llm_calls`` never hides a name a pattern would match."""

from __future__ import annotations

import re

import pytest

from aiwarden.analyzers.code import _llm_calls as calls

_HEAD = re.compile(r"\w+(?:\\\.\w+)*(?:\\\.)?")


def _leading_literals(pattern: str) -> list[str]:
    """The literal each alternative of the pattern's first group starts with."""
    if pattern.startswith("(?:"):
        alternatives = pattern[3 : pattern.index(")")].split("|")
    else:
        alternatives = [pattern]
    heads = []
    for alternative in alternatives:
        found = _HEAD.match(alternative)
        assert found is not None, pattern
        heads.append(found.group(0).replace("\\.", "."))
    return heads


@pytest.mark.parametrize("api,pattern", calls._QUALIFIED_SOURCES)
def test_every_pattern_starts_with_a_root_or_needs_the_unrooted_literal(
    api: str, pattern: str
) -> None:
    if pattern.startswith(r"[\w.()]*"):
        assert re.escape(calls._UNROOTED) in pattern
        return
    for head in _leading_literals(pattern):
        assert head.startswith(calls._ROOTS), (api, head)


NAMES = [
    "openai.OpenAI().chat.completions.create",
    "x.chat.completions.parse",
    "anthropic.Anthropic().messages.create",
    "google.generativeai.GenerativeModel().generate_content",
    "langchain_openai.ChatOpenAI()",
    "agents.Runner.run",
    "autogen.AssistantAgent().initiate_chat",
    "torch.relu",
    "builtins.print",
    "self.client.chat.completions.create",
    "requests.post",
]


@pytest.mark.parametrize("name", NAMES)
def test_prefilter_agrees_with_the_patterns(name: str) -> None:
    matched = any(pattern.fullmatch(name) for _, pattern in calls._qualified())
    assert not matched or calls._may_be_qualified(name)


def test_langchain_method_names_are_the_pattern_alternatives() -> None:
    pattern = re.compile(calls._LC_METHODS)
    for name in [*calls._LC_METHOD_NAMES, "invoke_x", "xinvoke", "stream_events", "forward"]:
        assert (pattern.fullmatch(name) is not None) == (name in calls._LC_METHOD_NAMES)
