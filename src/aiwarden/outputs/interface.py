"""The renderer interface, the output formats and the factory that maps one to the other."""

from __future__ import annotations

import abc
import enum
from typing import assert_never

from aiwarden.core.report import ScanReport


class Renderer(abc.ABC):
    """Turns a finished :class:`ScanReport` into text. Never prints, never re-scans."""

    @abc.abstractmethod
    def render(self, report: ScanReport) -> str:
        """The whole document for ``report``."""


class OutputFormat(enum.Enum):
    """The values of ``--format``."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"


def get_renderer(fmt: OutputFormat, *, color: bool = False, width: int = 100) -> Renderer:
    """The renderer for ``fmt``. ``color`` and ``width`` only affect the text format.

    Renderer modules import this one for :class:`Renderer`, so they are imported here,
    when called, rather than at the top of the module.
    """
    match fmt:
        case OutputFormat.TEXT:
            from aiwarden.outputs.text import TextRenderer

            return TextRenderer(color=color, width=width)
        case OutputFormat.JSON:
            from aiwarden.outputs.json import JsonRenderer

            return JsonRenderer()
        case OutputFormat.SARIF:
            from aiwarden.outputs.sarif import SarifRenderer

            return SarifRenderer()
        case OutputFormat.MARKDOWN:
            from aiwarden.outputs.markdown import MarkdownRenderer

            return MarkdownRenderer()
        case _:
            assert_never(fmt)
