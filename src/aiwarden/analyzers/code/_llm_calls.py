"""What counts as a call to an LLM (or to an agent that calls one), by qualified name.

:func:`llm_call` recognises provider SDK calls through the qualified names of
:class:`~aiwarden.analyzers.code.context.ModuleContext` (``openai.OpenAI().chat.
completions.create``, ``anthropic.Anthropic().messages.create``, LangChain and
LlamaIndex model methods, litellm, ollama, Mistral, Cohere, Groq, Hugging Face
inference, Bedrock ``converse``...). When the receiver cannot be resolved
(``self.client``, a parameter, ``with OpenAI() as c``) it falls back to method
chains that only LLM SDKs use (``.chat.completions.create``, ``.generate_content``,
``.messages.create(model=..., messages=...)``); those matches are marked
``resolved=False`` so rules can lower their confidence.

:func:`is_agent_step` widens this to agent runs (``Runner.run``, ``AgentExecutor.
invoke``, ``crew.kickoff``...), including ``.invoke``/``.run`` on receivers whose names
say what they are (``agent``, ``executor``, ``chain``, ``llm``).
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Final, NamedTuple

from aiwarden.analyzers.code.context import ModuleContext

__all__ = ["LlmCall", "attribute_chain", "is_agent_step", "is_llm_call", "llm_call"]

_LC_METHODS: Final = (
    r"(?:invoke|ainvoke|stream|astream|batch|abatch|run|arun|predict|apredict"
    r"|predict_messages|generate|agenerate|generate_prompt|agenerate_prompt|call|acall"
    r"|stream_events|astream_events)"
)
_LC_METHOD_NAMES: Final = frozenset(_LC_METHODS[3:-1].split("|"))
"""The alternatives of :data:`_LC_METHODS`: a full match of that pattern is membership."""
_LI_METHODS: Final = (
    r"(?:complete|acomplete|stream_complete|astream_complete|chat|achat|stream_chat"
    r"|astream_chat|query|aquery|predict|apredict|run|arun)"
)

# (api, pattern over a qualified name); the first match wins.
_QUALIFIED_SOURCES: Final[tuple[tuple[str, str], ...]] = (
    ("openai-chat", r"openai\.(?:ChatCompletion)\.a?create"),
    ("openai-completions", r"openai\.(?:Completion)\.a?create"),
    ("openai-chat", r"[\w.()]*\.chat\.completions\.(?:create|parse|stream)"),
    (
        "openai-responses",
        r"(?:openai|portkey_ai)\b[\w.()]*\.responses\.(?:create|parse|stream)",
    ),
    (
        "openai-completions",
        r"(?:openai|groq|together|fireworks)\b[\w.()]*\.completions\.create",
    ),
    ("anthropic-messages", r"anthropic\b[\w.()]*\.messages\.(?:create|stream|parse)"),
    ("anthropic-completions", r"anthropic\b[\w.()]*\.completions\.create"),
    (
        "gemini",
        r"(?:google\.generativeai|google\.genai|vertexai|google\.cloud\.aiplatform)"
        r"\b[\w.()]*\.(?:generate_content(?:_async|_stream)?|send_message(?:_async|_stream)?)",
    ),
    ("litellm", r"litellm\.(?:Router\(\)\.)?(?:a?completion|text_completion|a?responses)"),
    ("ollama", r"ollama\.(?:(?:Async)?Client\(\)\.)?(?:chat|generate)"),
    ("mistral", r"mistralai\b[\w.()]*\.chat\.(?:complete|stream)(?:_async)?"),
    ("mistral", r"mistralai\b[\w.()]*MistralClient\(\)\.chat(?:_stream)?"),
    ("cohere", r"cohere\b[\w.()]*Client(?:V2)?\(\)\.(?:chat|chat_stream|generate)"),
    (
        "hf",
        r"huggingface_hub\b[\w.()]*InferenceClient\(\)\.(?:chat_completion|text_generation)",
    ),
    # a model, chain, graph or agent object: a class (``ChatOpenAI()``) or a factory such
    # as ``create_react_agent()`` / ``init_chat_model()``, not any helper's return value
    # (``set_config_context().run`` in LangChain's own code is a contextvars call)
    (
        "langchain",
        r"(?:langchain\w*|langgraph)\b[\w.]*\.(?:[A-Z]\w*|create_\w+|initialize_\w+|load_\w+"
        r"|init_chat_model|\w*(?:agent|chain|graph|llm|model)\w*)\(\)[\w.()]*\." + _LC_METHODS,
    ),
    ("langchain", r"(?:langchain\w*)\b[\w.]*\.(?:Chat\w+|\w*LLM\w*|OpenAI|Ollama)\(\)"),
    ("llamaindex", r"(?:llama_index|llama_hub)\b[\w.()]*\." + _LI_METHODS),
    ("agent", r"agents\.Runner\.(?:run|run_sync|run_streamed)"),
    ("agent", r"crewai\b[\w.]*\.Crew\(\)\.kickoff(?:_async|_for_each)?"),
    ("agent", r"smolagents\b[\w.]*Agent\(\)\.run"),
    ("agent", r"pydantic_ai\b[\w.]*\.Agent\(\)\.(?:run|run_sync|run_stream)"),
    (
        "agent",
        r"(?:autogen\w*|ag2)\b[\w.()]*\.(?:a_?initiate_chat|a_?generate_reply"
        r"|run|run_stream|on_messages)",
    ),
)

_ROOTS: Final = (
    "openai", "portkey_ai", "groq", "together", "fireworks", "anthropic", "google",
    "vertexai", "litellm", "ollama", "mistralai", "cohere", "huggingface_hub", "langchain",
    "langgraph", "llama_index", "llama_hub", "agents.Runner.", "crewai", "smolagents",
    "pydantic_ai", "autogen", "ag2",
)  # fmt: skip
"""Every literal a pattern of :data:`_QUALIFIED_SOURCES` can start with, but one."""
_UNROOTED: Final = ".chat.completions."
"""The literal the one pattern that has no leading literal requires."""


def _may_be_qualified(name: str) -> bool:
    """False when no pattern of :data:`_QUALIFIED_SOURCES` can fully match ``name``.

    Every pattern but one begins with a literal (or a group of literal alternatives)
    listed in :data:`_ROOTS`, and ``fullmatch`` anchors it at the start of the name;
    the other requires :data:`_UNROOTED`. So a name that neither starts with a root nor
    holds that literal matches none, and the patterns need not be compiled for it
    (a unit test checks every pattern's leading literal against the roots).
    """
    return name.startswith(_ROOTS) or _UNROOTED in name


@functools.cache
def _qualified() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The compiled :data:`_QUALIFIED_SOURCES`, built for the first name that may match."""
    return tuple((api, re.compile(pattern)) for api, pattern in _QUALIFIED_SOURCES)


_AGENT_METHODS: Final = frozenset(
    {
        "invoke", "ainvoke", "run", "arun", "run_sync", "kickoff", "kickoff_async", "step",
        "astep", "initiate_chat", "a_initiate_chat", "generate_reply", "a_generate_reply",
        "stream", "astream", "chat", "achat", "query", "aquery", "complete", "acomplete",
    }
)  # fmt: skip
_AGENT_RECEIVER: Final = (
    r"(?i)(?:llm|agent|executor|chain|crew|graph|assistant|chatbot|runner|team|workflow)"
)
_MAX_CHAIN: Final = 32


class LlmCall(NamedTuple):
    """A recognised LLM call: which API family, and whether its receiver was resolved."""

    api: str
    resolved: bool


def attribute_chain(expr: ast.expr) -> list[str]:
    """The names of an attribute chain, outermost last (``self.a.b()`` -> ``[self, a, b]``).

    A call or subscript in the chain keeps its callee's names (``x.y().z`` -> ``[x, y,
    z]``); an expression that is not a name ends the chain with ``"?"``.
    """
    names: list[str] = []
    node: ast.expr = expr
    while len(names) < _MAX_CHAIN:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call | ast.Subscript):
            node = node.func if isinstance(node, ast.Call) else node.value
        elif isinstance(node, ast.Await):
            node = node.value
        else:
            names.append(node.id if isinstance(node, ast.Name) else "?")
            break
    return names[::-1]


def llm_call(ctx: ModuleContext, call: ast.Call) -> LlmCall | None:
    """The LLM API ``call`` invokes, or ``None`` when it is not an LLM call."""
    for name in sorted(ctx.call_names(call)):
        if not _may_be_qualified(name):
            continue
        for api, pattern in _qualified():
            if pattern.fullmatch(name):
                return LlmCall(api, resolved=True)
    if _is_lcel_call(ctx, call):
        return LlmCall("langchain", resolved=True)
    fallback = _by_method_chain(call)
    return LlmCall(fallback, resolved=False) if fallback is not None else None


def _is_lcel_call(ctx: ModuleContext, call: ast.Call) -> bool:
    """``(prompt | llm).invoke(...)``: a LangChain pipeline with a resolved LangChain part."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _LC_METHOD_NAMES:
        return False
    return _is_lcel(ctx, func.value, 0)


def _is_lcel(ctx: ModuleContext, expr: ast.expr, depth: int) -> bool:
    if depth > 6:
        return False
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr) or []
        values = [b for b in bindings if isinstance(b, ast.expr)]
        return len(values) == 1 and _is_lcel(ctx, values[0], depth + 1)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return any(_is_langchain_part(ctx, side, depth) for side in (expr.left, expr.right))
    return False


def _is_langchain_part(ctx: ModuleContext, expr: ast.expr, depth: int) -> bool:
    if any(n.startswith(("langchain", "langgraph")) for n in ctx.qualnames(expr)):
        return True
    return _is_lcel(ctx, expr, depth + 1)


def is_llm_call(ctx: ModuleContext, call: ast.Call) -> bool:
    """True when ``call`` calls an LLM provider SDK, framework model or agent run."""
    return llm_call(ctx, call) is not None


def is_agent_step(ctx: ModuleContext, call: ast.Call) -> bool:
    """True for LLM calls and agent runs, including ``agent.invoke``-style calls on
    receivers that are named like agents, executors, chains or LLMs."""
    if is_llm_call(ctx, call):
        return True
    chain = attribute_chain(call.func)
    if len(chain) < 2 or chain[-1] not in _AGENT_METHODS:
        return False
    return _agent_receiver().search(chain[-2]) is not None


@functools.cache
def _agent_receiver() -> re.Pattern[str]:
    """:data:`_AGENT_RECEIVER`, compiled for the first agent-like method call."""
    return re.compile(_AGENT_RECEIVER)


def _has_keywords(call: ast.Call, *names: str) -> bool:
    present = {k.arg for k in call.keywords}
    return all(name in present for name in names)


def _by_method_chain(call: ast.Call) -> str | None:
    """An API family from a method chain only LLM SDKs use (receiver unknown)."""
    chain = attribute_chain(call.func)
    tail2 = ".".join(chain[-2:])
    tail3 = ".".join(chain[-3:])
    if tail3 in {"chat.completions.create", "chat.completions.parse", "chat.completions.stream"}:
        return "openai-chat"
    if chain[-1:] and chain[-1] in {"generate_content", "generate_content_async"}:
        return "gemini"
    if tail2 == "models.generate_content_stream":
        return "gemini"
    if (
        tail2 in {"messages.create", "messages.stream"}
        and _has_keywords(call, "model")
        and (_has_keywords(call, "messages") or _has_keywords(call, "max_tokens"))
    ):
        return "anthropic-messages"
    if tail2 == "responses.create" and _has_keywords(call, "model"):
        return "openai-responses"
    if tail2 == "completions.create" and _has_keywords(call, "model", "prompt"):
        return "openai-completions"
    if tail2 in {"chat.complete", "chat.complete_async"} and _has_keywords(call, "model"):
        return "mistral"
    if chain[-1:] == ["chat_completion"]:
        return "hf"
    if chain[-1:] and chain[-1] in {"converse", "invoke_model"} and _has_keywords(call, "modelId"):
        return "bedrock"
    return None
