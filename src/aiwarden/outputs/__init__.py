"""Renderers: a :class:`~aiwarden.core.ScanReport` in, a document (``str``) out.

Formats: ``text`` (rich, for terminals), ``json`` (versioned, with a JSON Schema),
``sarif`` (2.1.0, for GitHub code scanning) and ``markdown`` (pull-request comments
and ``$GITHUB_STEP_SUMMARY``). Use :func:`get_renderer` to pick one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiwarden.outputs.interface import OutputFormat, Renderer, get_renderer

if TYPE_CHECKING:
    from aiwarden.outputs.json import (
        JSON_SCHEMA_PATH,
        JSON_SCHEMA_VERSION,
        JsonRenderer,
        load_json_schema,
        report_to_json,
    )
    from aiwarden.outputs.markdown import MarkdownRenderer
    from aiwarden.outputs.sarif import (
        SARIF_SCHEMA_URI,
        SARIF_VERSION,
        SarifRenderer,
        report_to_sarif,
    )
    from aiwarden.outputs.text import TextRenderer

_LAZY = {
    "JSON_SCHEMA_PATH": "json",
    "JSON_SCHEMA_VERSION": "json",
    "JsonRenderer": "json",
    "load_json_schema": "json",
    "report_to_json": "json",
    "MarkdownRenderer": "markdown",
    "SARIF_SCHEMA_URI": "sarif",
    "SARIF_VERSION": "sarif",
    "SarifRenderer": "sarif",
    "report_to_sarif": "sarif",
    "TextRenderer": "text",
}


def __getattr__(name: str) -> Any:
    """Import a renderer's module on first use (the text renderer pulls in rich)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aiwarden.outputs' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"aiwarden.outputs.{module}"), name)


__all__ = [
    "JSON_SCHEMA_PATH",
    "JSON_SCHEMA_VERSION",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "JsonRenderer",
    "MarkdownRenderer",
    "OutputFormat",
    "Renderer",
    "SarifRenderer",
    "TextRenderer",
    "get_renderer",
    "load_json_schema",
    "report_to_json",
    "report_to_sarif",
]
