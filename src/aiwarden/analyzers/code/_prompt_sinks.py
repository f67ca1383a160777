"""Where a value becomes part of the system (or developer) prompt: the sinks of AIW-PY009.

- a message dict ``{"role": "system" | "developer", "content": ...}``;
- a LangChain template tuple ``("system", ...)``, ``SystemMessage(content=...)``,
  ``SystemMessagePromptTemplate.from_template(...)``;
- LlamaIndex ``ChatMessage(role="system" | MessageRole.SYSTEM, content=...)``;
- ``system=`` of an LLM call (Anthropic ``messages.create``, ollama), ``instructions=``
  of OpenAI ``responses.create`` and the Agents SDK ``Agent``, ``system_instruction=``
  (Gemini), ``system_prompt=``/``system_message=`` of agent and engine constructors,
  and ``prompt=``/``state_modifier=`` of LangGraph's ``create_react_agent``.

User-role messages are not sinks: request data is what they are for.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.code._llm_sources import LlmSources
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint import EMPTY, Evaluator, Sink, SinkKind, TaintSet
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence

SYSTEM_ROLES: Final = frozenset({"system", "developer"})
ANY_CALL_KEYWORDS: Final = frozenset({"system_instruction", "system_prompt", "system_message"})
LLM_CALL_KEYWORDS: Final = frozenset({"system", "instructions"})
AGENT_KEYWORDS: Final = frozenset({"prompt", "state_modifier", "messages_modifier"})
SYSTEM_CLASSES: Final = ("SystemMessage", "SystemMessagePromptTemplate.from_template")

Found = Iterator[tuple[Sink, TaintSet]]


class PromptSinks:
    """The system-prompt positions of one module's dicts, tuples and calls."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver, llm: LlmSources) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self.llm = llm

    def sinks(self, node: ast.expr, ev: Evaluator) -> Found:
        """The system-prompt sinks ``node`` is, with the taints reaching them."""
        if isinstance(node, ast.Dict):
            yield from self._message_dict(node, ev)
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            role = self.ctx.constant(node.elts[0])
            if isinstance(role, str) and role in SYSTEM_ROLES:
                yield (
                    Sink(SinkKind.PROMPT, f"({role!r}, ...) template message"),
                    ev.taint_of(node.elts[1]),
                )
        elif isinstance(node, ast.Call):
            yield from self._call(node, ev)

    def _message_dict(self, node: ast.Dict, ev: Evaluator) -> Found:
        fields = {self.ctx.constant(k): v for k, v in zip(node.keys, node.values, strict=True) if k}
        role = fields.get("role")
        value = self.ctx.constant(role) if role is not None else None
        if isinstance(value, str) and value in SYSTEM_ROLES:
            content = fields.get("content")
            yield Sink(SinkKind.PROMPT, f"{value!r} message content"), ev.taint_of(content)

    def _call(self, call: ast.Call, ev: Evaluator) -> Found:
        names = self.resolver.names(call.func)
        short = _short(call.func)
        if any(n.endswith(SYSTEM_CLASSES) for n in names) or short in {"SystemMessage"}:
            content = self.ctx.argument(call, "content", 0) or self.ctx.argument(
                call, "template", 0
            )
            yield Sink(SinkKind.PROMPT, _tail(call.func)), ev.taint_of(content)
            return
        if short == "ChatMessage" and self._system_role(self.ctx.argument(call, "role")):
            yield (
                Sink(SinkKind.PROMPT, "ChatMessage(role=system)"),
                ev.taint_of(self.ctx.argument(call, "content")),
            )
            return
        yield from self._keywords(call, names, short, ev)

    def _keywords(self, call: ast.Call, names: frozenset[str], short: str, ev: Evaluator) -> Found:
        llm_call: bool | None = None
        agent = short == "Agent" or any(n.endswith("create_react_agent") for n in names)
        for keyword in call.keywords:
            name = keyword.arg
            if name is None:
                continue
            taints = EMPTY
            if name in ANY_CALL_KEYWORDS or (agent and name in AGENT_KEYWORDS | {"instructions"}):
                taints = ev.taint_of(keyword.value)
            elif name in LLM_CALL_KEYWORDS:
                llm_call = llm_call if llm_call is not None else self.llm.match(call) is not None
                taints = ev.taint_of(keyword.value) if llm_call else EMPTY
            if taints:
                confidence = Confidence.HIGH if name != "system_message" else Confidence.MEDIUM
                yield Sink(SinkKind.PROMPT, f"{_tail(call.func)}({name}=...)", confidence), taints

    def _system_role(self, role: ast.expr | None) -> bool:
        if role is None:
            return False
        if isinstance(role, ast.Attribute):
            return role.attr in {"SYSTEM", "DEVELOPER"}
        value = self.ctx.constant(role)
        return isinstance(value, str) and value in SYSTEM_ROLES


def _short(func: ast.expr) -> str:
    """The callee's last name: ``create`` for ``client.messages.create``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _tail(func: ast.expr) -> str:
    """The last two names of the callee: ``messages.create``, ``GenerativeModel``."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute) and len(parts) < 2:
        parts.append(func.attr)
        func = func.value
    if len(parts) < 2 and isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))
