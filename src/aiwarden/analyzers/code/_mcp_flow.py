"""The taint analysis behind AIW-PY016: MCP tool parameters followed to dangerous sinks.

Loaded by :class:`~.rules_mcp.McpChecker` only for a module that imports ``mcp`` or
``fastmcp``, so other Python files never import the taint engine.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import Final

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import mcp_handler, mcp_parameters, registered_tools
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._rules_meta import MCP_PARAMETER_TO_SINK
from aiwarden.analyzers.code._taint import Evaluator, Hit, Sink, SinkKind, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, ScopeNode, analyse
from aiwarden.analyzers.code._taint_sinks import SinkMatcher
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence, Severity

MCP_KINDS: Final = frozenset({SinkKind.CODE, SinkKind.SHELL, SinkKind.PATH, SinkKind.URL})
SEVERITY: Final = {
    SinkKind.CODE: Severity.CRITICAL,
    SinkKind.SHELL: Severity.CRITICAL,
    SinkKind.PATH: Severity.HIGH,
    SinkKind.URL: Severity.HIGH,
}


class McpSpec:
    """Sources: handler parameters (seeded). Sinks: shell, code, file paths, URLs."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver) -> None:
        self.matcher = SinkMatcher(ctx, resolver, MCP_KINDS)

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """No expression is a source: the handler's parameters are."""
        return None

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The dangerous calls ``node`` makes."""
        if isinstance(node, ast.Call):
            yield from self.matcher.sinks(node, ev)


def mcp_issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
    """One issue per sink reached by a tool parameter of a module that imports MCP."""
    resolver = Resolver(ctx)
    handlers: dict[Function, Confidence] = {}
    for func in ctx.functions():
        found = mcp_handler(resolver, func, imports_mcp=True)
        if found is not None:
            handlers[func] = found
    for func in registered_tools(ctx, resolver):
        handlers.setdefault(func, Confidence.HIGH)
    if not handlers:
        return

    def seeds(func: Function) -> dict[str, TaintSet]:
        return mcp_parameters(resolver, func, handlers[func])

    scopes: list[ScopeNode] = list(handlers)
    analysis = analyse(ctx, McpSpec(ctx, resolver), scopes, seeds, resolver=resolver)
    for hit in analysis.hits:
        if report.path_is_contained(ctx, hit):
            continue
        yield _issue(ctx, hit)
    for scope in analysis.incomplete:
        yield report.incomplete(ctx, scope, MCP_PARAMETER_TO_SINK)


def _issue(ctx: ModuleContext, hit: Hit) -> CodeIssue:
    taint = report.primary(hit)
    scope = hit.scope
    handler = scope.name if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else "?"
    line = getattr(hit.node, "lineno", 1)
    return ctx.issue(
        MCP_PARAMETER_TO_SINK,
        hit.node,
        f"{taint.label} of {handler}() (line {taint.line}) reaches {hit.sink.name} "
        f"(line {line}){report.route(hit)}: a model-chosen value is used as "
        f"{hit.sink.kind.value} without validation.",
        key=report.fingerprint(hit, taint),
        severity=SEVERITY[hit.sink.kind],
        confidence=report.confidence(hit, taint),
        related=report.related(ctx, hit, taint, "tool parameter"),
    )
