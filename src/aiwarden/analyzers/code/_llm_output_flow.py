"""The taint analysis behind AIW-PY008: LLM replies followed to code, shell, SQL, HTML...

Loaded by :class:`~.rules_llm_output.LlmOutputChecker` only for a module that passes its
cheap text test, so a Python file that mentions no LLM library never imports the taint
engine (:mod:`._taint_scope`, :mod:`._taint_sinks`, :mod:`._llm_sources`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import Final

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import parameter_seeds
from aiwarden.analyzers.code._llm_sources import LlmSources, agent_tool
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._rules_meta import LLM_OUTPUT_TO_SINK
from aiwarden.analyzers.code._taint import Evaluator, Hit, Sink, SinkKind, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, all_scopes, analyse
from aiwarden.analyzers.code._taint_sinks import SinkMatcher
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence

OUTPUT_KINDS: Final = frozenset(
    {SinkKind.CODE, SinkKind.SHELL, SinkKind.SQL, SinkKind.HTML, SinkKind.PATH, SinkKind.URL}
)


class LlmOutputSpec:
    """Sources: LLM calls. Sinks: code, shell, SQL, HTML, file paths, URLs."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver) -> None:
        self.llm = LlmSources(ctx, resolver)
        self.matcher = SinkMatcher(ctx, resolver, OUTPUT_KINDS)

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """The LLM reply ``node`` returns, if it is an LLM call."""
        if not isinstance(node, ast.Call):
            return None
        found = self.llm.match(node)
        return Taint(node, found.label, found.confidence) if found is not None else None

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The dangerous calls ``node`` makes."""
        if isinstance(node, ast.Call):
            yield from self.matcher.sinks(node, ev)


def llm_output_issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
    """One issue per sink reached by LLM output (or by a model-chosen tool argument)."""
    resolver = Resolver(ctx)
    spec = LlmOutputSpec(ctx, resolver)
    tools = {f for f in ctx.functions() if agent_tool(resolver, f)}
    if not tools and not any(spec.llm.match(call) for call in ctx.calls()):
        return

    def seeds(func: Function) -> dict[str, TaintSet]:
        if func not in tools:
            return {}
        return parameter_seeds(func, "model-chosen argument", Confidence.HIGH)

    analysis = analyse(ctx, spec, all_scopes(ctx), seeds, resolver=resolver)
    for hit in analysis.hits:
        if report.path_is_contained(ctx, hit):
            continue
        taint = report.primary(hit)
        line = getattr(hit.node, "lineno", 1)
        yield ctx.issue(
            LLM_OUTPUT_TO_SINK,
            hit.node,
            f"{_what(hit, taint)} reaches {hit.sink.name} (line {line})"
            f"{report.route(hit)}: the model's text is used as "
            f"{hit.sink.kind.value} without validation.",
            key=report.fingerprint(hit, taint),
            severity=report.SEVERITY[hit.sink.kind],
            confidence=report.confidence(hit, taint),
            related=report.related(ctx, hit, taint, "LLM output"),
        )
    for scope in analysis.incomplete:
        yield report.incomplete(ctx, scope, LLM_OUTPUT_TO_SINK)


def _what(hit: Hit, taint: Taint) -> str:
    """``Output of openai ... (line 4)`` or ``Model-chosen argument 'cmd' of tool run() ...``."""
    if isinstance(taint.origin, ast.arg):
        scope = hit.scope
        tool = scope.name if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else "?"
        return f"Model-chosen argument '{taint.origin.arg}' of tool {tool}() (line {taint.line})"
    return f"Output of {report.origin(taint)}"
