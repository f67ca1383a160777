"""Unbounded consumption: LLM calls without limits (AIW-PY011) and endless agent loops (AIW-PY018).

The detection lives in :mod:`._unbounded_calls` and :mod:`._agent_loops`; this module
declares the rules and the checker that runs both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from aiwarden.analyzers.code._agent_loops import HUGE_STEPS, agent_loop_issues
from aiwarden.analyzers.code._unbounded_calls import MAX_RETRIES, unbounded_call_issues
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

__all__ = ["UNBOUNDED_AGENT_LOOP", "UNBOUNDED_LLM_CALL", "ConsumptionChecker"]

_OWASP_LLM10 = "https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/"

UNBOUNDED_LLM_CALL = Rule(
    id=RuleId("AIW-PY011"),
    title="LLM call without an output, timeout or retry limit",
    severity=Severity.LOW,
    summary=(
        "An LLM request or client sets no output-token limit, disables the timeout, or "
        "retries without a sensible limit."
    ),
    help=(
        "Every LLM request costs money and time in proportion to the tokens it generates. "
        "A request without `max_tokens` (OpenAI-style chat and completion APIs, litellm, "
        "Mistral, Cohere), `max_output_tokens` (OpenAI Responses, Gemini "
        "`generation_config` / `config`) or a LangChain chat model built without its "
        "`max_tokens` parameter lets one prompt, or a prompt-injected loop, generate up to "
        "the model's maximum output. A client with `timeout=None` waits forever on a hung "
        f"connection, and `max_retries` of `None`, infinity or more than {MAX_RETRIES} turns "
        "an outage or a rate limit into a flood of billed requests.\n\n"
        "Anthropic `messages.create` requires `max_tokens`, so it is reported only when the "
        "argument is missing or `None`. A call that "
        "passes `**options` is judged by the dict literal `options` holds and skipped when "
        "it cannot be seen.\n\n"
        "```python\n"
        "# flagged\n"
        "reply = client.chat.completions.create(model=MODEL, messages=messages)\n"
        'llm = ChatOpenAI(model="gpt-4o")\n'
        "client = OpenAI(timeout=None, max_retries=1000)\n\n"
        "# not flagged\n"
        "reply = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=512)\n"
        'llm = ChatOpenAI(model="gpt-4o", max_tokens=512)\n'
        "client = OpenAI(timeout=30, max_retries=3)\n"
        "```"
    ),
    remediation=(
        "Set an output limit on every request or model object (`max_tokens`, "
        "`max_completion_tokens`, `max_output_tokens`), keep a finite client `timeout` and "
        "a small `max_retries`, and enforce per-user quotas and spending alerts at the "
        "provider."
    ),
    guidelines=("SD-3.i", "OM-1.a", "DP-2"),
    cwe=(770, 400),
    owasp_llm=("LLM10:2025",),
    atlas=("AML.T0034", "AML.T0029", "AML.M0004"),
    references=(
        _OWASP_LLM10,
        "https://platform.openai.com/docs/api-reference/chat/create",
        "https://ai.google.dev/api/generate-content#generationconfig",
        "https://cwe.mitre.org/data/definitions/770.html",
    ),
    tags=("code", "python", "llm", "unbounded-consumption"),
)

UNBOUNDED_AGENT_LOOP = Rule(
    id=RuleId("AIW-PY018"),
    title="Agent loop without an iteration, time or budget limit",
    severity=Severity.MEDIUM,
    summary=(
        "An agent loop or agent runtime can keep calling the model forever: `while True` "
        "around LLM calls, or unlimited iterations, turns or recursion."
    ),
    help=(
        "An agent alternates model calls and tool calls until the model says it is done. "
        "A model that never says so (a confused plan, a tool that keeps failing, a prompt "
        "injection that asks it to continue) then runs up cost and load without end. "
        "aiwarden reports `while True:` loops that call an LLM or run an agent step unless "
        "an `if` in the loop checks a counter, clock or budget and leaves the loop (or each "
        "iteration waits for user input, as a chat REPL does); "
        "`AgentExecutor(max_iterations=None)` without `max_execution_time`; AutoGen "
        "AgentChat teams with neither `termination_condition` nor `max_turns`; and "
        f"`recursion_limit`, `max_turns`, `max_steps` and similar limits of {HUGE_STEPS} or "
        "more (or infinity).\n\n"
        "```python\n"
        "# flagged: only the model decides when this ends\n"
        "while True:\n"
        "    reply = client.chat.completions.create(model=MODEL, messages=history)\n"
        '    if reply.choices[0].finish_reason == "stop":\n'
        "        break\n"
        "    history += run_tools(reply)\n\n"
        "# not flagged\n"
        "for _ in range(MAX_STEPS):\n"
        "    reply = client.chat.completions.create(model=MODEL, messages=history)\n"
        "    ...\n"
        'graph.invoke(state, config={"recursion_limit": 25})\n'
        "```"
    ),
    remediation=(
        "Bound every agent loop by a step count and a wall-clock or token budget: iterate "
        "over `range(MAX_STEPS)`, keep LangChain's `max_iterations` (default 15) and set "
        "`max_execution_time`, keep LangGraph's `recursion_limit` small, give AutoGen teams a "
        "termination condition and `max_turns`, and stop with an error when the budget runs "
        "out."
    ),
    guidelines=("SD-3.h", "OM-1.a"),
    cwe=(834, 770),
    owasp_llm=("LLM10:2025", "LLM06:2025"),
    atlas=("AML.T0034", "AML.T0029", "AML.M0004"),
    references=(
        _OWASP_LLM10,
        "https://langchain-ai.github.io/langgraph/concepts/low_level/#recursion-limit",
        "https://openai.github.io/openai-agents-python/running_agents/",
        "https://cwe.mitre.org/data/definitions/834.html",
    ),
    tags=("code", "python", "agent", "unbounded-consumption"),
)


class ConsumptionChecker(Checker):
    """Reports LLM calls and agent loops that have no budget (AIW-PY011, AIW-PY018)."""

    rules: ClassVar[tuple[Rule, ...]] = (UNBOUNDED_LLM_CALL, UNBOUNDED_AGENT_LOOP)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield the unbounded calls, clients and agent loops in ``ctx``'s module."""
        return self._issues(ctx)

    @staticmethod
    def _issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
        yield from unbounded_call_issues(ctx, UNBOUNDED_LLM_CALL)
        yield from agent_loop_issues(ctx, UNBOUNDED_AGENT_LOOP)
