"""AIW-PY017: poisoned tool descriptions in MCP server source.

An MCP client shows the model every tool's name, description and parameter
descriptions. This checker reads them where a server defines them and reports the
poisoning signs of :mod:`.poisoning_patterns`:

* functions decorated with ``@<server>.tool`` / ``@<server>.tool(...)`` where the server
  is a ``FastMCP`` (``mcp.server.fastmcp`` or ``fastmcp``) or low-level ``Server`` object
  (high confidence), or an unresolved object named like ``mcp`` or ``server`` (medium);
  their docstring, the decorator's ``name=``/``title=``/``description=`` and the
  ``description=`` of ``Field(...)``/``Annotated`` parameter metadata;
* ``<server>.add_tool(fn, description=...)`` and the docstring of ``fn``;
* ``Tool(...)`` / ``types.Tool(...)`` objects (low-level servers' ``list_tools``): their
  ``name``, ``title``, ``description`` and the ``description`` entries of a literal
  ``inputSchema``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final, NamedTuple

from aiwarden.analyzers.code._llm_calls import attribute_chain
from aiwarden.analyzers.code._rulekit import regex
from aiwarden.analyzers.code._rules_meta import (
    POISONED_TOOL_DESCRIPTION,
)
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

__all__ = ["POISONED_TOOL_DESCRIPTION", "McpDescriptionChecker"]


_MCP_ROOTS: Final = ("mcp.", "fastmcp.")
_SERVER_NAME: Final = r"(?i)mcp|server"
_DECORATOR_TEXTS: Final = ("name", "title", "description")
_TOOL_CLASSES: Final = r"(?:^|\.)(?:Tool|FunctionTool)$"
_TEXT_METHODS: Final = frozenset({"strip", "lstrip", "rstrip", "format", "dedent", "cleandoc"})
_MAX_DEPTH: Final = 8


class _Text(NamedTuple):
    """A text the model sees: where it sits (``docstring``), its node and its value."""

    where: str
    node: ast.AST
    text: str


class McpDescriptionChecker(Checker):
    """Reports MCP tool descriptions that carry hidden instructions (AIW-PY017)."""

    rules: ClassVar[tuple[Rule, ...]] = (POISONED_TOOL_DESCRIPTION,)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per poisoned docstring or description string."""
        return self._issues(ctx)

    @staticmethod
    def _issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
        for tool, texts, confidence in _tools(ctx):
            for text in texts:
                issue = _issue(ctx, tool, text, confidence)
                if issue is not None:
                    yield issue


def _tools(ctx: ModuleContext) -> Iterator[tuple[str, list[_Text], Confidence]]:
    """Every tool definition: its name, the texts the model sees, and how sure we are."""
    for function in ctx.functions():
        for decorator in function.decorator_list:
            confidence = _tool_decorator(ctx, decorator)
            if confidence is not None:
                texts = [*_call_texts(ctx, decorator), *_function_texts(ctx, function)]
                yield function.name, texts, confidence
                break
    for call in ctx.calls():
        chain = attribute_chain(call.func)
        if chain[-1] == "add_tool" and len(chain) > 1:
            confidence = _server_confidence(ctx, call.func)
            if confidence is not None:
                yield _added_tool(ctx, call, confidence)
        elif _is_tool_object(ctx, call):
            yield _tool_object(ctx, call)


def _server_confidence(ctx: ModuleContext, func: ast.expr) -> Confidence | None:
    """How sure we are that ``func`` (``<obj>.tool``) is a method of an MCP server."""
    if not isinstance(func, ast.Attribute):
        return None
    names = ctx.qualnames(func.value)
    if any(n.startswith(_MCP_ROOTS) for n in names):
        return Confidence.HIGH
    chain = attribute_chain(func.value)
    if not names and chain and regex(_SERVER_NAME).search(chain[-1]):
        return Confidence.MEDIUM
    return None


def _tool_decorator(ctx: ModuleContext, decorator: ast.expr) -> Confidence | None:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(func, ast.Attribute) and func.attr == "tool":
        return _server_confidence(ctx, func)
    return None


def _call_texts(ctx: ModuleContext, node: ast.expr) -> Iterator[_Text]:
    """``name=``/``title=``/``description=`` strings, and string positional arguments
    (``@mcp.tool("name")``)."""
    if isinstance(node, ast.Call):
        for arg in node.args:
            value = ctx.constant(arg)
            if isinstance(value, str) and value:
                yield _Text("name", arg, value)
        for keyword in node.keywords:
            if keyword.arg in _DECORATOR_TEXTS:
                text = _text(ctx, keyword.value, 0)
                if text:
                    yield _Text(f"`{keyword.arg}=`", keyword.value, text)


def _function_texts(
    ctx: ModuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> Iterator[_Text]:
    docstring = ast.get_docstring(function, clean=False)
    if docstring:
        yield _Text("docstring", function.body[0], docstring)
    arguments = function.args
    params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    metadata: list[ast.expr] = [p.annotation for p in params if p.annotation is not None]
    metadata += [d for d in [*arguments.defaults, *arguments.kw_defaults] if d is not None]
    for expr in metadata:
        for node in ast.walk(expr):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "description" and (text := _text(ctx, keyword.value, 0)):
                        yield _Text("parameter description", keyword.value, text)
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
                for element in node.slice.elts[1:]:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        yield _Text("parameter description", element, element.value)


def _added_tool(
    ctx: ModuleContext, call: ast.Call, confidence: Confidence
) -> tuple[str, list[_Text], Confidence]:
    texts = list(_call_texts(ctx, call))
    target = call.args[0] if call.args else ModuleContext.argument(call, "fn")
    name = ctx.normalised(target) if target is not None else "tool"
    if isinstance(target, ast.Name):
        for binding in ctx.bindings(target) or []:
            if isinstance(binding, Opaque) and isinstance(
                binding.node, ast.FunctionDef | ast.AsyncFunctionDef
            ):
                texts += _function_texts(ctx, binding.node)
    return name, texts, confidence


def _is_tool_object(ctx: ModuleContext, call: ast.Call) -> bool:
    if not any(k.arg == "description" for k in call.keywords):
        return False
    names = ctx.call_names(call)
    if names:
        return any(regex(_TOOL_CLASSES).search(n) for n in names)
    return attribute_chain(call.func)[-1] in {"Tool", "FunctionTool"}


def _tool_object(ctx: ModuleContext, call: ast.Call) -> tuple[str, list[_Text], Confidence]:
    names = ctx.call_names(call)
    resolved = any(n.startswith(_MCP_ROOTS) for n in names)
    texts = list(_call_texts(ctx, call))
    schema = ModuleContext.argument(call, "inputSchema") or ModuleContext.argument(
        call, "input_schema"
    )
    if schema is not None:
        for node in ast.walk(schema):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    is_description = key is not None and ctx.constant(key) == "description"
                    if is_description and (text := _text(ctx, value, 0)):
                        texts.append(_Text("parameter description", value, text))
    name = ctx.constant(ModuleContext.argument(call, "name"))
    confidence = Confidence.HIGH if resolved else Confidence.MEDIUM
    return (name if isinstance(name, str) else "tool"), texts, confidence


def _text(ctx: ModuleContext, expr: ast.expr, depth: int) -> str:
    """The constant text of ``expr`` (the constant parts of an f-string or a ``+``)."""
    if depth > _MAX_DEPTH:
        return ""
    value = ctx.constant(expr)
    if isinstance(value, str):
        return value
    if isinstance(expr, ast.JoinedStr):
        return "".join(_text(ctx, v, depth + 1) for v in expr.values)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _text(ctx, expr.left, depth + 1) + _text(ctx, expr.right, depth + 1)
    if isinstance(expr, ast.Call) and attribute_chain(expr.func)[-1] in _TEXT_METHODS:
        inner = expr.func.value if isinstance(expr.func, ast.Attribute) else None
        if inner is not None and attribute_chain(expr.func)[-1] not in {"dedent", "cleandoc"}:
            return _text(ctx, inner, depth + 1)
        return _text(ctx, expr.args[0], depth + 1) if expr.args else ""
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr) or []
        if len(bindings) == 1 and isinstance(bindings[0], ast.expr):
            return _text(ctx, bindings[0], depth + 1)
    return ""


def _issue(ctx: ModuleContext, tool: str, text: _Text, confidence: Confidence) -> CodeIssue | None:
    # The patterns load with the first tool definition: most modules define none.
    from aiwarden.analyzers.code.poisoning_patterns import (
        STRONG_CATEGORIES,
        escaped_excerpt,
        find_signals,
    )

    signals = find_signals(text.text)
    if not signals:
        return None
    if not any(s.category in STRONG_CATEGORIES for s in signals):
        confidence = Confidence.MEDIUM if confidence is Confidence.HIGH else Confidence.LOW
    names = "; ".join(s.name for s in signals)
    first = signals[0]
    issue = ctx.issue(
        POISONED_TOOL_DESCRIPTION,
        text.node,
        f"MCP tool `{tool}` has a {text.where} that speaks to the model, not the user: {names}.",
        key=f"mcp-tool {tool} {text.where}: " + ",".join(sorted({s.category for s in signals})),
        confidence=confidence,
    )
    evidence = f'{first.name}: "{escaped_excerpt(text.text, first.start, first.end)}"'
    return issue._replace(evidence=evidence[:240])
