"""Turning taint hits into issues: which source to name, severity, confidence, wording.

Shared by the taint rules (AIW-PY008, AIW-PY009, AIW-PY016) so their messages read
alike: ``"<what> (line 12) reaches eval (line 15)"``, with the helper calls the value
went through and the source as a related position.
"""

from __future__ import annotations

import ast
from typing import Final

from aiwarden.analyzers.code._taint import Hit, SinkKind, Taint
from aiwarden.analyzers.code._taint_scope import ScopeNode
from aiwarden.analyzers.code._taint_sinks import contains_paths
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue, CodeSpan
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

SEVERITY: Final[dict[SinkKind, Severity]] = {
    SinkKind.CODE: Severity.CRITICAL,
    SinkKind.SHELL: Severity.CRITICAL,
    SinkKind.SQL: Severity.HIGH,
    SinkKind.HTML: Severity.HIGH,
    SinkKind.PATH: Severity.MEDIUM,
    SinkKind.URL: Severity.MEDIUM,
    SinkKind.PROMPT: Severity.MEDIUM,
}
"""Severity of an LLM-output flow by the kind of sink it reaches."""

_RANK: Final = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def primary(hit: Hit) -> Taint:
    """The taint to name in the message: the most certain, then the earliest."""
    return min(hit.taints, key=lambda t: (-_RANK[t.confidence], t.line, t.label))


def confidence(hit: Hit, taint: Taint) -> Confidence:
    """The lower of the source's and the sink's confidence."""
    return min(taint.confidence, hit.sink.confidence, key=lambda c: _RANK[c])


def path_is_contained(ctx: ModuleContext, hit: Hit) -> bool:
    """True for a file-path hit in a function that checks path containment."""
    if hit.sink.kind is not SinkKind.PATH:
        return False
    return contains_paths(ctx.enclosing_function(hit.node)) or (
        isinstance(hit.scope, ast.FunctionDef | ast.AsyncFunctionDef) and contains_paths(hit.scope)
    )


def route(hit: Hit) -> str:
    """`` through run_sql() (line 40)`` when the value reached the sink inside helpers."""
    if not hit.via:
        return ""
    return " through " + " -> ".join(f"{name}() (line {line})" for name, line in hit.via)


def origin(taint: Taint) -> str:
    """``openai chat.completions.create (line 12)``, with the helper that returned it."""
    text = f"{taint.label} (line {taint.line})"
    if taint.via is not None:
        text += f", returned by {taint.via[0]}() at line {taint.via[1]}"
    return text


def related(ctx: ModuleContext, hit: Hit, taint: Taint, label: str) -> tuple[CodeSpan, ...]:
    """The source position, then the helper calls the value went through."""
    spans = [ctx.span(taint.origin, label)]
    if taint.via is not None:
        spans.append(CodeSpan(taint.via[1], 1, f"returned by {taint.via[0]}()"))
    spans.extend(CodeSpan(line, 1, f"passed to {name}()") for name, line in hit.via)
    return tuple(spans)


def fingerprint(hit: Hit, taint: Taint) -> str:
    """A line-independent key: the sink, the source label and the helpers on the way."""
    via = "".join(f" via {name}" for name, _ in hit.via)
    return f"{hit.sink.name} <- {taint.label}{via}"


def incomplete(ctx: ModuleContext, scope: ScopeNode, rule: Rule) -> CodeIssue:
    """An ``AIW-PY099`` issue for a scope too large for the taint analysis of ``rule``."""
    from aiwarden.analyzers.code.python_source import UNPARSEABLE

    name = scope.name if not isinstance(scope, ast.Module) else "the module body"
    node: ast.AST = scope.body[0] if isinstance(scope, ast.Module) and scope.body else scope
    return ctx.issue(
        UNPARSEABLE,
        node,
        f"{name} is too large for the taint analysis of {rule.id}; that rule was not applied "
        "to it.",
        key=f"taint budget {rule.id}",
        confidence=Confidence.HIGH,
    )
