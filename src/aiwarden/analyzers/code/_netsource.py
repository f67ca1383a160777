"""Does an expression hold bytes that came straight off the network?

Used by ``AIW-PY015`` to tell ``pickle.loads(sock.recv(4096))`` (a remote code
execution primitive) from ``pickle.loads(open(p, "rb").read())``. The answer is
syntactic and bounded: the expression (through decoders such as ``base64.b64decode``
or ``io.BytesIO`` and through simple assignments in the same function) must be a
socket/WebSocket receive, a server request body, an HTTP client response body, or a
read from a shared cache or queue client (Redis, Memcached, Kafka).
"""

from __future__ import annotations

import ast
import weakref
from typing import Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code.context import ModuleContext

_MAX_DEPTH: Final = 8
_MAX_BINDINGS: Final = 64

RECV_METHODS: Final = frozenset(
    {
        "recv",
        "recv_bytes",
        "recvfrom",
        "recv_multipart",
        "recv_string",
        "receive_bytes",
        "makefile",
    }
)
_DECODERS: Final = frozenset(
    {
        "base64.b64decode",
        "base64.urlsafe_b64decode",
        "base64.standard_b64decode",
        "base64.decodebytes",
        "base64.b85decode",
        "base64.b32decode",
        "binascii.a2b_base64",
        "binascii.unhexlify",
        "codecs.decode",
        "zlib.decompress",
        "gzip.decompress",
        "bz2.decompress",
        "lzma.decompress",
        "lz4.frame.decompress",
        "io.BytesIO",
        "builtins.bytes",
        "builtins.bytearray",
        "builtins.memoryview",
        "bytes.fromhex",
    }
)
_PASS_METHODS: Final = frozenset({"encode", "decode", "read", "getvalue", "tobytes"})
_STORE_CLIENTS: Final = frozenset(
    {"redis", "aioredis", "valkey", "pymemcache", "memcache", "kafka", "confluent_kafka"}
)
"""Shared caches and queues: any host that can write to them controls what is read."""
_STORE_READS: Final = frozenset(
    {
        "get", "getdel", "getex", "mget", "hget", "hgetall", "hmget", "lpop", "rpop", "blpop",
        "brpop", "lindex", "lrange", "xread", "xreadgroup", "poll", "consume", "value",
    }
)  # fmt: skip
_HTTP_CLIENTS: Final = frozenset({"requests", "httpx", "urllib", "urllib3", "aiohttp"})
_BODY_ATTRS: Final = frozenset({"content", "read", "data", "body", "raw", "text", "aread"})
_SERVER_REQUESTS: Final = frozenset(
    {"flask.request", "quart.request", "bottle.request", "sanic.request", "werkzeug.request"}
)
_REQUEST_NAMES: Final = frozenset({"request", "req"})
_REQUEST_ATTRS: Final = frozenset(
    {
        "data",
        "body",
        "get_data",
        "stream",
        "files",
        "form",
        "args",
        "values",
        "json",
        "get_json",
        "POST",
        "GET",
        "FILES",
        "content",
        "query_params",
        "read",
        "raw_body",
        "cookies",
        "headers",
    }
)


def network_source(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """What network source ``expr`` comes from (``"a socket receive"``...), or ``None``."""
    return _source(ctx, expr, 0)


def _source(ctx: ModuleContext, expr: ast.expr, depth: int) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Await | ast.Subscript | ast.Starred):
        return _source(ctx, expr.value, depth + 1)
    if isinstance(expr, ast.Name):
        return _name_source(ctx, expr, depth)
    if isinstance(expr, ast.Call):
        found = _call_source(ctx, expr, depth)
        if found is not None:
            return found
    return _direct(ctx, expr)


def _call_source(ctx: ModuleContext, call: ast.Call, depth: int) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in RECV_METHODS:
        return "a socket or WebSocket receive"
    if isinstance(func, ast.Attribute) and func.attr in _STORE_READS and _from_store(ctx, func):
        return "a shared cache or message queue"
    if call.args and ctx.call_names(call) & _DECODERS:
        return _source(ctx, call.args[0], depth + 1)
    if isinstance(func, ast.Attribute) and func.attr in _PASS_METHODS:
        return _source(ctx, func.value, depth + 1) or _direct(ctx, call)
    return None


def _from_store(ctx: ModuleContext, method: ast.Attribute) -> bool:
    """True when ``method`` is called on a Redis/Memcached/Kafka client object."""
    return any(
        "()" in name and kit.split(name)[0] in _STORE_CLIENTS
        for name in ctx.qualnames(method.value)
    )


def _direct(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """A request or response body read directly (no decoding in between)."""
    for qualname in ctx.qualnames(expr):
        root, tail = kit.split(qualname.removesuffix("()"))
        if root in _HTTP_CLIENTS and "()" in qualname and tail in _BODY_ATTRS:
            return "an HTTP response body"
        if any(qualname.startswith(p + ".") for p in _SERVER_REQUESTS):
            return "an HTTP request body"
    parts = kit.identifier_text(expr).split(".")
    for index, part in enumerate(parts[:-1]):
        if part in _REQUEST_NAMES and parts[index + 1] in _REQUEST_ATTRS:
            return "an HTTP request body"
    return None


def _name_source(ctx: ModuleContext, name: ast.Name, depth: int) -> str | None:
    memo = _NAMES.setdefault(ctx, {})
    key = (id(ctx.scope_of(name)), name.id)
    if key not in memo:
        memo[key] = None  # a cycle back to this name finds nothing
        memo[key] = _resolve_name(ctx, name, depth)
    return memo[key]


def _resolve_name(ctx: ModuleContext, name: ast.Name, depth: int) -> str | None:
    bindings = ctx.bindings(name)
    if not bindings:
        return None
    for binding in bindings[:_MAX_BINDINGS]:
        if isinstance(binding, ast.expr) and not _reads(binding, name.id):
            found = _source(ctx, binding, depth + 1)
            if found is not None:
                return found
    for value in _augmented(ctx).get((id(ctx.scope_of(name)), name.id), [])[:_MAX_BINDINGS]:
        found = _source(ctx, value, depth + 1)
        if found is not None:
            return found
    return None


_NAMES: weakref.WeakKeyDictionary[ModuleContext, dict[tuple[int, str], str | None]] = (
    weakref.WeakKeyDictionary()
)
_AUGMENTED: weakref.WeakKeyDictionary[ModuleContext, dict[tuple[int, str], list[ast.expr]]] = (
    weakref.WeakKeyDictionary()
)


def _augmented(ctx: ModuleContext) -> dict[tuple[int, str], list[ast.expr]]:
    """``name += value`` statements by (scope, name), built once per module."""
    index = _AUGMENTED.get(ctx)
    if index is None:
        index = {}
        for node in ctx.nodes(ast.AugAssign):
            if isinstance(node.target, ast.Name):
                key = (id(ctx.scope_of(node)), node.target.id)
                index.setdefault(key, []).append(node.value)
        _AUGMENTED[ctx] = index
    return index


def _reads(expr: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(expr))
