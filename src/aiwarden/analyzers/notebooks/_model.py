"""A parsed notebook reduced to what the checks read, with structural problems listed.

:func:`load_notebook` validates the nbformat 4 layout (and nbformat 3, whose cells sit in
``worksheets`` and whose code is in ``input``) defensively: a wrong type where a list
or a string is expected becomes a *problem* (reported as ``AIW-NB007``) and that part
is skipped, so one malformed cell does not hide the rest. Counts are bounded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from aiwarden.analyzers.notebooks._json_map import Path

MAX_CELLS = 10_000
MAX_OUTPUTS = 50_000
"""Most outputs read across the whole notebook."""
MAX_OUTPUT_TEXT = 2 * 1024 * 1024
"""Most characters of one output (or JSON payload) scanned."""

_V3_MIME = {
    "text": "text/plain",
    "html": "text/html",
    "javascript": "application/javascript",
    "json": "application/json",
    "latex": "text/latex",
    "svg": "image/svg+xml",
}


class NotANotebook(Exception):
    """The JSON is not a notebook at all (not an object, no cells)."""


@dataclass(frozen=True, slots=True)
class Output:
    """One saved output: its texts by label (``stream``, a MIME type, ``traceback``)."""

    index: int
    output_type: str
    texts: tuple[tuple[str, str], ...]
    path: Path


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell; ``index`` counts from 0 among all cells of the notebook."""

    index: int
    cell_type: str
    source: str
    source_path: Path
    source_parts: tuple[int, ...]
    """For a source stored as a list of strings: the 0-based line of the joined source at
    which each string starts. Empty when the source is one string."""
    cell_id: str | None
    metadata: object
    outputs: tuple[Output, ...]
    path: Path

    @property
    def key(self) -> str:
        """The fingerprint prefix: the nbformat 4.5 cell id, else the index."""
        return f"cell[{self.cell_id}]" if self.cell_id else f"cell#{self.index + 1}"


@dataclass(slots=True)
class Notebook:
    """The cells, the notebook metadata and what was wrong with the structure."""

    cells: list[Cell] = field(default_factory=list)
    metadata: object = None
    problems: list[str] = field(default_factory=list)


def load_notebook(data: object) -> Notebook:
    """The :class:`Notebook` in parsed JSON ``data``; raise :class:`NotANotebook`."""
    if not isinstance(data, dict):
        raise NotANotebook(f"the top level is a JSON {_kind(data)}, not an object")
    notebook = Notebook(metadata=data.get("metadata"))
    budget = _Budget()
    cells = data.get("cells")
    if isinstance(cells, list):
        _add_cells(notebook, cells, ("cells",), budget)
    elif isinstance(data.get("worksheets"), list):
        for w, sheet in enumerate(data["worksheets"]):
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                _add_cells(notebook, sheet["cells"], ("worksheets", w, "cells"), budget)
            else:
                notebook.problems.append(f"worksheet {w + 1} has no list of cells")
    else:
        raise NotANotebook("no `cells` list (nbformat 4) or `worksheets` list (nbformat 3)")
    if not isinstance(data.get("nbformat"), int):
        notebook.problems.append("`nbformat` is missing or not an integer")
    return notebook


@dataclass(slots=True)
class _Budget:
    cells: int = 0
    outputs: int = 0


def _add_cells(notebook: Notebook, cells: list[object], base: Path, budget: _Budget) -> None:
    for i, raw in enumerate(cells):
        if budget.cells >= MAX_CELLS:
            notebook.problems.append(f"more than {MAX_CELLS} cells; the rest were not analysed")
            return
        number = budget.cells + 1
        budget.cells += 1
        if not isinstance(raw, dict):
            notebook.problems.append(f"cell {number} is a JSON {_kind(raw)}, not an object")
            continue
        cell = _cell(notebook, raw, number - 1, (*base, i), budget)
        notebook.cells.append(cell)


def _cell(
    notebook: Notebook, raw: dict[str, object], index: int, path: Path, budget: _Budget
) -> Cell:
    number = index + 1
    cell_type = raw.get("cell_type")
    if not isinstance(cell_type, str):
        notebook.problems.append(f"cell {number} has no string `cell_type`")
        cell_type = "unknown"
    key = "input" if "source" not in raw and "input" in raw else "source"
    raw_source = raw.get(key, "")
    source = join_text(raw_source)
    if source is None:
        notebook.problems.append(f"cell {number} `{key}` is neither a string nor a list of strings")
        source = ""
    cell_id = raw.get("id")
    outputs = _outputs(notebook, raw.get("outputs", []), number, path, budget)
    return Cell(
        index=index,
        cell_type=cell_type,
        source=source,
        source_path=(*path, key),
        source_parts=_part_lines(raw_source) if isinstance(raw_source, list) else (),
        cell_id=cell_id if isinstance(cell_id, str) and cell_id else None,
        metadata=raw.get("metadata"),
        outputs=outputs,
        path=path,
    )


def _outputs(
    notebook: Notebook, raw: object, number: int, path: Path, budget: _Budget
) -> tuple[Output, ...]:
    if not isinstance(raw, list):
        notebook.problems.append(f"cell {number} `outputs` is not a list")
        return ()
    outputs: list[Output] = []
    for j, item in enumerate(raw):
        if budget.outputs >= MAX_OUTPUTS:
            notebook.problems.append(f"more than {MAX_OUTPUTS} outputs; the rest were not analysed")
            break
        budget.outputs += 1
        if not isinstance(item, dict):
            notebook.problems.append(f"cell {number} output {j + 1} is not an object")
            continue
        kind = item.get("output_type")
        texts = tuple(_output_texts(item))
        outputs.append(
            Output(j, kind if isinstance(kind, str) else "", texts, (*path, "outputs", j))
        )
    return tuple(outputs)


def _output_texts(item: dict[str, object]) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    stream = join_text(item.get("text")) if item.get("output_type") == "stream" else None
    if stream:
        texts.append(("stream", stream))
    data = item.get("data")
    if isinstance(data, dict):
        bundle = data
    elif item.get("output_type") in ("pyout", "display_data", "execute_result"):
        bundle = {mime: item[key] for key, mime in _V3_MIME.items() if key in item}
    else:
        bundle = {}
    for mime, value in bundle.items():
        text = join_text(value)
        if text is None and mime.endswith("json"):
            text = _dump(value)
        if text:
            texts.append((str(mime), text[:MAX_OUTPUT_TEXT]))
    if item.get("output_type") in ("error", "pyerr"):
        trace = join_text(item.get("traceback"))
        parts = [str(item.get("ename", "")), str(item.get("evalue", "")), trace or ""]
        texts.append(("traceback", "\n".join(parts)[:MAX_OUTPUT_TEXT]))
    return texts


def join_text(value: object) -> str | None:
    """A multiline string as nbformat stores it (a string or a list of strings), or None."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = [part for part in value if isinstance(part, str)]
        if len(parts) == len(value):
            return "".join(parts)
    return None


def _part_lines(parts: list[object]) -> tuple[int, ...]:
    starts: list[int] = []
    line = 0
    for part in parts:
        starts.append(line)
        line += str(part).count("\n")
    return tuple(starts)


def _dump(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:MAX_OUTPUT_TEXT]
    except (TypeError, ValueError, RecursionError):
        return ""


def _kind(value: object) -> str:
    names = {list: "array", dict: "object", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
