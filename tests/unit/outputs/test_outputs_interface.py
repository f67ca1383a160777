"""The renderer factory and the package exports."""

from __future__ import annotations

import pytest

import aiwarden.outputs as outputs
from aiwarden.core import ScanReport
from aiwarden.outputs import (
    JsonRenderer,
    MarkdownRenderer,
    OutputFormat,
    Renderer,
    SarifRenderer,
    TextRenderer,
    get_renderer,
)

EXPECTED = {
    OutputFormat.TEXT: TextRenderer,
    OutputFormat.JSON: JsonRenderer,
    OutputFormat.SARIF: SarifRenderer,
    OutputFormat.MARKDOWN: MarkdownRenderer,
}


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_has_a_renderer_that_renders(fmt: OutputFormat, report: ScanReport) -> None:
    renderer = get_renderer(fmt)
    assert isinstance(renderer, Renderer)
    assert isinstance(renderer, EXPECTED[fmt])
    output = renderer.render(report)
    assert isinstance(output, str)
    assert output.endswith("\n")


def test_expected_covers_the_whole_enum() -> None:
    assert set(EXPECTED) == set(OutputFormat)
    assert {f.value for f in OutputFormat} == {"text", "json", "sarif", "markdown"}


def test_text_options_are_passed_through() -> None:
    renderer = get_renderer(OutputFormat.TEXT, color=True, width=60)
    assert isinstance(renderer, TextRenderer)
    assert renderer.color is True
    assert renderer.width == 60


def test_renderers_are_deterministic(report: ScanReport) -> None:
    for fmt in OutputFormat:
        assert get_renderer(fmt).render(report) == get_renderer(fmt).render(report)


def test_all_exports_exist() -> None:
    for name in outputs.__all__:
        assert hasattr(outputs, name), name
