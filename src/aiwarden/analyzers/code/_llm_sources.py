"""Which calls return text written by a language model (the sources of AIW-PY008).

A call is a source when the qualified name of its callee (from
:class:`~._receivers.Resolver`) is a known completion API of a provider SDK
(``openai.OpenAI().chat.completions.create``, ``anthropic.Anthropic().messages.create``,
``litellm.completion``...), a LangChain/LangGraph/LlamaIndex object's run method
(``ChatOpenAI().invoke``, ``(prompt | llm).invoke``, ``index.as_query_engine().query``),
a Hugging Face text-generation pipeline or ``model.generate``. When the receiver's
type is unknown (``self.client`` set elsewhere) but the method chain is distinctive
(``.chat.completions.create``, ``.messages.create``, ``.generate_content``), the call
is a source with medium confidence.
"""

from __future__ import annotations

import ast
from typing import Final, NamedTuple

from aiwarden.analyzers.code._receivers import Resolver, enclosing_class
from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext
from aiwarden.core.severity import Confidence


class LlmCall(NamedTuple):
    """A call recognised as returning model output: how to name it, how sure we are."""

    label: str
    confidence: Confidence


_OPENAI_STYLE: Final = (
    "chat.completions.create",
    "chat.completions.parse",
    "beta.chat.completions.parse",
    "chat.completions.stream",
    "beta.chat.completions.stream",
    "completions.create",
    "responses.create",
    "responses.parse",
    "responses.stream",
)
PROVIDER_METHODS: Final[dict[str, tuple[str, ...]]] = {
    "openai": (
        *_OPENAI_STYLE,
        "ChatCompletion.create",
        "ChatCompletion.acreate",
        "Completion.create",
        "Completion.acreate",
        "beta.threads.messages.list",
    ),
    "anthropic": (
        "messages.create",
        "messages.stream",
        "messages.parse",
        "beta.messages.create",
        "beta.messages.stream",
        "completions.create",
    ),
    "google.generativeai": (
        "generate_content",
        "generate_content_async",
        "send_message",
        "send_message_async",
    ),
    "google.genai": (
        "models.generate_content",
        "models.generate_content_stream",
        "aio.models.generate_content",
        "aio.models.generate_content_stream",
        "send_message",
        "send_message_stream",
    ),
    "vertexai": ("generate_content", "generate_content_async", "send_message", "predict"),
    "litellm": ("completion", "acompletion", "text_completion", "atext_completion"),
    "ollama": ("chat", "generate"),
    "mistralai": ("chat.complete", "chat.complete_async", "chat.stream", "fim.complete"),
    "cohere": ("chat", "chat_stream", "generate"),
    "groq": _OPENAI_STYLE,
    "together": _OPENAI_STYLE,
    "fireworks": _OPENAI_STYLE,
    "cerebras": _OPENAI_STYLE,
    "huggingface_hub": ("chat_completion", "text_generation", *_OPENAI_STYLE),
    "boto3": ("invoke_model", "invoke_model_with_response_stream", "converse", "converse_stream"),
    "vllm": ("generate", "chat"),
    "transformers": ("generate",),
    "agents": ("Runner.run", "Runner.run_sync", "Runner.run_streamed"),
    "pydantic_ai": ("run", "run_sync"),
    "crewai": ("kickoff", "kickoff_async"),
    "smolagents": ("run",),
}
"""For each provider module: the method paths (after the client object) that return output."""

DISTINCTIVE: Final = (
    "chat.completions.create",
    "chat.completions.parse",
    "messages.create",
    "responses.create",
    "generate_content",
    "generate_content_async",
)
"""Method chains that are LLM calls whatever the receiver is."""

FRAMEWORK_PREFIXES: Final = ("langchain", "langgraph", "llama_index", "llamaindex")
FRAMEWORK_METHODS: Final = frozenset(
    [
        "invoke",
        "ainvoke",
        "predict",
        "apredict",
        "run",
        "arun",
        "batch",
        "abatch",
        "stream",
        "astream",
        "predict_messages",
        "apredict_messages",
        "call_as_llm",
        "generate",
        "agenerate",
        "query",
        "aquery",
        "chat",
        "achat",
        "complete",
        "acomplete",
        "stream_chat",
        "astream_chat",
        "stream_complete",
        "astream_complete",
    ]
)
"""Methods of framework objects (chat models, chains, agents, engines) that run a model."""
NOT_MODELS: Final = (
    "Prompt",
    "prompts.",
    "Parser",
    "parsers.",
    "Retriever",
    "retrievers.",
    "Embedding",
    "embeddings.",
    "Loader",
    "loaders.",
    "Splitter",
    "splitters.",
    "VectorStore",
    "vectorstores.",
    "Memory",
    "memory.",
    "Tool",
    "tools.",
    "Document",
    "Message",
    "Database",
    "utilities.",
    "Wrapper",
    "Passthrough",
    "RunnableLambda",
)
"""LangChain objects whose ``invoke``/``run`` calls no model (prompts, retrievers, tools...)."""
NOT_LLM_ROOTS: Final = (
    "twilio",
    "slack",
    "slack_sdk",
    "telegram",
    "discord",
    "vonage",
    "plivo",
    "messagebird",
    "sinch",
    "sendgrid",
)
"""Messaging SDKs whose ``client.messages.create`` sends an SMS or chat message."""

GENERATIVE_TASKS: Final = frozenset(
    {
        "text-generation",
        "text2text-generation",
        "summarization",
        "translation",
        "conversational",
        "image-to-text",
        "image-text-to-text",
        "visual-question-answering",
        "document-question-answering",
    }
)


class LlmSources:
    """Recognises LLM calls in one module."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver) -> None:
        self.ctx = ctx
        self.resolver = resolver

    def match(self, call: ast.Call) -> LlmCall | None:
        """The LLM call ``call`` is, if any."""
        names = self.resolver.names(call.func)
        for name in sorted(names):
            found = _provider(name) or _framework(name)
            if found is not None:
                return LlmCall(found, Confidence.HIGH)
        return self._pipeline(call) or self._decode(call) or _distinctive(call, names)

    def _pipeline(self, call: ast.Call) -> LlmCall | None:
        """``generator = pipeline("text-generation"); generator(prompt)``."""
        for created in self._created_by(call.func):
            if "transformers.pipeline" not in self.ctx.call_names(created):
                continue
            task = self.ctx.constant(self.ctx.argument(created, "task", 0))
            if isinstance(task, str) and (
                task in GENERATIVE_TASKS or task.startswith("translation")
            ):
                return LlmCall(f"transformers pipeline({task!r})", Confidence.HIGH)
            if task is UNKNOWN:
                return LlmCall("transformers pipeline", Confidence.MEDIUM)
        return None

    def _created_by(self, func: ast.expr) -> list[ast.Call]:
        if isinstance(func, ast.Call):
            return [func]
        if isinstance(func, ast.Name):
            return [b for b in self.ctx.bindings(func) or [] if isinstance(b, ast.Call)]
        return []

    def _decode(self, call: ast.Call) -> LlmCall | None:
        """``tokenizer.decode(model.generate(...))`` with an unknown model object."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in {"decode", "batch_decode"}):
            return None
        first = call.args[0] if call.args else None
        if first is None:
            return None
        candidates: list[ast.expr] = [first]
        if isinstance(first, ast.Subscript):
            candidates.append(first.value)
        for candidate in list(candidates):
            if isinstance(candidate, ast.Name):
                candidates.extend(
                    b for b in self.ctx.bindings(candidate) or [] if isinstance(b, ast.expr)
                )
        for candidate in candidates:
            for node in ast.walk(candidate):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "generate"
                ):
                    return LlmCall(f"{func.attr} of model.generate", Confidence.MEDIUM)
        return None


def _provider(name: str) -> str | None:
    for module, methods in PROVIDER_METHODS.items():
        if not (name == module or name.startswith(module + ".")):
            continue
        rest = name[len(module) + 1 :]
        tail = rest.rsplit("().", 1)[-1] if "()." in rest else rest
        for method in methods:
            if tail == method or tail.endswith("." + method):
                return f"{module} {method}"
    return None


def _framework(name: str) -> str | None:
    if not name.startswith(FRAMEWORK_PREFIXES) or "()" not in name:
        return None
    receiver, _, method = name.rpartition(".")
    if name.endswith("()"):
        receiver, method = name[:-2], "__call__"
    elif method not in FRAMEWORK_METHODS:
        return None
    if name.startswith(("langchain", "langgraph")) and any(w in receiver for w in NOT_MODELS):
        return None
    parts = [part.removesuffix("()") for part in receiver.split(".")]
    named = [part for part in parts if part[:1].isupper()] or parts[-1:]
    return f"{named[-1]}.{method}" if method != "__call__" else f"{named[-1]}()"


def _distinctive(call: ast.Call, names: frozenset[str]) -> LlmCall | None:
    chain = _chain(call.func)
    if chain is None or any(n.split(".", 1)[0] in NOT_LLM_ROOTS for n in names):
        return None
    for tail in DISTINCTIVE:
        if chain == tail or chain.endswith("." + tail):
            return LlmCall(tail, Confidence.MEDIUM)
    return None


def _chain(func: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain over a name, ``self`` or a call (else ``None``)."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not parts:
        return None
    return ".".join(reversed(parts))


TOOL_FRAMEWORKS: Final = (
    "langchain",
    "langchain_core",
    "langchain_community",
    "agents",
    "crewai",
    "crewai_tools",
    "smolagents",
    "llama_index",
    "pydantic_ai",
    "strands",
    "google.adk",
    "autogen_core",
)
"""Agent frameworks whose ``@tool`` functions are called with model-chosen arguments."""
TOOL_DECORATORS: Final = frozenset({"tool", "function_tool", "tool_plain"})
TOOL_BASES: Final = frozenset({"BaseTool", "Tool", "StructuredTool"})
TOOL_METHODS: Final = frozenset({"_run", "_arun", "forward", "run"})


def agent_tool(resolver: Resolver, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True when the model chooses ``func``'s arguments: a framework ``@tool``.

    ``@tool`` / ``@function_tool`` / ``@agent.tool`` of LangChain, the OpenAI Agents
    SDK, CrewAI, smolagents, PydanticAI..., and ``_run``/``forward`` of a ``BaseTool``
    subclass. MCP tools are AIW-PY016's and are not included.
    """
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        for name in resolver.names(target):
            last = name.rsplit(".", 1)[-1]
            if last in TOOL_DECORATORS and name.startswith(TOOL_FRAMEWORKS):
                return True
    if func.name not in TOOL_METHODS:
        return False
    owner = enclosing_class(resolver.ctx, func)
    if owner is None or func not in owner.body:
        return False
    for base in owner.bases:
        names = resolver.names(base)
        if any(n.rsplit(".", 1)[-1] in TOOL_BASES and n.startswith(TOOL_FRAMEWORKS) for n in names):
            return True
    return False
