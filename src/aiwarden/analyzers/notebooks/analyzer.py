"""The notebook analyzer: ``.ipynb`` files, parsed as JSON, never executed or rendered.

For each cell it runs the Python rules on the code (IPython syntax stripped, line
numbers kept), checks installs, and looks for secrets in sources, saved outputs and
metadata; saved outputs are also checked for personal data and active content.
Findings are located on the ``.ipynb`` line where the cell's source line is stored,
and their messages start with ``Cell N, line M:``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import, load_now
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.notebooks.rules import NOT_ANALYSED, RULES
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.notebooks import _cells, _json_map, _locate, _model
    from aiwarden.analyzers.notebooks._json_map import PositionMap
    from aiwarden.analyzers.notebooks._model import Notebook
else:  # the parsers and cell checks (Python rules, secret patterns) load with a notebook
    _cells = lazy_import("aiwarden.analyzers.notebooks._cells")
    _json_map = lazy_import("aiwarden.analyzers.notebooks._json_map")
    _locate = lazy_import("aiwarden.analyzers.notebooks._locate")
    _model = lazy_import("aiwarden.analyzers.notebooks._model")

MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
"""Largest notebook read (within ``Limits.max_read_bytes``): saved plots make notebooks
far bigger than source files, so the text limit of other analyzers would fail most."""
MAX_JSON_DEPTH = 64
"""Deepest JSON nesting accepted; nbformat needs about 10, widget state a few more."""
_MAX_PROBLEMS_SHOWN = 5


class NotebookAnalyzer(Analyzer):
    """Checks Jupyter notebooks: code cells, outputs, metadata, installs."""

    name: ClassVar[str] = "notebooks"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.NOTEBOOK})
    reports_also: ClassVar[tuple[str, ...]] = ("AIW-PY", "AIW-SEC")

    def preload(self, names: Sequence[str]) -> None:
        """Load the cell checks before the workers fork when the project has notebooks."""
        if any(name.lower().endswith(".ipynb") for name in names):
            load_now(_cells)

    def accepts(self, artifact: Artifact) -> bool:
        """Notebooks by classification, and any file named ``*.ipynb``."""
        return artifact.format is FileFormat.NOTEBOOK or artifact.name.lower().endswith(".ipynb")

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for one notebook (``AIW-NB007`` if it cannot be read)."""
        limit = max(limits.max_text_bytes, min(MAX_NOTEBOOK_BYTES, limits.max_read_bytes))
        if artifact.size > limit:
            yield _not_analysed(
                artifact, f"it is {artifact.size} bytes, over the {limit}-byte limit"
            )
            raise LimitExceeded("max_notebook_bytes", limit, artifact.relpath)
        text = artifact.read_bytes(limit).decode("utf-8", errors="replace").removeprefix("\ufeff")
        try:
            positions = _json_map.map_positions(text, MAX_JSON_DEPTH)
            notebook = _model.load_notebook(json.loads(text))
        except _json_map.TooDeep as exc:
            yield _not_analysed(artifact, str(exc))
            return
        except _model.NotANotebook as exc:
            yield _not_analysed(artifact, f"it is not an nbformat notebook: {exc}")
            return
        except (ValueError, RecursionError) as exc:
            yield _not_analysed(
                artifact, f"it is not valid JSON ({type(exc).__name__}: {exc})"[:300]
            )
            return
        yield from _notebook_findings(artifact, notebook, positions)


def _notebook_findings(
    artifact: Artifact, notebook: Notebook, positions: PositionMap
) -> Iterator[Finding]:
    if notebook.problems:
        shown = "; ".join(notebook.problems[:_MAX_PROBLEMS_SHOWN])
        more = len(notebook.problems) - _MAX_PROBLEMS_SHOWN
        suffix = f" (and {more} more)" if more > 0 else ""
        yield _not_analysed(artifact, f"its structure is malformed: {shown}{suffix}", partly=True)
    locator = _locate.Locator(artifact, positions)
    ctx = _cells.CellContext(locator)
    if notebook.metadata:
        yield from _cells.metadata_findings(locator, notebook.metadata, ("metadata",), None)
    for cell in notebook.cells:
        yield from _cells.cell_findings(ctx, cell)
    first = ctx.unparseable.first
    if first is not None:
        if ctx.unparseable.count > 1:
            note = f" ({ctx.unparseable.count} code cells could not be parsed)"
            first = make_finding(
                first.rule,
                first.location,
                first.message + note,
                confidence=first.confidence,
                evidence=first.evidence,
                fingerprint_key=first.fingerprint_key,
            )
        yield first


def _not_analysed(artifact: Artifact, why: str, *, partly: bool = False) -> Finding:
    scope = "was only partly analysed" if partly else "could not be analysed"
    return make_finding(
        NOT_ANALYSED,
        artifact.location(),
        f"Notebook {scope}: {why}.",
        evidence=why[:200],
        fingerprint_key=f"notebook:not-analysed:{'partly' if partly else 'fully'}",
    )
