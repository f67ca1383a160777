"""AIW-PY018 detection: agent loops and agent runtimes with no step, time or budget limit.

* ``while True:`` (or ``for _ in itertools.count()``) whose body calls an LLM or runs an
  agent step (:func:`~aiwarden.analyzers.code._llm_calls.is_agent_step`), unless an
  ``if`` in the loop compares a counter, clock or budget and leaves the loop
  (``break``/``return``/``raise``), or each iteration waits for outside input
  (``input()``, ``websocket.receive_text()``, ``queue.get()``): a chat REPL or a
  request handler is bounded by its user, not by the model. A loop that exits only
  when the model says so (``if reply.finish_reason == "stop": break``) is reported.
* LangChain ``AgentExecutor`` / ``initialize_agent`` with ``max_iterations=None`` (or
  huge) and no ``max_execution_time``.
* AutoGen AgentChat teams with neither ``termination_condition`` nor ``max_turns``.
* Step limits set to ``None``-means-default (AutoGen ``max_consecutive_auto_reply``,
  reported at low confidence) or to :data:`HUGE_STEPS` or more
  (``recursion_limit``, ``max_turns``, ``max_steps``, ``max_iter``...) on agent
  frameworks, and ``{"recursion_limit": ...}`` configs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.code._bounds import is_none, keyword, keyword_names, number
from aiwarden.analyzers.code._llm_calls import attribute_chain, is_agent_step
from aiwarden.analyzers.code._rulekit import regex
from aiwarden.analyzers.code._rules_meta import HUGE_STEPS
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

_STEP_KEYWORDS: Final = frozenset(
    {
        "max_iterations", "max_iter", "max_steps", "max_turns", "max_round", "max_rounds",
        "recursion_limit", "max_consecutive_auto_reply", "max_loops", "max_rpm_steps",
    }
)  # fmt: skip
_AGENT_PACKAGES: Final = (
    r"(?:langchain\w*|langgraph|autogen\w*|ag2|agents|crewai|smolagents|llama_index|pydantic_ai"
    r"|swarm|camel|openai_agents|google\.adk|strands|agno|phi)\b"
)
_AGENT_NAME: Final = r"(?i)agent|executor|runner|crew|groupchat|team|graph|workflow"
_EXECUTORS: Final = frozenset({"AgentExecutor", "from_agent_and_tools", "initialize_agent"})
_TEAMS: Final = frozenset({"RoundRobinGroupChat", "SelectorGroupChat", "Swarm"})
_INPUT_METHODS: Final = frozenset(
    {
        "input", "raw_input", "receive", "receive_text", "receive_json", "receive_bytes",
        "recv", "recv_string", "recv_json", "recv_multipart", "readline", "chat_input",
        "ask", "get_message", "read_message", "iter_messages", "wait_for_message",
    }
)  # fmt: skip
_QUEUE_NAME: Final = r"(?i)queue|inbox|^q$|channel|mailbox"
_BUDGET_NAME: Final = (
    r"(?i)max|limit|budget|deadline|timeout|timed_out|exhausted|exceeded|remaining|quota"
)
_SCOPES: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


_CHATS: Final = frozenset({"initiate_chat", "a_initiate_chat", "initiate_chats"})
"""AutoGen conversations: ``max_turns=None`` means no turn limit."""


def agent_loop_issues(ctx: ModuleContext, rule: Rule) -> Iterator[CodeIssue]:
    """Every AIW-PY018 issue in ``ctx``'s module."""
    loops: list[ast.While | ast.For | ast.AsyncFor] = [
        *ctx.nodes(ast.While),
        *ctx.nodes(ast.For),
        *ctx.nodes(ast.AsyncFor),
    ]
    for loop in loops:
        issue = _loop_issue(ctx, rule, loop)
        if issue is not None:
            yield issue
    for call in ctx.calls():
        yield from _call_issues(ctx, rule, call)
    for mapping in ctx.nodes(ast.Dict):
        for key, value in zip(mapping.keys, mapping.values, strict=True):
            if key is not None and ctx.constant(key) == "recursion_limit" and _huge(ctx, value):
                yield ctx.issue(
                    rule,
                    mapping,
                    "LangGraph `recursion_limit` is set so high that a looping graph never stops.",
                )


# -- loops -------------------------------------------------------------------------


def _loop_issue(
    ctx: ModuleContext, rule: Rule, loop: ast.While | ast.For | ast.AsyncFor
) -> CodeIssue | None:
    if isinstance(loop, ast.While):
        if not isinstance(loop.test, ast.Constant | ast.Name) or not ctx.is_true(loop.test):
            return None
        head = "`while True:` loop"
    else:
        if not isinstance(loop.iter, ast.Call) or "itertools.count" not in ctx.call_names(
            loop.iter
        ):
            return None
        head = "`itertools.count()` loop"
    body = list(_loop_body(loop))
    calls = [n for n in body if isinstance(n, ast.Call)]
    step = next((c for c in calls if is_agent_step(ctx, c) or _local_step(ctx, c)), None)
    if step is None or _waits_for_input(ctx, calls) or _has_budget_exit(loop, body):
        return None
    text = ctx.normalised(step.func)
    return ctx.issue(
        rule,
        loop,
        f"{head} calls `{text}(...)` with no iteration, time or budget limit: the loop ends "
        "only when the model decides to stop.",
        key=f"loop: {text}",
        related=(ctx.span(step, "LLM / agent step"),),
    )


def _loop_body(loop: ast.While | ast.For | ast.AsyncFor) -> Iterator[ast.AST]:
    """Every node in the loop's body (not ``else``), without nested defs or classes."""
    stack: list[ast.AST] = list(reversed(loop.body))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _SCOPES):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _local_step(ctx: ModuleContext, call: ast.Call) -> bool:
    """A call of a function of this module whose body makes an LLM or agent call."""
    if not isinstance(call.func, ast.Name):
        return False
    for binding in ctx.bindings(call.func) or ():
        node = binding.node if isinstance(binding, Opaque) and binding.kind == "def" else None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            isinstance(inner, ast.Call) and is_agent_step(ctx, inner) for inner in ast.walk(node)
        ):
            return True
    return False


def _waits_for_input(ctx: ModuleContext, calls: list[ast.Call]) -> bool:
    for call in calls:
        if "builtins.input" in ctx.call_names(call):
            return True
        # ``await asyncio.to_thread(input, "> ")``, ``loop.run_in_executor(None, input)``
        if any(isinstance(a, ast.Name) and "builtins.input" in ctx.qualnames(a) for a in call.args):
            return True
        chain = attribute_chain(call.func)
        if chain[-1] in _INPUT_METHODS:
            return True
        queue_read = chain[-1] in {"get", "get_nowait", "pop", "popleft"} and len(chain) > 1
        if queue_read and regex(_QUEUE_NAME).search(chain[-2]):
            return True
    return False


def _has_budget_exit(loop: ast.AST, body: list[ast.AST]) -> bool:
    """True when an ``if`` in the loop tests a budget and its branch leaves the loop."""
    for node in body:
        if (
            isinstance(node, ast.If)
            and _is_budget_test(node.test)
            and any(_exits(loop, stmt) for stmt in node.body)
        ):
            return True
    return False


def _exits(loop: ast.AST, stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Return | ast.Raise):
        return True
    if isinstance(stmt, ast.Break):
        return True
    if isinstance(stmt, ast.If | ast.With | ast.AsyncWith | ast.Try):
        return any(_exits(loop, s) for s in ast.iter_child_nodes(stmt) if isinstance(s, ast.stmt))
    return False


def _is_budget_test(test: ast.expr) -> bool:
    """``steps >= MAX``, ``time.time() - t0 > T``, ``i == max_turns``, ``budget.exhausted``."""
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            if any(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops):
                return True
            if any(_names_budget(side) for side in [node.left, *node.comparators]):
                return True
        elif _names_budget(node):
            return True
    return False


def _names_budget(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return regex(_BUDGET_NAME).search(node.id) is not None
    if isinstance(node, ast.Attribute):
        return regex(_BUDGET_NAME).search(node.attr) is not None
    return False


# -- calls -------------------------------------------------------------------------


def _call_issues(ctx: ModuleContext, rule: Rule, call: ast.Call) -> Iterator[CodeIssue]:
    name = attribute_chain(call.func)[-1]
    agentish = _is_agent_callee(ctx, call) or name in _CHATS  # AutoGen's distinctive verbs
    if agentish and name in _EXECUTORS:
        message = _executor_problem(ctx, call)
        if message is not None:
            yield ctx.issue(rule, call, message)
            return
    if agentish and name in _TEAMS:
        message = _team_problem(ctx, call, name)
        if message is not None:
            yield ctx.issue(rule, call, message)
    for keyword_ in call.keywords:
        arg = keyword_.arg
        if arg not in _STEP_KEYWORDS or (not agentish and arg != "recursion_limit"):
            continue
        if _huge(ctx, keyword_.value):
            yield ctx.issue(
                rule,
                call,
                f"`{arg}` is set so high that the agent never stops on its own "
                f"(limits of {HUGE_STEPS} or more are treated as none).",
                key=f"{arg}: {ctx.normalised(call)}",
            )
        elif arg == "max_turns" and name in _CHATS and is_none(ctx, keyword_.value):
            yield ctx.issue(
                rule,
                call,
                f"`{name}(max_turns=None)` lets the two agents converse until one of them "
                "decides to stop.",
                key=f"{arg}: {ctx.normalised(call)}",
            )
        elif arg == "max_consecutive_auto_reply" and is_none(ctx, keyword_.value):
            yield ctx.issue(
                rule,
                call,
                "`max_consecutive_auto_reply=None` gives this agent no reply limit of its "
                "own (AutoGen falls back to a class-wide default of 100 auto-replies).",
                confidence=Confidence.LOW,
            )


def _is_agent_callee(ctx: ModuleContext, call: ast.Call) -> bool:
    names = ctx.call_names(call)
    if any(regex(_AGENT_PACKAGES).match(n) for n in names):
        return True
    chain = attribute_chain(call.func)
    return not names and any(regex(_AGENT_NAME).search(part) for part in chain[-2:])


def _executor_problem(ctx: ModuleContext, call: ast.Call) -> str | None:
    names = keyword_names(ctx, call)
    iterations = keyword(ctx, call, "max_iterations")
    if names is None or iterations is None:
        return None  # the default (15) bounds it, or ``**options`` may
    if not (is_none(ctx, iterations) or _huge(ctx, iterations)):
        return None
    elapsed = keyword(ctx, call, "max_execution_time")
    if elapsed is not None and not (is_none(ctx, elapsed) or _huge(ctx, elapsed)):
        return None
    return (
        "Agent executor runs with `max_iterations` unbounded and no `max_execution_time`: "
        "a model that keeps choosing tools loops (and bills) forever."
    )


def _team_problem(ctx: ModuleContext, call: ast.Call, name: str) -> str | None:
    names = keyword_names(ctx, call)
    if names is None or len(call.args) > 1 or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    for limit in ("termination_condition", "max_turns"):
        value = keyword(ctx, call, limit)
        if value is not None and not is_none(ctx, value) and not _huge(ctx, value):
            return None
    return (
        f"`{name}` has neither a `termination_condition` nor `max_turns`: the team keeps "
        "taking turns until the process is killed."
    )


def _huge(ctx: ModuleContext, expr: ast.expr) -> bool:
    value = number(ctx, expr)
    return value is not UNKNOWN and isinstance(value, float) and value >= HUGE_STEPS
