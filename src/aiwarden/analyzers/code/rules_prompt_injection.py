"""AIW-PY009: untrusted request data formatted into the system (or developer) prompt.

Sources are web request data (:mod:`._input_sources`); sinks are the system-role
positions of chat messages and LLM calls (:mod:`._prompt_sinks`). Request data in the
*user* role is the normal use of a chat API and is never reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import (
    imports_module,
    request_source,
    route_parameters,
)
from aiwarden.analyzers.code._llm_sources import LlmSources
from aiwarden.analyzers.code._prompt_sinks import PromptSinks
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._rules_meta import (
    REQUEST_DATA_IN_SYSTEM_PROMPT,
)
from aiwarden.analyzers.code._taint import Evaluator, Sink, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, all_scopes, analyse
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

WEB_FRAMEWORKS = ("fastapi", "flask", "starlette", "django", "rest_framework", "quart", "sanic")


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


class SystemPromptChecker(Checker):
    """Reports request data placed in a system prompt (AIW-PY009)."""

    rules: ClassVar[tuple[Rule, ...]] = (REQUEST_DATA_IN_SYSTEM_PROMPT,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per system-prompt position filled with request data."""
        if not imports_module(ctx, *WEB_FRAMEWORKS) and "request" not in ctx.source:
            return
        if not any(word in ctx.source for word in ("system", "developer", "instructions")):
            return
        resolver = Resolver(ctx)
        web = imports_module(ctx, *WEB_FRAMEWORKS)

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
