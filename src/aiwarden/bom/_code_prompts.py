"""System prompts, prompt templates and agent tools defined in Python code.

Prompts: constant strings assigned to prompt-like names (``SYSTEM_PROMPT``,
``self.instructions``), passed as ``system=``/``instructions=``/``template=``, or given
as the content of a ``{"role": "system"}`` message or a ``("system", ...)`` tuple.
Short strings (under :data:`MIN_PROMPT_CHARS`) are ignored: they are labels, not
prompts. Tools: functions decorated as tools (LangChain, CrewAI, the OpenAI Agents SDK,
smolagents, FastMCP servers) and JSON tool schemas written as dict literals. The same
text found twice in a file (an assignment, then its use) is one prompt: the inventory
keeps the first place it was seen.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.code.context import ModuleContext

MIN_PROMPT_CHARS: Final = 40
"""Shortest constant string taken for a prompt."""

_PROMPT_NAME: Final = re.compile(
    r"(?i)(prompt|instructions?|system_?message|preamble|persona|chat_?template)s?$"
)
_PROMPT_KEYWORDS: Final = {
    "system": "system-prompt",
    "system_prompt": "system-prompt",
    "system_message": "system-prompt",
    "system_instruction": "system-prompt",
    "instructions": "system-prompt",
    "preamble": "system-prompt",
    "template": "prompt-template",
    "prompt": "prompt-template",
}
_TOOL_DECORATORS: Final = {
    "langchain_core.tools.tool": "langchain",
    "langchain.tools.tool": "langchain",
    "langchain.agents.tool": "langchain",
    "crewai.tools.tool": "crewai",
    "crewai_tools.tool": "crewai",
    "agents.function_tool": "openai-agents",
    "smolagents.tool": "smolagents",
    "llama_index.core.tools.FunctionTool.from_defaults": "llama-index",
}
_MCP_SERVERS: Final = ("mcp.server.fastmcp.FastMCP()", "fastmcp.FastMCP()")


@dataclass(frozen=True, slots=True)
class PromptHit:
    """A prompt string in code (the text is hashed by the caller, never stored)."""

    kind: str
    name: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class ToolHit:
    """A tool exposed to a model."""

    name: str
    framework: str
    line: int


def prompt_hits(ctx: ModuleContext) -> list[PromptHit]:
    """Every prompt-like constant string in the module."""
    hits: list[PromptHit] = []
    assignments: list[ast.Assign | ast.AnnAssign] = [*ctx.nodes(ast.Assign)]
    assignments += ctx.nodes(ast.AnnAssign)
    for node in assignments:
        hits.extend(_assignment(ctx, node))
    for call in ctx.calls():
        hits.extend(_keywords(ctx, call))
    for mapping in ctx.nodes(ast.Dict):
        hit = _system_message(ctx, mapping)
        if hit is not None:
            hits.append(hit)
    for pair in ctx.nodes(ast.Tuple):
        hit = _system_tuple(ctx, pair)
        if hit is not None:
            hits.append(hit)
    return hits


def tool_hits(ctx: ModuleContext) -> list[ToolHit]:
    """Functions decorated as tools, and tool schemas written as dict literals."""
    hits: list[ToolHit] = []
    for function in ctx.functions():
        for decorator in function.decorator_list:
            framework = _tool_framework(ctx, decorator)
            if framework is not None:
                name = _decorator_name(ctx, decorator) or function.name
                hits.append(ToolHit(name, framework, function.lineno))
                break
    for mapping in ctx.nodes(ast.Dict):
        hit = _tool_schema(ctx, mapping)
        if hit is not None:
            hits.append(hit)
    return hits


def _long_text(ctx: ModuleContext, expr: ast.expr | None) -> str | None:
    value = ctx.constant(expr)
    if isinstance(value, str) and len(value.strip()) >= MIN_PROMPT_CHARS:
        return value
    return None


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def _assignment(ctx: ModuleContext, node: ast.Assign | ast.AnnAssign) -> list[PromptHit]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    text = _long_text(ctx, node.value)
    if text is None:
        return []
    hits = []
    for target in targets:
        name = _target_name(target)
        if name is not None and _PROMPT_NAME.search(name):
            system = any(
                w in name.lower() for w in ("system", "instruction", "persona", "preamble")
            )
            kind = "system-prompt" if system else "prompt-template"
            hits.append(PromptHit(kind, name, node.lineno, text))
    return hits


def _keywords(ctx: ModuleContext, call: ast.Call) -> list[PromptHit]:
    hits = []
    for keyword in call.keywords:
        kind = _PROMPT_KEYWORDS.get(keyword.arg or "")
        if kind is None:
            continue
        text = _long_text(ctx, keyword.value)
        if text is not None:
            hits.append(PromptHit(kind, f"{keyword.arg}=", keyword.value.lineno, text))
    return hits


def _system_message(ctx: ModuleContext, mapping: ast.Dict) -> PromptHit | None:
    fields = {}
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        name = ctx.constant(key) if key is not None else None
        if isinstance(name, str):
            fields[name] = value
    if ctx.constant(fields.get("role")) != "system":
        return None
    text = _long_text(ctx, fields.get("content"))
    return PromptHit("system-prompt", "role=system", mapping.lineno, text) if text else None


def _system_tuple(ctx: ModuleContext, pair: ast.Tuple) -> PromptHit | None:
    if len(pair.elts) != 2 or ctx.constant(pair.elts[0]) != "system":
        return None
    text = _long_text(ctx, pair.elts[1])
    return PromptHit("system-prompt", '("system", ...)', pair.lineno, text) if text else None


def _tool_framework(ctx: ModuleContext, decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    for name in ctx.qualnames(target):
        if name in _TOOL_DECORATORS:
            return _TOOL_DECORATORS[name]
        if any(name == f"{server}.tool" for server in _MCP_SERVERS):
            return "mcp-server"
    return None


def _decorator_name(ctx: ModuleContext, decorator: ast.expr) -> str | None:
    if not isinstance(decorator, ast.Call):
        return None
    value = ctx.constant(ctx.argument(decorator, "name", 0))
    return value if isinstance(value, str) and value else None


def _tool_schema(ctx: ModuleContext, mapping: ast.Dict) -> ToolHit | None:
    fields: dict[str, ast.expr] = {}
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        name = ctx.constant(key) if key is not None else None
        if isinstance(name, str):
            fields[name] = value
    if ctx.constant(fields.get("type")) == "function" and isinstance(
        fields.get("function"), ast.Dict
    ):
        inner = fields["function"]
        assert isinstance(inner, ast.Dict)
        for key, value in zip(inner.keys, inner.values, strict=True):
            if key is not None and ctx.constant(key) == "name":
                name = ctx.constant(value)
                if isinstance(name, str):
                    return ToolHit(name, "openai-tools", mapping.lineno)
    if "input_schema" in fields and "name" in fields:
        name = ctx.constant(fields["name"])
        if isinstance(name, str):
            return ToolHit(name, "anthropic-tools", mapping.lineno)
    return None
