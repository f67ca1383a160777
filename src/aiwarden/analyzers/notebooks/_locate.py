"""Locations in the ``.ipynb`` file for things found inside cells.

A line ``m`` of a cell's source sits, in the usual pretty-printed nbformat (source as
a list of one string per line), on the physical line of the ``m``-th string of the
``source`` list; :class:`Locator` finds that string through the :class:`PositionMap`
of the raw text, and falls back to the line of the ``source`` value, then of the
cell, then to no line at all.
"""

from __future__ import annotations

import bisect
import dataclasses
import json

from aiwarden.analyzers.interface import Artifact
from aiwarden.analyzers.notebooks._json_map import Path, PositionMap
from aiwarden.analyzers.notebooks._model import Cell
from aiwarden.core.location import Location


@dataclasses.dataclass(frozen=True, slots=True)
class Locator:
    """Builds locations in one notebook artifact."""

    artifact: Artifact
    positions: PositionMap

    def at_path(self, path: Path) -> Location:
        """The location of the JSON value at ``path`` (the file when it is not mapped)."""
        found = self.positions.position(path)
        if found is None:
            return self.artifact.location()
        return self.artifact.location(found[0], found[1])

    def in_source(self, cell: Cell, line: int, column: int | None = None) -> Location:
        """The location of 1-based ``line`` (and ``column``) of ``cell``'s source."""
        if not cell.source_parts:
            return self._fallback(cell)
        index = bisect.bisect_left(cell.source_parts, line - 1)
        if index >= len(cell.source_parts) or cell.source_parts[index] != line - 1:
            index -= 1
        found = self.positions.position((*cell.source_path, max(index, 0)))
        if found is None:
            return self._fallback(cell)
        physical, token_column = found
        if column is None or cell.source_parts[max(index, 0)] != line - 1:
            return self.artifact.location(physical, token_column)
        text_line = (
            cell.source.split("\n")[line - 1] if line - 1 < cell.source.count("\n") + 1 else ""
        )
        escaped = json.dumps(text_line[: max(column - 1, 0)], ensure_ascii=False)[1:-1]
        return self.artifact.location(physical, token_column + 1 + len(escaped))

    def _fallback(self, cell: Cell) -> Location:
        for path in (cell.source_path, cell.path):
            found = self.positions.position(path)
            if found is not None:
                return self.artifact.location(found[0], found[1])
        return self.artifact.location()
