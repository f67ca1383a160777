"""Where things sit in a notebook's raw JSON text, and how deeply it nests.

:func:`map_positions` walks the structural tokens of the text once (strings are one
regex token each, so megabytes of base64 output cost one step) and records the line
and column where each value of interest starts, by JSON path: every cell, each line
of a cell's ``source``, each output, and metadata objects. It also enforces a nesting
bound before the text is handed to :func:`json.loads`. It never decodes values: the
notebook is still parsed by :mod:`json`, and this map only locates what that parse found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]')
_SHALLOW = 4
"""Paths recorded for nbformat 4: ``("cells", i, "source", k)`` is the deepest needed."""
_SHALLOW_V3 = 6
"""nbformat 3 nests cells in worksheets: ``("worksheets", w, "cells", i, "input", k)``."""


class TooDeep(Exception):
    """The JSON nests deeper than the bound."""


@dataclass(slots=True)
class _Frame:
    is_object: bool
    key: str | int = 0
    expecting_key: bool = True


@dataclass(slots=True)
class PositionMap:
    """Line and column (1-based) where each recorded value starts, by JSON path."""

    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """The line where the value at ``path`` starts, if recorded."""
        found = self.positions.get(path)
        return found[0] if found else None

    def position(self, path: Path) -> tuple[int, int] | None:
        """The (line, column) where the value at ``path`` starts, if recorded."""
        return self.positions.get(path)


def map_positions(text: str, max_depth: int) -> PositionMap:
    """Record value positions in ``text``; raise :class:`TooDeep` past ``max_depth``."""
    result = PositionMap()
    stack: list[_Frame] = []
    line, line_start, last = 1, 0, 0
    for match in _TOKEN.finditer(text):
        pos = match.start()
        newlines = text.count("\n", last, pos)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, pos) + 1
        last = pos
        lexeme = match.group()
        if lexeme in "{[" and len(lexeme) == 1:
            _record(result, stack, line, pos - line_start + 1)
            stack.append(_Frame(is_object=lexeme == "{"))
            if len(stack) > max_depth:
                raise TooDeep(f"JSON nests deeper than {max_depth} levels")
        elif lexeme in "}]" and len(lexeme) == 1:
            if stack:
                stack.pop()
        elif lexeme == ",":
            _next_item(stack)
        elif lexeme == ":":
            if stack:
                stack[-1].expecting_key = False
        elif stack and stack[-1].is_object and stack[-1].expecting_key:
            stack[-1].key = _key(lexeme)
        else:
            _record(result, stack, line, pos - line_start + 1)
    return result


def _next_item(stack: list[_Frame]) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame.is_object:
        frame.expecting_key = True
    elif isinstance(frame.key, int):
        frame.key += 1


def _key(token: str) -> str:
    raw = token[1:-1]
    return (
        raw
        if "\\" not in raw
        else raw.encode("utf-8", "surrogatepass").decode("unicode_escape", "replace")
    )


def _record(result: PositionMap, stack: list[_Frame], line: int, column: int) -> None:
    if not stack:
        return
    limit = _SHALLOW_V3 if stack[0].key == "worksheets" else _SHALLOW
    if len(stack) > limit:
        return
    path = tuple(frame.key for frame in stack)
    result.positions[path] = (line, column)
