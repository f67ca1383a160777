"""The Jinja side of the chat-template checker: parsing (never rendering) and analysis.

Imported on first use by :func:`~aiwarden.analyzers.models.chat_template.check_template`,
so scans without chat templates never load Jinja's parser (see
:mod:`~aiwarden.analyzers.models._jinja_parse`, which loads only that part of Jinja).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiwarden.analyzers.models._jinja_parse import parse
from aiwarden.analyzers.models._template_checks import find_issues, run_passes
from aiwarden.analyzers.models._template_eval import Evaluator
from aiwarden.analyzers.models._template_issue import TemplateIssue

if TYPE_CHECKING:
    from jinja2 import nodes
else:  # the node classes the parser builds
    from aiwarden.analyzers.models._jinja_parse import nodes

__all__ = ["analyse", "parse"]


def analyse(
    template: nodes.Template, max_nodes: int, too_big: Callable[[str], TemplateIssue]
) -> list[TemplateIssue]:
    """The issues of a parsed template (``too_big`` reports one over ``max_nodes``)."""
    descendants = list(itertools.islice(template.find_all(nodes.Node), max_nodes + 1))
    if len(descendants) > max_nodes:
        return [too_big(f"Template has more than {max_nodes} syntax nodes.")]
    evaluator = Evaluator(template, descendants)  # the analysis walks this list, not the tree
    run_passes(evaluator)
    return list(find_issues(evaluator))
