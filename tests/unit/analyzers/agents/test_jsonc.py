"""JSON with comments: cleaning, key lines and bounds."""

from __future__ import annotations

import time

import pytest

from aiwarden.analyzers.agents._jsonc import JsoncError, parse_jsonc

VSCODE = """// Workspace MCP servers
{
  /* inputs first */
  "inputs": [{"id": "token", "type": "promptString", "password": true},],
  "servers": {
    "web": {
      "url": "https://example.com/a//b/*c*/", // trailing comment
      "args": [
        "-y",
        "pkg@1.0.0",
      ],
    },
  },
}
"""


def test_comments_and_trailing_commas_are_removed_but_strings_kept() -> None:
    parsed = parse_jsonc(VSCODE)
    assert parsed.value == {
        "inputs": [{"id": "token", "type": "promptString", "password": True}],
        "servers": {"web": {"url": "https://example.com/a//b/*c*/", "args": ["-y", "pkg@1.0.0"]}},
    }


def test_every_key_and_element_has_its_line() -> None:
    lines = parse_jsonc(VSCODE).locator
    assert lines.line(("servers",)) == 5
    assert lines.line(("servers", "web", "url")) == 7
    assert lines.line(("servers", "web", "args", 0)) == 9
    assert lines.line(("servers", "web", "args", 1)) == 10
    assert lines.line(("inputs", 0, "password")) == 4
    assert lines.line(("servers", "web", "missing")) == 6  # nearest ancestor


def test_duplicate_keys_point_at_the_value_json_keeps() -> None:
    parsed = parse_jsonc('{\n"a": 1,\n"a": 2\n}')
    assert parsed.value == {"a": 2}
    assert parsed.locator.line(("a",)) == 3


def test_byte_order_mark_is_accepted() -> None:
    assert parse_jsonc('\ufeff{"a": [1]}').value == {"a": [1]}


@pytest.mark.parametrize(
    "text",
    ['{"a": }', '{"a": 1', "[1, 2", '{"a": "unterminated}', "/* never closed", "", "{'a': 1}"],
)
def test_invalid_text_raises(text: str) -> None:
    with pytest.raises(JsoncError):
        parse_jsonc(text)


def test_nesting_is_bounded_before_json_sees_it() -> None:
    with pytest.raises(JsoncError, match="nested deeper"):
        parse_jsonc("[" * 100_000 + "]" * 100_000)
    assert parse_jsonc("[" * 30 + "]" * 30).value is not None


@pytest.mark.parametrize("unit", ["/*", "//", '"', "{", '{"a":', "/"])
def test_hostile_repetition_is_linear(unit: str) -> None:
    started = time.perf_counter()
    with pytest.raises(JsoncError):
        parse_jsonc(unit * 200_000)
    assert time.perf_counter() - started < 5
