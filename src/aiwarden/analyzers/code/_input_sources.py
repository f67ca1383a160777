"""Untrusted inputs of web and MCP handlers: the sources of AIW-PY009 and AIW-PY016.

Web request data: Flask's ``request.args/form/json/values/data/get_json()...``; in any
function, the ``GET/POST/body/data/query_params...`` of a parameter named ``request``
(Django, DRF, Starlette); and the parameters of FastAPI/Starlette/Flask route handlers
(``@app.get("/x")``, ``@router.post``, ``@app.route``), except those injected with
``Depends(...)`` or typed as numbers or booleans. ``input()`` and ``sys.argv`` are the
operator's own input and are not sources.

MCP: the parameters of functions decorated with ``@mcp.tool()`` (also ``resource`` and
``prompt``) on a ``FastMCP`` server, and the ``arguments`` of a low-level
``@server.call_tool()`` handler.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint import Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, parameters
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence

FLASK_REQUEST_PARTS: Final = frozenset(
    [
        "args",
        "form",
        "json",
        "values",
        "data",
        "files",
        "cookies",
        "headers",
        "stream",
        "get_json",
        "get_data",
    ]
)
REQUEST_PARTS: Final = frozenset(
    [
        "GET",
        "POST",
        "body",
        "data",
        "query_params",
        "path_params",
        "json",
        "form",
        "FILES",
        "COOKIES",
        "args",
        "values",
        "get_json",
        "media",
    ]
)
"""Attributes of a ``request`` parameter that hold client data (Django, DRF, Starlette)."""
ROUTE_METHODS: Final = frozenset(
    ["get", "post", "put", "patch", "delete", "options", "head", "api_route", "route", "websocket"]
)
WEB_APPS: Final = (
    "fastapi.FastAPI()",
    "fastapi.APIRouter()",
    "fastapi.routing.APIRouter()",
    "flask.Flask()",
    "flask.Blueprint()",
    "starlette.applications.Starlette()",
    "starlette.routing.Router()",
    "quart.Quart()",
    "sanic.Sanic()",
)
SAFE_TYPES: Final = frozenset(
    [
        "int",
        "float",
        "bool",
        "complex",
        "Decimal",
        "date",
        "datetime",
        "time",
        "timedelta",
        "UUID",
        "Literal",
    ]
)
"""Parameter annotations whose values cannot carry injected text."""
INJECTED: Final = frozenset(
    {
        "Depends",
        "Security",
        "Context",
        "RunContext",
        "RunnableConfig",
        "CallbackManagerForToolRun",
        "AsyncCallbackManagerForToolRun",
        "ToolRuntime",
        "Request",
        "WebSocket",
        "HTTPConnection",
        "BackgroundTasks",
        "Response",
    }
)
"""Framework objects injected into handlers: not client text as a whole (their data
attributes, ``request.json()``, are sources of their own)."""
_NOT_INPUTS: Final = frozenset({"self", "cls", "run_manager", "callbacks"})
MCP_SERVERS: Final = ("FastMCP()",)
MCP_DECORATORS: Final = frozenset({"tool", "resource", "prompt"})


def request_source(
    ctx: ModuleContext, resolver: Resolver, node: ast.expr, web: bool = False
) -> Taint | None:
    """The request data ``node`` reads, if any (``request.args``, ``request.get_json()``).

    ``web``: the module imports a web framework, so a ``request`` parameter is surely
    the framework's request object (high confidence; medium otherwise).
    """
    target = node.func if isinstance(node, ast.Call) else node
    if not isinstance(target, ast.Attribute):
        return None
    if target.attr in FLASK_REQUEST_PARTS:
        for name in resolver.names(target):
            if name.startswith(("flask.request.", "quart.request.")):
                return Taint(node, f"request.{target.attr}")
    base = target.value
    if (
        target.attr in REQUEST_PARTS
        and isinstance(base, ast.Name)
        and base.id in {"request", "req"}
    ):
        bindings = ctx.bindings(base) or []
        if any(getattr(b, "kind", "") == "parameter" for b in bindings):
            confidence = Confidence.HIGH if web else Confidence.MEDIUM
            return Taint(node, f"request.{target.attr}", confidence)
    return None


def decorator_owner(resolver: Resolver, decorator: ast.expr) -> tuple[str, frozenset[str]] | None:
    """``("get", names of app)`` for ``@app.get("/x")`` or ``@mcp.tool`` (else ``None``)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not isinstance(target, ast.Attribute):
        return None
    return target.attr, resolver.names(target.value)


def route_parameters(resolver: Resolver, func: Function, web: bool) -> dict[str, TaintSet]:
    """The request parameters of ``func`` when it is a web route handler.

    ``web``: the module imports a web framework, so ``@router.get("/path")`` on an
    object imported from elsewhere is taken as a route (medium confidence).
    """
    for decorator in func.decorator_list:
        owner = decorator_owner(resolver, decorator)
        if owner is None or owner[0] not in ROUTE_METHODS:
            continue
        names = owner[1]
        if any(n.startswith(WEB_APPS) or n.endswith(("FastAPI()", "APIRouter()")) for n in names):
            return parameter_seeds(func, "request parameter", Confidence.HIGH)
        if web and _route_path(decorator) and not any(n.endswith("()") for n in names):
            return parameter_seeds(func, "request parameter", Confidence.MEDIUM)
    return {}


def _route_path(decorator: ast.expr) -> bool:
    """``@x.get("/items/{id}")``: the first argument is a URL path."""
    if not isinstance(decorator, ast.Call) or not decorator.args:
        return False
    first = decorator.args[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("/")


def mcp_handler(resolver: Resolver, func: Function, imports_mcp: bool) -> Confidence | None:
    """How sure we are that ``func`` is an MCP tool/resource/prompt handler."""
    for decorator in func.decorator_list:
        owner = decorator_owner(resolver, decorator)
        if owner is None:
            continue
        method, names = owner
        if method in MCP_DECORATORS and any(n.endswith(MCP_SERVERS) for n in names):
            return Confidence.HIGH
        if method == "call_tool" and any(n.startswith("mcp.") for n in names):
            return Confidence.HIGH
        unknown = not any(n.endswith("()") for n in names)  # imported, not constructed here
        if imports_mcp and method in MCP_DECORATORS | {"call_tool"} and unknown:
            return Confidence.MEDIUM
    return None


def registered_tools(ctx: ModuleContext, resolver: Resolver) -> Iterator[Function]:
    """Functions registered with ``mcp.add_tool(fn)`` on a ``FastMCP`` server."""
    for call in ctx.calls():
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "add_tool" and call.args):
            continue
        target = call.args[0]
        if not isinstance(target, ast.Name):
            continue
        if not any(n.endswith(MCP_SERVERS) for n in resolver.names(func.value)):
            continue
        for binding in ctx.bindings(target) or []:
            node = getattr(binding, "node", None)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield node


def mcp_parameters(
    resolver: Resolver, func: Function, confidence: Confidence
) -> dict[str, TaintSet]:
    """The attacker-influenced parameters of an MCP handler."""
    low_level = any(
        (owner := decorator_owner(resolver, d)) is not None and owner[0] == "call_tool"
        for d in func.decorator_list
    )
    if low_level:
        params = parameters(func)
        chosen = [p for p in params if p.arg == "arguments"] or params[1:2]
        return {
            p.arg: frozenset({Taint(p, f"MCP tool argument '{p.arg}'", confidence)}) for p in chosen
        }
    return parameter_seeds(func, "MCP tool parameter", confidence)


def parameter_seeds(func: Function, what: str, confidence: Confidence) -> dict[str, TaintSet]:
    """A taint ``"<what> '<name>'"`` for each parameter that can carry text.

    ``self``/``cls``, parameters typed as numbers, booleans or ``Literal``, and
    framework-injected ones (``Depends(...)``, ``ctx: Context``, ``RunnableConfig``)
    are skipped.
    """
    seeds: dict[str, TaintSet] = {}
    defaults = _defaults(func)
    for param in parameters(func):
        if param.arg in _NOT_INPUTS or _safe_annotation(param.annotation):
            continue
        default = defaults.get(param.arg)
        if _is_injected(default) or _is_injected(param.annotation):
            continue
        seeds[param.arg] = frozenset({Taint(param, f"{what} '{param.arg}'", confidence)})
    return seeds


def _defaults(func: Function) -> dict[str, ast.expr]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    with_default = positional[len(positional) - len(args.defaults) :]
    pairs = dict(zip([a.arg for a in with_default], args.defaults, strict=True))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if default is not None:
            pairs[arg.arg] = default
    return pairs


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Call | ast.Subscript):
        return _last_name(expr.func if isinstance(expr, ast.Call) else expr.value)
    return ""


def _is_injected(expr: ast.expr | None) -> bool:
    """``Depends(get_db)``, ``Annotated[Session, Depends(...)]``, ``ctx: Context``."""
    if expr is None:
        return False
    return any(
        isinstance(node, ast.Name | ast.Attribute) and _last_name(node) in INJECTED
        for node in ast.walk(expr)
    )


def _safe_annotation(annotation: ast.expr | None) -> bool:
    """``int``, ``float``, ``bool``, ``Literal[...]``, ``Optional[int]``, ``Annotated[int, x]``."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.Subscript):
        head = _last_name(annotation.value)
        if head == "Literal":
            return True
        if head in {"Optional", "Annotated"}:
            inner = annotation.slice
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return _safe_annotation(first)
        return False
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = (annotation.left, annotation.right)
        return all(_safe_annotation(s) or _is_none(s) for s in sides)
    return _last_name(annotation) in SAFE_TYPES


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
