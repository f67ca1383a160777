"""Notebooks built in code, serialised the way Jupyter writes them (``indent=1``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.notebooks.analyzer import NotebookAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat


def lines(text: str) -> list[str]:
    """A multiline string as nbformat stores it: one string per line, newline kept."""
    return text.splitlines(keepends=True)


def code(
    text: str,
    *,
    outputs: list[dict[str, Any]] | None = None,
    cell_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": metadata or {},
        "outputs": outputs or [],
        "source": lines(text),
    }
    if cell_id:
        cell["id"] = cell_id
    return cell


def markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": lines(text)}


def stream(text: str) -> dict[str, Any]:
    return {"name": "stdout", "output_type": "stream", "text": lines(text)}


def display(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "metadata": {}, "output_type": "display_data"}


def error(evalue: str, traceback: list[str]) -> dict[str, Any]:
    return {"ename": "ValueError", "evalue": evalue, "output_type": "error", "traceback": traceback}


def notebook(cells: list[Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "cells": cells,
        "metadata": metadata
        if metadata is not None
        else {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: Any) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def scan(
    tmp_path: Path, content: Any, name: str = "analysis.ipynb", **limits: Any
) -> list[Finding]:
    """Run the notebook analyzer on ``content`` (a notebook dict, or raw text)."""
    text = content if isinstance(content, str) else dumps(content)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    artifact = Artifact(path, name, FileFormat.NOTEBOOK, path.stat().st_size)
    return list(NotebookAnalyzer().analyze(artifact, Limits(**limits)))


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1
