"""JSON with comments (VS Code "JSONC"), parsed with the line of every key and element.

One tokenizer pass over the raw text does three jobs: it blanks ``//`` and ``/* */``
comments and trailing commas (keeping every newline, so lines do not move), it records
the 1-based line of each key path (``("mcpServers", "github", "args", 2)``), and it
enforces a nesting bound before :func:`json.loads` ever sees the text (deep nesting
would otherwise raise ``RecursionError``). Strings are matched as whole tokens, so
``"https://x"`` or ``"/* not a comment */"`` inside a string is never touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Final, NamedTuple

JsonPath = tuple[str | int, ...]

MAX_DEPTH: Final = 64
"""Deepest nesting of objects and arrays accepted (real configs use under ten)."""
LAZY_MAX_DEPTH: Final = 1_000_000
"""Bound used when locating lines in text ``json`` already parsed (its own depth bound applies)."""
MAX_LOCATED: Final = 200_000
"""Most key paths whose line is recorded; later ones fall back to their parent's."""

_TOKEN: Final = re.compile(
    r'(?P<str>"(?:[^"\\\n]|\\.)*")'
    r"|(?P<line>//[^\n]*)"
    r"|(?P<block>/\*(?:[^*]|\*+[^*/])*(?:\*+/|\**\Z))"
    r"|(?P<punct>[{}\[\]:,])"
    r"|(?P<ws>\s+)"
    r'|(?P<other>[^\s{}\[\]:,"/]+|/|"[^\n]*)',
)


class JsoncError(ValueError):
    """The text is not JSON (with comments) that can be analysed."""


class _Frame:
    """An open object or array while tokenizing: its path, and the current key or index.

    This and :class:`ParsedJson` are not dataclasses, which cost about half a
    millisecond each to create at import.
    """

    __slots__ = ("expect_key", "index", "is_object", "key", "path")

    def __init__(
        self,
        is_object: bool,
        path: JsonPath,
        key: str | None = None,
        index: int = -1,
        expect_key: bool = True,
    ) -> None:
        self.is_object = is_object
        self.path = path
        self.key = key
        self.index = index
        self.expect_key = expect_key


class Locator:
    """Maps key paths of a parsed document to 1-based lines of the raw text.

    Built eagerly from a dict, or lazily from the source text on the first lookup (most
    files have no finding, so most never pay for the tokenizer pass).
    """

    def __init__(self, lines: dict[JsonPath, int] | None = None, source: str | None = None):
        self._lines = lines if lines is not None or source is not None else {}
        self._source = source

    @property
    def lines(self) -> dict[JsonPath, int]:
        """Every recorded key path and its line."""
        if self._lines is None:
            assert self._source is not None
            self._lines = _clean_and_locate(self._source, LAZY_MAX_DEPTH)[1].lines
            self._source = None
        return self._lines

    def line(self, path: JsonPath) -> int:
        """The line of ``path``, else of its nearest recorded ancestor, else 1."""
        lines = self.lines
        for end in range(len(path), 0, -1):
            found = lines.get(path[:end])
            if found is not None:
                return found
        return 1


class ParsedJson(NamedTuple):
    """A parsed document and the locator of its keys."""

    value: object
    locator: Locator


def parse_jsonc(text: str, *, max_depth: int = MAX_DEPTH) -> ParsedJson:
    """Parse ``text`` as JSON with comments and trailing commas, recording key lines.

    Raise :class:`JsoncError` for text that is not such JSON or nests deeper than
    ``max_depth``.
    """
    text = text.removeprefix("\ufeff")
    try:  # plain JSON (the common case) parses in C; lines are located only when needed
        return ParsedJson(json.loads(text), Locator(source=text))
    except (ValueError, RecursionError):
        pass
    cleaned, locator = _clean_and_locate(text, max_depth)
    try:
        value = json.loads(cleaned)
    except (ValueError, RecursionError) as exc:
        raise JsoncError(_describe(exc)) from None
    return ParsedJson(value, locator)


def _describe(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return str(exc)[:200] or type(exc).__name__


def _clean_and_locate(text: str, max_depth: int) -> tuple[str, Locator]:
    out: list[str] = []
    locator = Locator({})
    stack: list[_Frame] = []
    last_comma: int | None = None
    previous = ""
    line = 1
    for kind, lexeme in _tokens(text):
        if kind in ("line", "block", "ws"):
            out.append(_blank(lexeme) if kind != "ws" else lexeme)
            line += lexeme.count("\n")
            continue
        if kind == "punct" and lexeme in "}]" and last_comma is not None:
            out[last_comma] = " "  # a trailing comma after a value: JSONC allows it
        after_value = previous not in ("{", "[", ",", ":", "")
        last_comma = len(out) if kind == "punct" and lexeme == "," and after_value else None
        previous = lexeme if kind == "punct" else "value"
        out.append(lexeme)
        _track(kind, lexeme, stack, locator, line, max_depth)
    return "".join(out), locator


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        yield kind, match.group(0)


def _blank(comment: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in comment)


def _track(
    kind: str, lexeme: str, stack: list[_Frame], locator: Locator, line: int, max_depth: int
) -> None:
    top = stack[-1] if stack else None
    if kind == "punct":
        _punct(lexeme, stack, top, locator, line, max_depth)
        return
    if top is None:
        return
    if top.is_object and top.expect_key:
        top.key = _key_text(lexeme) if kind == "str" else lexeme
        top.expect_key = False
        _record(locator, (*top.path, top.key), line)
    elif not top.is_object:
        top.index += 1
        _record(locator, (*top.path, top.index), line)


def _punct(
    lexeme: str,
    stack: list[_Frame],
    top: _Frame | None,
    locator: Locator,
    line: int,
    max_depth: int,
) -> None:
    if lexeme in "{[":
        path: JsonPath = ()
        if top is not None and top.is_object and top.key is not None:
            path = (*top.path, top.key)
        elif top is not None and not top.is_object:
            top.index += 1
            path = (*top.path, top.index)
            _record(locator, path, line)
        if len(stack) >= max_depth:
            raise JsoncError(f"nested deeper than {max_depth} levels")
        stack.append(_Frame(is_object=lexeme == "{", path=path))
    elif lexeme in "}]":
        if stack:
            stack.pop()
    elif lexeme == "," and top is not None and top.is_object:
        top.expect_key = True
        top.key = None


def _record(locator: Locator, path: JsonPath, line: int) -> None:
    if len(locator.lines) < MAX_LOCATED or path in locator.lines:
        locator.lines[path] = line


def _key_text(lexeme: str) -> str:
    try:
        value = json.loads(lexeme)
    except ValueError:
        return lexeme.strip('"')
    return value if isinstance(value, str) else lexeme
