"""Which expressions carry a credential, a prompt or an LLM completion (for AIW-PY021).

:func:`classify` follows an expression through the operations that keep its content
(f-strings, ``%``/``+``, ``str()``, ``json.dumps``, ``.format``, subscripts, attribute
reads, and the assignments of names in the same module) and stops at those that do not
(``len()``, ``bool()``, comparisons, slices such as ``key[:4]``, masking or hashing
helpers, and metadata attributes such as ``.usage`` or ``.id``). Names are judged by
their words (``api_key``, ``hf_token``, ``system_prompt``, ``llm_response``) and values
by their origin (``os.environ["OPENAI_API_KEY"]``, ``os.getenv("HF_TOKEN")``, the result
of an LLM call, a headers dict with ``Authorization``).
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Sequence
from typing import Final, NamedTuple
from weakref import WeakKeyDictionary

from aiwarden.analyzers.code._llm_calls import attribute_chain, is_llm_call
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext

__all__ = ["Kind", "Sensitive", "classify", "imports_ai", "is_secret_name"]


class Kind(enum.Enum):
    """What a sensitive value is, strongest first."""

    KEY = "credential"
    COMPLETION = "LLM completion"
    PROMPT = "prompt"


_RANK: Final = {Kind.KEY: 0, Kind.COMPLETION: 1, Kind.PROMPT: 2}


class Sensitive(NamedTuple):
    """A sensitive value found in an expression: its kind, the node and a short name."""

    kind: Kind
    node: ast.AST
    name: str
    derived: bool = False


_MAX_DEPTH: Final = 12
_WORDS: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_ALWAYS_SECRET: Final = frozenset(
    {"secret", "password", "passwd", "pwd", "apikey", "credential", "credentials",
     "authorization", "bearer", "passphrase"}
)  # fmt: skip
_KEY_OWNERS: Final = frozenset(
    {"bearer", "refresh", "session", "bot", "slack", "github", "gh", "gitlab", "oauth", "jwt",
     "personal", "huggingface", "write", "login", "csrf", "api", "openai", "anthropic",
     "secret", "private", "access", "auth", "hf", "groq", "cohere", "mistral", "gemini",
     "google", "azure", "aws", "service", "signing", "encryption", "master", "subscription",
     "deepseek", "together", "replicate", "pinecone", "langsmith", "langchain", "serpapi",
     "tavily", "xai", "openrouter"}
)  # fmt: skip
_NOT_SECRET: Final = frozenset(
    {"max", "num", "count", "limit", "len", "length", "usage", "type", "budget", "size",
     "idx", "index", "id", "ids", "n", "total", "input", "output", "prompt", "completion",
     "cached", "reasoning", "per", "estimated", "remaining", "used", "counter", "next",
     "page", "continuation", "start", "end", "sep", "eos", "bos", "pad", "unk", "special",
     "cls", "mask", "name", "names", "file", "path", "env", "var", "header", "field",
     "expiry", "expires", "ttl", "url", "endpoint", "set", "is", "has", "missing", "valid",
     "hash", "hashed", "masked", "redacted", "prefix", "suffix", "policy", "strength",
     "reset", "manager", "provider", "store", "vault", "rotation", "timestamp"}
)  # fmt: skip
_NOT_CONTENT: Final = frozenset(
    {"len", "length", "count", "num", "n", "id", "ids", "name", "names", "path", "file",
     "dir", "token", "tokens", "version", "type", "key", "keys", "size", "hash", "time",
     "status", "rate", "date", "percent", "pct", "flag", "event", "callback", "handler",
     "template", "templates", "format", "style", "mode", "index", "idx", "cost", "price",
     "ms", "seconds", "latency", "duration", "url", "uri", "dataset", "config", "registry",
     "loader", "class", "fn", "func", "max", "min", "limit", "hub", "manager", "cache"}
)  # fmt: skip
_PROMPT_EXACT: Final = frozenset(
    {"messages", "chat_messages", "chat_history", "user_message", "user_input", "user_prompt",
     "system_message", "conversation_history", "input_messages"}
)  # fmt: skip
_LLM_WORDS: Final = frozenset({"llm", "gpt", "assistant", "ai", "chat", "completion", "claude"})
_OUTPUT_WORDS: Final = frozenset(
    {"response", "responses", "output", "outputs", "reply", "result", "answer", "message", "text"}
)
_META_ATTRS: Final = frozenset(
    {"usage", "id", "model", "created", "object", "finish_reason", "stop_reason", "status",
     "status_code", "elapsed", "latency", "role", "type", "index", "shape", "dtype",
     "device", "name", "response_metadata", "usage_metadata", "prompt_tokens",
     "completion_tokens", "total_tokens", "input_tokens", "output_tokens", "logprobs",
     "system_fingerprint", "__class__", "__name__", "model_name"}
)  # fmt: skip
_KEEP_CALLS: Final = frozenset(
    {"builtins.str", "builtins.repr", "builtins.format", "builtins.dict", "builtins.list",
     "builtins.tuple", "json.dumps", "pprint.pformat", "textwrap.shorten", "textwrap.indent"}
)  # fmt: skip
_KEEP_METHODS: Final = frozenset(
    {"strip", "lstrip", "rstrip", "lower", "upper", "title", "encode", "decode", "replace",
     "format", "join", "model_dump", "model_dump_json", "dict", "json", "to_dict", "to_json",
     "splitlines", "expandtabs", "casefold", "items", "values"}
)  # fmt: skip
_AI_MODULES: Final = re.compile(
    r"(?:openai|anthropic|langchain\w*|langgraph|llama_index|llama_cpp|google\.generativeai"
    r"|google\.genai|google\.adk|vertexai|litellm|ollama|mistralai|cohere|groq|together"
    r"|transformers|huggingface_hub|autogen\w*|crewai|smolagents|agents|pydantic_ai|mcp"
    r"|fastmcp|instructor|dspy|guidance|semantic_kernel|haystack|replicate|vllm|tiktoken"
    r"|gpt4all|openai_agents|strands|agno)(?:\.|$)"
)
_BARE_TOKEN: Final = re.compile(r"(?i)^_*token$")
_PLAIN_VALUES: Final = (ast.Name, ast.Attribute, ast.Subscript, ast.JoinedStr, ast.BinOp)
_ENV_GETTERS: Final = frozenset({"os.getenv", "os.environ.get", "os.environ.__getitem__"})
_AUTH_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key",
     "openai-api-key", "cookie"}
)  # fmt: skip


def _words(identifier: str) -> list[str]:
    return [w.lower() for part in identifier.split("_") for w in _WORDS.findall(part)]


def is_secret_name(identifier: str, *, environment: bool = False) -> bool:
    """True for names of credentials: ``api_key``, ``HF_TOKEN``, ``client_secret``...

    A bare ``token`` or ``key`` is not enough in code (lexer tokens, LLM output tokens,
    dict keys); it is for an environment variable (``TOKEN``, ``DEPLOY_KEY``).
    """
    words = _words(identifier)
    if not words or any(w in _NOT_SECRET for w in words):
        return False
    if any(w in _ALWAYS_SECRET for w in words):
        return True
    if environment and ("token" in words or "key" in words):
        return True
    return any(
        w in {"key", "token"} and i > 0 and words[i - 1] in _KEY_OWNERS for i, w in enumerate(words)
    )


def _content_kind(identifier: str) -> Kind | None:
    """PROMPT or COMPLETION for names such as ``system_prompt`` or ``llm_response``.

    ``UPPER_CASE`` names are constants (prompt templates written in the source), not
    the prompts users send.
    """
    if identifier.isupper():
        return None
    lowered = identifier.lower()
    words = _words(identifier)
    if not words or any(w in _NOT_CONTENT for w in words):
        return None
    if "completion" in words or "completions" in words or lowered == "generated_text":
        return Kind.COMPLETION
    if any(w in _LLM_WORDS for w in words) and any(w in _OUTPUT_WORDS for w in words):
        return Kind.COMPLETION
    if "prompt" in words or "prompts" in words or lowered.lstrip("_") in _PROMPT_EXACT:
        return Kind.PROMPT
    return None


def classify(ctx: ModuleContext, expr: ast.expr) -> Sensitive | None:
    """The strongest sensitive value whose content ``expr`` carries, or ``None``.

    Prompts and completions recognised only by their names (``prompt``, ``messages``,
    ``completion``) count only in modules that import an LLM or agent library, where
    those words mean what they say; outside them (``pip``'s shell completion, a CLI
    prompt) they do not.
    """
    return _Classifier(ctx, imports_ai(ctx)).visit(expr, 0, set())


_AI_IMPORTS: WeakKeyDictionary[ModuleContext, bool] = WeakKeyDictionary()


def imports_ai(ctx: ModuleContext) -> bool:
    """True when the module imports an LLM, agent or MCP library."""
    known = _AI_IMPORTS.get(ctx)
    if known is None:
        modules = [a.name for n in ctx.nodes(ast.Import) for a in n.names]
        modules += [n.module or "" for n in ctx.nodes(ast.ImportFrom) if not n.level]
        known = _AI_IMPORTS[ctx] = any(_AI_MODULES.match(m) for m in modules)
    return known


class _Classifier:
    def __init__(self, ctx: ModuleContext, by_name: bool) -> None:
        self.ctx = ctx
        self.by_name = by_name

    def visit(self, expr: ast.expr, depth: int, seen: set[int]) -> Sensitive | None:
        if depth > _MAX_DEPTH or id(expr) in seen:
            return None
        seen.add(id(expr))
        if isinstance(expr, ast.Name):
            return self._name(expr, depth, seen)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, depth, seen)
        if isinstance(expr, ast.Subscript):
            return self._subscript(expr, depth, seen)
        if isinstance(expr, ast.Call):
            return self._call(expr, depth, seen)
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if (
                    _auth_key(self.ctx, [key])
                    and self.ctx.constant(value) is UNKNOWN
                    and isinstance(value, _PLAIN_VALUES)
                ):
                    return Sensitive(Kind.KEY, value, str(self.ctx.constant(key)))
        return self._strongest(self._children(expr), depth, seen)

    @staticmethod
    def _children(expr: ast.expr) -> list[ast.expr]:
        if isinstance(expr, ast.JoinedStr):
            return [v.value for v in expr.values if isinstance(v, ast.FormattedValue)]
        if isinstance(expr, ast.BinOp):
            return [expr.left, expr.right]
        if isinstance(expr, ast.Tuple | ast.List | ast.Set):
            return list(expr.elts)
        if isinstance(expr, ast.Dict):
            return list(expr.values)
        if isinstance(expr, ast.IfExp):
            return [expr.body, expr.orelse]
        if isinstance(expr, ast.BoolOp):
            return list(expr.values)
        if isinstance(expr, ast.Starred | ast.Await | ast.NamedExpr | ast.FormattedValue):
            return [expr.value]
        return []

    def _strongest(self, exprs: list[ast.expr], depth: int, seen: set[int]) -> Sensitive | None:
        found = [s for e in exprs if (s := self.visit(e, depth + 1, seen)) is not None]
        return min(found, key=lambda s: _RANK[s.kind]) if found else None

    def _name(self, name: ast.Name, depth: int, seen: set[int]) -> Sensitive | None:
        if is_secret_name(name.id):
            return Sensitive(Kind.KEY, name, name.id)
        if name.id == "environ" and "os.environ" in self.ctx.qualnames(name):
            return Sensitive(Kind.KEY, name, "os.environ")
        bindings = self.ctx.bindings(name) or []
        values = [b for b in bindings if isinstance(b, ast.expr)]
        origin = self._strongest(values, depth, seen) if len(values) <= 4 else None
        if origin is not None:
            return Sensitive(origin.kind, name, name.id, derived=True)
        if bindings and all(isinstance(b, ast.Constant) for b in bindings):
            return None  # a prompt written in the source is no user data
        if _BARE_TOKEN.match(name.id) and not any(_is_loop(b) for b in bindings):
            return Sensitive(Kind.KEY, name, name.id)  # ``for token in stream`` is output
        kind = _content_kind(name.id) if self.by_name else None
        return Sensitive(kind, name, name.id) if kind is not None else None

    def _attribute(self, expr: ast.Attribute, depth: int, seen: set[int]) -> Sensitive | None:
        if expr.attr in _META_ATTRS:
            return None
        if is_secret_name(expr.attr) or _BARE_TOKEN.match(expr.attr):
            return Sensitive(Kind.KEY, expr, expr.attr)
        if expr.attr == "environ" and "os.environ" in self.ctx.qualnames(expr):
            return Sensitive(Kind.KEY, expr, "os.environ")  # every variable, keys included
        if expr.attr in {"choices", "output_text", "generations"}:
            return Sensitive(Kind.COMPLETION, expr, self.ctx.normalised(expr), derived=True)
        inner = self.visit(expr.value, depth + 1, seen)
        if inner is not None and inner.kind is not Kind.KEY:
            return inner
        kind = _content_kind(expr.attr) if self.by_name else None
        return Sensitive(kind, expr, expr.attr) if kind is not None else None

    def _subscript(self, expr: ast.Subscript, depth: int, seen: set[int]) -> Sensitive | None:
        if isinstance(expr.slice, ast.Slice):
            return None  # ``key[:4]``: a prefix, the usual way to show which key is used
        index = self.ctx.constant(expr.slice)
        if isinstance(index, str):
            if "os.environ" in self.ctx.qualnames(expr.value):
                secret = is_secret_name(index, environment=True)
                return Sensitive(Kind.KEY, expr, index) if secret else None
            if index.lower() in _AUTH_HEADERS or is_secret_name(index):
                return Sensitive(Kind.KEY, expr, index)
            if index in _META_ATTRS:
                return None
        return self.visit(expr.value, depth + 1, seen)

    def _call(self, call: ast.Call, depth: int, seen: set[int]) -> Sensitive | None:
        names = self.ctx.call_names(call)
        if names & _ENV_GETTERS:
            key = self.ctx.constant(call.args[0]) if call.args else None
            if isinstance(key, str) and is_secret_name(key, environment=True):
                return Sensitive(Kind.KEY, call, key)
            return None
        if is_llm_call(self.ctx, call):
            return Sensitive(Kind.COMPLETION, call, self.ctx.normalised(call.func), derived=True)
        if _headers_with_auth(self.ctx, call):
            return Sensitive(Kind.KEY, call, "Authorization header")
        chain = attribute_chain(call.func)
        if chain[-1] == "get" and call.args and _auth_key(self.ctx, call.args[:1]):
            return Sensitive(Kind.KEY, call, str(self.ctx.constant(call.args[0])))
        args = [*call.args, *(k.value for k in call.keywords)]
        if names & _KEEP_CALLS:
            return self._strongest(args, depth, seen)
        if isinstance(call.func, ast.Attribute) and chain[-1] in _KEEP_METHODS:
            return self._strongest([call.func.value, *args], depth, seen)
        return None


def _is_loop(binding: object) -> bool:
    return isinstance(binding, Opaque) and binding.kind == "loop"


def _auth_key(ctx: ModuleContext, keys: Sequence[ast.expr | None]) -> bool:
    """True when one of ``keys`` is a constant naming a credential header or field."""
    for key in keys:
        value = ctx.constant(key) if key is not None else None
        if isinstance(value, str) and (value.lower() in _AUTH_HEADERS or is_secret_name(value)):
            return True
    return False


def _headers_with_auth(ctx: ModuleContext, call: ast.Call) -> bool:
    """``dict(Authorization=...)``-style calls carry credentials."""
    if "builtins.dict" not in ctx.call_names(call):
        return False
    return any(k.arg is not None and k.arg.lower() in _AUTH_HEADERS for k in call.keywords)
