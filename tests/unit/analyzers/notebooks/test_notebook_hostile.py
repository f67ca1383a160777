"""AIW-NB007 and bounds: broken and hostile notebooks are reported, never crash or hang."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nb_builders import code, dumps, markdown, notebook, scan

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.notebooks import _model
from aiwarden.analyzers.notebooks.analyzer import MAX_JSON_DEPTH, NotebookAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat


def nb007(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule_id == "AIW-NB007"]


BROKEN = {
    "not json": "{ this is not json",
    "truncated": dumps(notebook([code("x = 1\n")]))[:-40],
    "a json list": json.dumps([{"cells": []}]),
    "a json string": json.dumps("cells"),
    "no cells": json.dumps({"metadata": {}, "nbformat": 4}),
    "cells is an object": json.dumps({"cells": {"0": {}}, "nbformat": 4}),
    "deeply nested": '{"cells": [], "metadata": ' + "[" * 5000 + "]" * 5000 + "}",
    "nested just past the bound": '{"cells": [], "m": '
    + "[" * MAX_JSON_DEPTH
    + "]" * MAX_JSON_DEPTH
    + "}",
    "empty": "",
    "huge number": '{"cells": [], "nbformat": ' + "9" * 10_000 + "}",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_unreadable_notebooks_are_reported(tmp_path: Path, text: str) -> None:
    findings = scan(tmp_path, text)
    assert len(nb007(findings)) == 1
    assert nb007(findings)[0].severity.value == "medium"
    assert nb007(findings)[0].message.startswith("Notebook could not be analysed: ")


def test_nesting_within_the_bound_is_fine(tmp_path: Path) -> None:
    deep: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH - 5):
        deep = {"k": deep}
    assert nb007(scan(tmp_path, notebook([code("x = 1\n")], {"deep": deep}))) == []


WRONG_TYPES: dict[str, Any] = {
    "cell is a string": notebook(["print(1)", code("x = 1\n")]),
    "source is a number": notebook([{"cell_type": "code", "source": 42, "outputs": []}]),
    "source list holds a number": notebook([{"cell_type": "code", "source": ["a", 1]}]),
    "outputs is an object": notebook([{"cell_type": "code", "source": [], "outputs": {}}]),
    "output is a list": notebook([{"cell_type": "code", "source": [], "outputs": [[1]]}]),
    "cell_type missing": notebook([{"source": ["x"]}]),
    "nbformat missing": {"cells": [code("x = 1\n")]},
}


@pytest.mark.parametrize("nb", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_wrong_types_are_reported_and_the_rest_analysed(tmp_path: Path, nb: Any) -> None:
    findings = scan(tmp_path, nb)
    (problem,) = nb007(findings)
    assert problem.message.startswith(
        "Notebook was only partly analysed: its structure is malformed"
    )


def test_malformed_cell_does_not_hide_the_next_one(tmp_path: Path) -> None:
    nb = notebook(["garbage", code("import pickle\npickle.loads(b)\n")])
    findings = scan(tmp_path, nb)
    assert nb007(findings)
    assert any(f.rule_id.startswith("AIW-PY") and f.message.startswith("Cell 2") for f in findings)


def test_cell_count_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_model, "MAX_CELLS", 50)
    findings = scan(tmp_path, notebook([markdown(f"cell {i}\n") for i in range(500)]))
    (problem,) = nb007(findings)
    assert "more than 50 cells" in problem.message


def test_many_cells_at_the_real_bound_finish(tmp_path: Path) -> None:
    findings = scan(tmp_path, notebook([markdown("x\n")] * (_model.MAX_CELLS + 5)))
    assert "more than" in nb007(findings)[0].message


def test_output_count_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_model, "MAX_OUTPUTS", 10)
    outputs = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}] * 30
    (problem,) = nb007(scan(tmp_path, notebook([code("print(1)\n", outputs=outputs)])))
    assert "more than 10 outputs" in problem.message


def test_notebook_over_the_size_limit_is_reported_then_stops(tmp_path: Path) -> None:
    path = tmp_path / "big.ipynb"
    path.write_text(dumps(notebook([markdown("x" * 5000 + "\n")])))
    artifact = Artifact(path, "big.ipynb", FileFormat.NOTEBOOK, path.stat().st_size)
    found: list[Finding] = []
    with pytest.raises(LimitExceeded):
        limits = Limits(max_text_bytes=1000, max_read_bytes=2000)
        for finding in NotebookAnalyzer().analyze(artifact, limits):
            found.append(finding)
    assert [f.rule_id for f in found] == ["AIW-NB007"]


def test_notebooks_may_be_larger_than_source_files(tmp_path: Path) -> None:
    """Saved plots make notebooks big: up to 64 MiB (within max_read_bytes) is analysed."""
    path = tmp_path / "plots.ipynb"
    path.write_text(dumps(notebook([markdown("x" * 5000 + "\n")])))
    artifact = Artifact(path, "plots.ipynb", FileFormat.NOTEBOOK, path.stat().st_size)
    found = list(NotebookAnalyzer().analyze(artifact, Limits(max_text_bytes=1000)))
    assert [f.rule_id for f in found] == []


def test_nbformat_3_worksheets(tmp_path: Path) -> None:
    cell = {
        "cell_type": "code",
        "input": ["import pickle\n", "pickle.loads(b)\n"],
        "language": "python",
        "outputs": [
            {
                "output_type": "pyout",
                "text": ["'ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A" + "'"],
            }
        ],
    }
    nb = {
        "metadata": {"name": ""},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{"cells": [cell]}],
    }
    findings = scan(tmp_path, nb)
    assert nb007(findings) == []
    py = [f for f in findings if f.rule_id.startswith("AIW-PY")]
    assert py and py[0].message.startswith("Cell 1, line 2: ")
    raw = dumps(nb)
    assert py[0].location.line == raw[: raw.index('"pickle.loads(b)\\n"')].count("\n") + 1
    assert any(f.rule_id == "AIW-SEC002" for f in findings)


def test_byte_order_mark_and_duplicate_keys(tmp_path: Path) -> None:
    text = "\ufeff" + dumps(notebook([code("x = 1\n")]))
    assert scan(tmp_path, text) == []
    dup = (
        '{"cells": [{"cell_type": "code", "source": ["a\\n"], '
        '"source": ["import pickle\\n", "pickle.loads(b)\\n"]}], "nbformat": 4}'
    )
    py = [f for f in scan(tmp_path, dup) if f.rule_id.startswith("AIW-PY")]
    assert py and py[0].message.startswith("Cell 1, line 2: ")


def test_accepts_by_name_and_format(tmp_path: Path) -> None:
    analyzer = NotebookAnalyzer()
    path = tmp_path / "x.ipynb"
    path.write_text("x")
    assert analyzer.accepts(Artifact(path, "x.ipynb", FileFormat.TEXT, 1))
    assert analyzer.accepts(Artifact(path, "nb", FileFormat.NOTEBOOK, 1))
    assert not analyzer.accepts(Artifact(path, "x.json", FileFormat.JSON, 1))
