"""AIW-PY011 detection: LLM requests, chat models and SDK clients without a budget.

Three shapes are reported:

* a completion request that sets no output-token limit (OpenAI-style ``chat.completions
  .create`` / ``completions.create`` / ``responses.create`` and the SDKs that copy it,
  litellm, Mistral, Cohere; Gemini ``generate_content`` whose ``generation_config`` /
  ``config`` and model constructor both lack ``max_output_tokens``), or sets it to ``None``;
* a LangChain chat model built without its ``max_tokens`` parameter;
* an OpenAI or Anthropic client (or ``with_options``) with ``timeout=None`` or
  ``max_retries`` set to ``None``, infinity or more than :data:`MAX_RETRIES`.

Anthropic ``messages.create`` requires ``max_tokens``: it is reported only when the
argument is missing (the SDK rejects the call, or a wrapper supplies a default) or is
``None``. A call that passes ``**options`` is judged by the dict literal ``options``
holds; when that cannot be seen the call is skipped (the limit may be in it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.code._bounds import dict_entries, is_none, keyword, keyword_names, number
from aiwarden.analyzers.code._llm_calls import LlmCall, attribute_chain, llm_call
from aiwarden.analyzers.code._rules_meta import MAX_RETRIES
from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

_TOKEN_LIMITS: Final = ("max_tokens", "max_completion_tokens", "max_output_tokens")
_SHOWN_LIMITS: Final = {
    "openai-chat": ("max_completion_tokens", "max_tokens"),
    "openai-responses": ("max_output_tokens",),
}
_REQUEST_APIS: Final = frozenset(
    {"openai-chat", "openai-completions", "openai-responses", "litellm", "mistral", "cohere"}
)
_LC_LIMITS: Final[dict[str, tuple[str, ...]]] = {
    "ChatOpenAI": ("max_tokens", "max_completion_tokens"),
    "AzureChatOpenAI": ("max_tokens", "max_completion_tokens"),
    "ChatAnthropic": ("max_tokens", "max_tokens_to_sample"),
    "ChatGoogleGenerativeAI": ("max_output_tokens", "max_tokens"),
    "ChatVertexAI": ("max_output_tokens", "max_tokens"),
    "ChatOllama": ("num_predict",),
    **{
        name: ("max_tokens",)
        for name in (
            "ChatMistralAI", "ChatGroq", "ChatCohere", "ChatLiteLLM", "ChatDeepSeek", "ChatXAI",
            "ChatTogether", "ChatFireworks", "ChatBedrockConverse", "ChatPerplexity",
            "ChatOpenRouter", "init_chat_model",
        )
    },
}  # fmt: skip
_CLIENTS: Final = frozenset(
    f"{pkg}.{name}"
    for pkg, names in (
        ("openai", ("OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI")),
        ("anthropic", ("Anthropic", "AsyncAnthropic", "AnthropicVertex", "AnthropicBedrock")),
    )
    for name in names
)
_GEMINI_CONFIG_CLASSES: Final = ("GenerationConfig", "GenerateContentConfig")


def unbounded_call_issues(ctx: ModuleContext, rule: Rule) -> Iterator[CodeIssue]:
    """Every AIW-PY011 issue in ``ctx``'s module."""
    bound = _bound_by_bind(ctx)
    for call in ctx.calls():
        found = llm_call(ctx, call)
        message: str | None = None
        if found is not None:
            message = _request_problem(ctx, call, found)
        elif id(call) not in bound:
            message = _chat_model_problem(ctx, call)
        if message is not None:
            confidence = Confidence.HIGH if found is None or found.resolved else Confidence.MEDIUM
            yield ctx.issue(rule, call, message, confidence=confidence)
        client = _client_problem(ctx, call)
        if client is not None:
            yield ctx.issue(rule, call, client, key=f"client: {ctx.normalised(call)}")


def _callee(call: ast.Call) -> str:
    return ".".join(attribute_chain(call.func)[-3:])


def _request_problem(ctx: ModuleContext, call: ast.Call, found: LlmCall) -> str | None:
    if found.api in _REQUEST_APIS:
        shown = _SHOWN_LIMITS.get(found.api, ("max_tokens",))
        return _missing_limit(ctx, call, _TOKEN_LIMITS, _callee(call), shown)
    if found.api == "gemini":
        return _gemini_problem(ctx, call, found)
    if found.api == "anthropic-messages":
        return _missing_limit(ctx, call, ("max_tokens",), _callee(call))
    return None


def _missing_limit(
    ctx: ModuleContext,
    call: ast.Call,
    limits: tuple[str, ...],
    what: str,
    shown: tuple[str, ...] = (),
) -> str | None:
    """The message for ``call`` when it sets none of ``limits`` (or sets one to ``None``)."""
    names = keyword_names(ctx, call)
    if names is None:
        return None  # ``**options`` we cannot see may set the limit
    model_kwargs = dict_entries(ctx, ModuleContext.argument(call, "model_kwargs"))
    extra = frozenset(model_kwargs or ()) & frozenset(limits)
    wanted = " / ".join(f"`{name}`" for name in shown or limits)
    for name in limits:
        if name in names:
            if is_none(ctx, keyword(ctx, call, name)):
                return f"`{what}` sets {wanted} to `None`: the output length is unbounded."
            return None
    if extra:
        return None
    return (
        f"`{what}` sets no {wanted}: every request may generate up to the model's "
        "maximum output, so one prompt can run up cost and latency."
    )


def _gemini_problem(ctx: ModuleContext, call: ast.Call, found: LlmCall) -> str | None:
    """Gemini: ``max_output_tokens`` in the call's config or in the model it calls."""
    own = _config_limit(ctx, _gemini_config(call))
    if own is not False:
        return None
    model = _receiver_constructor(ctx, call)
    if model is not None:
        if _config_limit(ctx, _gemini_config(model)) is not False:
            return None
    elif not found.resolved and "models" not in attribute_chain(call.func):
        return None  # a model built elsewhere may carry its own generation_config
    return (
        f"`{_callee(call)}` runs with no `max_output_tokens` in its generation config: "
        "every request may generate up to the model's maximum output."
    )


def _gemini_config(call: ast.Call) -> ast.expr | None:
    return ModuleContext.argument(call, "generation_config") or ModuleContext.argument(
        call, "config"
    )


def _config_limit(ctx: ModuleContext, expr: ast.expr | None, depth: int = 0) -> bool | None:
    """True/False when the config provably does/does not set ``max_output_tokens``."""
    if expr is None:
        return False
    if depth > 4:
        return None
    entries = dict_entries(ctx, expr)
    if entries is not None:
        if "max_output_tokens" not in entries:
            return False
        return not is_none(ctx, entries["max_output_tokens"])
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr)
        if bindings and len(bindings) == 1 and isinstance(bindings[0], ast.expr):
            return _config_limit(ctx, bindings[0], depth + 1)
        return None
    if isinstance(expr, ast.Call) and attribute_chain(expr.func)[-1] in _GEMINI_CONFIG_CLASSES:
        names = keyword_names(ctx, expr)
        if names is None:
            return None
        value = keyword(ctx, expr, "max_output_tokens")
        return value is not None and not is_none(ctx, value)
    return None


def _receiver_constructor(ctx: ModuleContext, call: ast.Call) -> ast.Call | None:
    """The ``GenerativeModel(...)`` / ``chats.create(...)`` call the receiver was built by."""
    node: ast.expr = call.func
    for _ in range(6):
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            if attribute_chain(node.func)[-1] in {"GenerativeModel", "create"}:
                return node
            node = node.func
        elif isinstance(node, ast.Name):
            bindings = ctx.bindings(node)
            if not bindings or len(bindings) != 1 or not isinstance(bindings[0], ast.expr):
                return None
            node = bindings[0]
        else:
            return None
    return None


def _chat_model_problem(ctx: ModuleContext, call: ast.Call) -> str | None:
    """A LangChain chat model constructed without its output-token limit."""
    for name in ctx.call_names(call):
        if not name.startswith("langchain"):
            continue
        limits = _LC_LIMITS.get(name.rsplit(".", 1)[-1])
        if limits is not None:
            return _missing_limit(ctx, call, limits, name.rsplit(".", 1)[-1])
    return None


def _bound_by_bind(ctx: ModuleContext) -> set[int]:
    """Constructor calls directly followed by ``.bind(max_tokens=...)``."""
    bound: set[int] = set()
    for call in ctx.calls():
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "bind"
            and isinstance(func.value, ast.Call)
            and any(k.arg in (*_TOKEN_LIMITS, "num_predict") for k in call.keywords)
        ):
            bound.add(id(func.value))
    return bound


def _client_problem(ctx: ModuleContext, call: ast.Call) -> str | None:
    """OpenAI/Anthropic clients (and ``with_options``) with no timeout or endless retries."""
    names = ctx.call_names(call)
    is_client = bool(names & _CLIENTS) or any(
        n.endswith("().with_options") and n.split(".", 1)[0] in ("openai", "anthropic")
        for n in names
    )
    if not is_client:
        return None
    timeout = keyword(ctx, call, "timeout")
    if timeout is not None and _no_timeout(ctx, timeout):
        return f"`{_callee(call)}` is created with `timeout=None`: a hung request never ends."
    retries = keyword(ctx, call, "max_retries")
    if retries is None:
        return None
    value = number(ctx, retries)
    if value is None:
        return (
            f"`{_callee(call)}` sets `max_retries=None`: failed requests are retried without limit."
        )
    if value is not UNKNOWN and isinstance(value, float) and value > MAX_RETRIES:
        return (
            f"`{_callee(call)}` retries failed requests {_shown(value)}: "
            "an outage or a rate limit turns into a flood of billed requests."
        )
    return None


def _no_timeout(ctx: ModuleContext, expr: ast.expr) -> bool:
    if is_none(ctx, expr):
        return True
    if isinstance(expr, ast.Call) and attribute_chain(expr.func)[-1] == "Timeout":
        first = expr.args[0] if expr.args else ModuleContext.argument(expr, "timeout")
        return first is not None and is_none(ctx, first) and not expr.keywords
    return False


def _shown(value: float) -> str:
    return "without limit" if value == float("inf") else f"up to {value:.0f} times"
