"""The taint analysis behind AIW-PY009: request data followed into system prompts.

Loaded by :class:`~.rules_prompt_injection.SystemPromptChecker` only for a module that
passes its cheap text tests, so other Python files never import the taint engine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import request_source, route_parameters
from aiwarden.analyzers.code._llm_sources import LlmSources
from aiwarden.analyzers.code._prompt_sinks import PromptSinks
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._rules_meta import REQUEST_DATA_IN_SYSTEM_PROMPT
from aiwarden.analyzers.code._taint import Evaluator, Sink, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, all_scopes, analyse
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue


class SystemPromptSpec:
    """Sources: request data. Sinks: system-role prompt positions."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver, web: bool = False) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self.web = web
        self.prompts = PromptSinks(ctx, resolver, LlmSources(ctx, resolver))

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """The request data ``node`` reads, if any."""
        return request_source(self.ctx, self.resolver, node, self.web)

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The system-prompt positions ``node`` fills."""
        return self.prompts.sinks(node, ev)


def system_prompt_issues(ctx: ModuleContext, web: bool) -> Iterator[CodeIssue]:
    """One issue per system-prompt position filled with request data.

    ``web`` says whether the module imports a web framework.
    """
    resolver = Resolver(ctx)

    def seeds(func: Function) -> dict[str, TaintSet]:
        return route_parameters(resolver, func, web)

    spec = SystemPromptSpec(ctx, resolver, web)
    analysis = analyse(ctx, spec, all_scopes(ctx), seeds, resolver=resolver)
    for hit in analysis.hits:
        taint = report.primary(hit)
        yield ctx.issue(
            REQUEST_DATA_IN_SYSTEM_PROMPT,
            hit.node,
            f"Request data {report.origin(taint)} is placed in the system prompt "
            f"({hit.sink.name}, line {getattr(hit.node, 'lineno', 1)}){report.route(hit)}; "
            "clients can rewrite the application's instructions.",
            key=report.fingerprint(hit, taint),
            confidence=report.confidence(hit, taint),
            related=report.related(ctx, hit, taint, "request data"),
        )
    for scope in analysis.incomplete:
        yield report.incomplete(ctx, scope, REQUEST_DATA_IN_SYSTEM_PROMPT)
