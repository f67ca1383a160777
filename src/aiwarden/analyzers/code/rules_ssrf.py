"""AIW-PY019: web loaders and HTTP tools that fetch URLs chosen by users or by the model.

Reported:

* LangChain web loaders (``RecursiveUrlLoader``, ``WebBaseLoader``, ``AsyncHtmlLoader``,
  ``SeleniumURLLoader``, ``PlaywrightURLLoader``, ...) and LlamaIndex web readers
  (``SimpleWebPageReader().load_data(urls)``, ...) given a URL that is not fixed in the
  source, and ``RecursiveUrlLoader(prevent_outside=False)`` even on a fixed URL;
* LangChain requests tools and toolkits (``RequestsGetTool``, ``RequestsToolkit``,
  ``load_tools(["requests_all"])``), which let the model fetch any URL;
* ``APIChain`` without ``limit_to_domains`` (or with ``None``).

A URL is *fixed* when it is a constant, a list of constants, a loop over constants, or
is built from a constant prefix that already names the host (``f"https://docs.example.
com/{page}"``); ``urljoin(BASE, path)`` is not fixed because an absolute ``path``
replaces the host. A call that passes an allowlist (``limit_to_domains``,
``allowed_domains``, ``allowed_hosts``, ``allowlist``, ``url_allowlist``, ...) with a
value that is not ``None`` or empty is not reported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code._bounds import is_none
from aiwarden.analyzers.code._llm_calls import attribute_chain
from aiwarden.analyzers.code._rulekit import regex
from aiwarden.analyzers.code._rules_meta import (
    SSRF_LOADER,
)
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

__all__ = ["SSRF_LOADER", "SsrfChecker"]


# class name -> (keyword, position) of the URL argument of the constructor
_LOADERS: Final[dict[str, tuple[tuple[str, int | None], ...]]] = {
    "RecursiveUrlLoader": (("url", 0),),
    "WebBaseLoader": (("web_path", 0), ("web_paths", None)),
    "AsyncHtmlLoader": (("web_path", 0),),
    "AsyncChromiumLoader": (("urls", 0),),
    "SeleniumURLLoader": (("urls", 0),),
    "PlaywrightURLLoader": (("urls", 0),),
    "UnstructuredURLLoader": (("urls", 0),),
    "NewsURLLoader": (("urls", 0),),
    "SitemapLoader": (("web_path", 0),),
    "ChromiumLoader": (("urls", 0),),
}
# LlamaIndex reader class -> URL argument of ``load_data``
_READERS: Final[dict[str, tuple[tuple[str, int | None], ...]]] = {
    "SimpleWebPageReader": (("urls", 0),),
    "BeautifulSoupWebReader": (("urls", 0),),
    "TrafilaturaWebReader": (("urls", 0),),
    "AsyncWebPageReader": (("urls", 0),),
    "RssReader": (("urls", 0),),
    "WholeSiteReader": (("base_url", 0),),
    "UnstructuredURLLoader": (("urls", 0),),
    "MainContentExtractorReader": (("urls", 0),),
    "NewsArticleReader": (("urls", 0),),
}
_TOOLS: Final = frozenset(
    {"RequestsGetTool", "RequestsPostTool", "RequestsPatchTool", "RequestsPutTool",
     "RequestsDeleteTool", "RequestsToolkit"}
)  # fmt: skip
_ALLOWLISTS: Final = frozenset(
    {"limit_to_domains", "allowed_domains", "allowed_hosts", "allowlist", "allow_list",
     "allowed_urls", "url_allowlist", "domain_allowlist", "allowed_url_prefixes",
     "allowed_origins"}
)  # fmt: skip
_KNOWN_ROOTS: Final = ("langchain", "llama_index", "llama_hub")
_FIXED_HOST: Final = r"(?i)^(?:https?|wss?|ftp)://[^/?#{}\s]+[/?#]"
_READ_METHODS: Final = frozenset({"load_data", "aload_data", "lazy_load_data"})
_MAX_DEPTH: Final = 8


class SsrfChecker(Checker):
    """Reports web loaders and HTTP tools that fetch URLs chosen at run time."""

    rules: ClassVar[tuple[Rule, ...]] = (SSRF_LOADER,)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per SSRF-prone loader, reader or tool."""
        return self._issues(ctx)

    @staticmethod
    def _issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
        for call in ctx.calls():
            if _has_allowlist(ctx, call):
                continue
            found = _problem(ctx, call)
            if found is not None:
                message, confidence = found
                yield ctx.issue(SSRF_LOADER, call, message, confidence=confidence)


def _class_of(ctx: ModuleContext, call: ast.Call) -> tuple[str, bool] | None:
    """The class (or function) name ``call`` makes, and whether it resolved to a known package."""
    names = sorted(ctx.call_names(call), key=lambda n: not n.startswith(_KNOWN_ROOTS))
    if names:
        return names[0].rsplit(".", 1)[-1], names[0].startswith(_KNOWN_ROOTS)
    chain = attribute_chain(call.func)
    return (chain[-1], False) if chain and chain[-1] != "?" else None


def _problem(ctx: ModuleContext, call: ast.Call) -> tuple[str, Confidence] | None:
    found = _class_of(ctx, call)
    if found is None:
        return None
    name, known = found
    level = Confidence.HIGH if known else Confidence.MEDIUM
    if name in _LOADERS:
        return _url_problem(ctx, call, name, _LOADERS[name], level)
    if name in _TOOLS:
        if ctx.is_false(ModuleContext.argument(call, "allow_dangerous_requests")):
            return None  # LangChain refuses to build the tool without the opt-in
        return f"`{name}` lets the model send HTTP requests to any URL it chooses.", level
    if name == "load_tools":
        return _load_tools_problem(ctx, call, level)
    if name in {"APIChain", "from_llm_and_api_docs"}:
        return _api_chain_problem(ctx, call, level)
    if name in _READ_METHODS:
        return _reader_problem(ctx, call)
    return None


def _url_problem(
    ctx: ModuleContext,
    call: ast.Call,
    name: str,
    params: tuple[tuple[str, int | None], ...],
    level: Confidence,
) -> tuple[str, Confidence] | None:
    for keyword, position in params:
        url = ModuleContext.argument(call, keyword, position)
        if url is not None and not _is_fixed(ctx, url, 0) and not _host_checked(ctx, call, url):
            confidence = Confidence.HIGH if _from_parameter(ctx, url) else level
            return (
                f"`{name}` fetches `{ctx.normalised(url)[:60]}`, a URL chosen at run time, "
                "with no host allowlist.",
                confidence,
            )
    prevent = ModuleContext.argument(call, "prevent_outside")
    if name == "RecursiveUrlLoader" and prevent is not None and ctx.is_false(prevent):
        return (
            "`RecursiveUrlLoader(prevent_outside=False)` follows links to any host, "
            "including internal addresses a crawled page links to.",
            Confidence.MEDIUM,
        )
    return None


def _host_checked(ctx: ModuleContext, call: ast.Call, url: ast.expr) -> bool:
    """True when the enclosing function tests the URL against an allowlist first.

    The shape is an ``if`` whose test is a membership (``in``/``not in``) or a
    ``startswith`` involving one of the URL's variables, and whose body leaves the
    function (``raise``/``return``/``abort``) - the usual host allowlist guard.
    """
    function = ctx.enclosing_function(call)
    names = {n.id for n in ast.walk(url) if isinstance(n, ast.Name)}
    if function is None or not names:
        return False
    for node in ast.walk(function):
        if not isinstance(node, ast.If) or node.lineno >= call.lineno:
            continue
        tested = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
        membership = any(
            isinstance(op, ast.In | ast.NotIn)
            for cmp in ast.walk(node.test)
            if isinstance(cmp, ast.Compare)
            for op in cmp.ops
        )
        prefix = any(
            isinstance(c, ast.Call) and attribute_chain(c.func)[-1] == "startswith"
            for c in ast.walk(node.test)
        )
        leaves = any(isinstance(s, ast.Raise | ast.Return) for s in node.body) or any(
            isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
            and attribute_chain(s.value.func)[-1] == "abort"
            for s in node.body
        )  # fmt: skip
        if tested & names and (membership or prefix) and leaves:
            return True
    return False


def _reader_problem(ctx: ModuleContext, call: ast.Call) -> tuple[str, Confidence] | None:
    for qualname in ctx.call_names(call):
        match = re.search(r"(\w+)\(\)\.\w+$", qualname)
        if match is None or match.group(1) not in _READERS:
            continue
        if not qualname.startswith(_KNOWN_ROOTS) and "." in qualname.split("(")[0]:
            continue
        known = Confidence.HIGH if qualname.startswith(_KNOWN_ROOTS) else Confidence.MEDIUM
        return _url_problem(ctx, call, match.group(1), _READERS[match.group(1)], known)
    return None


def _load_tools_problem(
    ctx: ModuleContext, call: ast.Call, level: Confidence
) -> tuple[str, Confidence] | None:
    names = ctx.constant(ModuleContext.argument(call, "tool_names", 0))
    if not isinstance(names, tuple | list):
        return None
    chosen = [n for n in names if isinstance(n, str) and n.startswith("requests")]
    if not chosen:
        return None
    return (
        f"`load_tools` gives the agent `{chosen[0]}`, which sends HTTP requests to any URL "
        "the model chooses.",
        level,
    )


def _api_chain_problem(
    ctx: ModuleContext, call: ast.Call, level: Confidence
) -> tuple[str, Confidence] | None:
    domains = ModuleContext.argument(call, "limit_to_domains")
    if ModuleContext.has_unpacked_kwargs(call):
        return None
    if domains is None:
        return (
            "`APIChain` is built without `limit_to_domains`: the model picks the URLs it calls.",
            Confidence.MEDIUM,
        )
    if is_none(ctx, domains):
        return "`APIChain(limit_to_domains=None)` lets the model call any URL.", level
    return None


def _has_allowlist(ctx: ModuleContext, call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg in _ALLOWLISTS and keyword.arg != "limit_to_domains":
            value = ctx.constant(keyword.value)
            if value is UNKNOWN or value:
                return True
    domains = ModuleContext.argument(call, "limit_to_domains")
    if domains is None:
        return False
    value = ctx.constant(domains)
    return value is UNKNOWN or bool(value)


def _is_fixed(ctx: ModuleContext, expr: ast.expr, depth: int) -> bool:
    """True when the URL (or URLs) in ``expr`` cannot change its host at run time."""
    if depth > _MAX_DEPTH:
        return False
    value = ctx.constant(expr)
    if value is not UNKNOWN:
        return True
    if isinstance(expr, ast.List | ast.Tuple | ast.Set):
        return all(_is_fixed(ctx, e, depth + 1) for e in expr.elts)
    prefix = _leading_text(ctx, expr)
    if prefix is not None and regex(_FIXED_HOST).match(prefix):
        return True
    if isinstance(expr, ast.Name):
        return _name_is_fixed(ctx, expr, depth)
    return False


def _leading_text(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """The constant text a string-building expression starts with."""
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = ctx.constant(expr.values[0])
        return first if isinstance(first, str) else None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        left = ctx.constant(expr.left)
        return left if isinstance(left, str) else _leading_text(ctx, expr.left)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
    ):
        base = ctx.constant(expr.func.value)
        return base if isinstance(base, str) else None
    return None


def _name_is_fixed(ctx: ModuleContext, name: ast.Name, depth: int) -> bool:
    bindings = ctx.bindings(name)
    if not bindings:
        return False
    for binding in bindings:
        if isinstance(binding, ast.expr):
            fixed = _is_fixed(ctx, binding, depth + 1)
        else:
            loop = isinstance(binding, Opaque) and binding.kind == "loop"
            fixed = loop and _loop_is_fixed(ctx, name, depth)
        if not fixed:
            return False
    return True


def _loop_is_fixed(ctx: ModuleContext, name: ast.Name, depth: int) -> bool:
    """True when every loop binding ``name`` iterates over fixed URLs."""
    scope = ctx.scope_of(name)
    loops: list[ast.For | ast.AsyncFor | ast.comprehension] = [
        *ctx.nodes(ast.For),
        *ctx.nodes(ast.AsyncFor),
        *ctx.nodes(ast.comprehension),
    ]
    found = False
    for loop in loops:
        target = loop.target
        if isinstance(target, ast.Name) and target.id == name.id:
            if ctx.scope_of(target) is not scope and not isinstance(loop, ast.comprehension):
                continue
            if not _is_fixed(ctx, loop.iter, depth + 1):
                return False
            found = True
    return found


def _from_parameter(ctx: ModuleContext, expr: ast.expr) -> bool:
    """True when ``expr`` reads a function parameter (a request handler's input, say)."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Name):
            bindings = ctx.bindings(node) or []
            if any(isinstance(b, Opaque) and b.kind == "parameter" for b in bindings):
                return True
    return False
