"""The Jinja side of the chat-template checker: parsing (never rendering) and analysis.

Imported on first use by :func:`~aiwarden.analyzers.models.chat_template.check_template`,
so scans without chat templates never import Jinja.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from jinja2 import nodes
from jinja2.ext import Extension, do, loopcontrols
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from aiwarden.analyzers.models._template_checks import find_issues, run_passes
from aiwarden.analyzers.models._template_eval import Evaluator
from aiwarden.analyzers.models._template_issue import TemplateIssue


class _GenerationTag(Extension):
    """transformers' ``{% generation %}...{% endgeneration %}`` block (parsed, not rendered)."""

    tags = {"generation"}  # noqa: RUF012 - jinja2's Extension API declares it this way

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.Scope(body, lineno=lineno)


ENV = ImmutableSandboxedEnvironment(
    trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols, do, _GenerationTag]
)
"""Used only for ``parse()``: templates are never compiled or rendered."""


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
