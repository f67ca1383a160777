"""The interface of a scorecard renderer and the formats of ``aiwarden assess``."""

from __future__ import annotations

import abc
import enum
from typing import assert_never

from aiwarden.assess.model import Scorecard


class AssessmentRenderer(abc.ABC):
    """Turns a finished :class:`Scorecard` into a document. Never prints, never re-scans."""

    @abc.abstractmethod
    def render(self, scorecard: Scorecard) -> str:
        """The whole document for ``scorecard``."""


class AssessmentFormat(enum.Enum):
    """The values of ``aiwarden assess --format``."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


def get_assessment_renderer(
    fmt: AssessmentFormat,
    *,
    color: bool = False,
    width: int = 100,
    detail: bool = False,
    link_base: str = "",
) -> AssessmentRenderer:
    """The renderer for ``fmt``; ``color``, ``width`` and ``detail`` shape the text format,
    ``link_base`` (prefixed to project paths) the HTML file links.

    Renderer modules import this one, so they are imported here, when called.
    """
    match fmt:
        case AssessmentFormat.TEXT:
            from aiwarden.outputs.assessment.text import AssessmentTextRenderer

            return AssessmentTextRenderer(color=color, width=width, detail=detail)
        case AssessmentFormat.JSON:
            from aiwarden.outputs.assessment.json import AssessmentJsonRenderer

            return AssessmentJsonRenderer()
        case AssessmentFormat.MARKDOWN:
            from aiwarden.outputs.assessment.markdown import AssessmentMarkdownRenderer

            return AssessmentMarkdownRenderer()
        case AssessmentFormat.HTML:
            from aiwarden.outputs.assessment.html import HtmlRenderer

            return HtmlRenderer(link_base=link_base)
        case _:
            assert_never(fmt)
