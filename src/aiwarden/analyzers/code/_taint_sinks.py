"""Finding the sinks of a call and the taint of its dangerous arguments.

:class:`SinkMatcher` answers, for one call under the current taint environment, which
sinks it feeds (code execution, shell, SQL, HTML, file path, outbound URL) and with
which taints, already filtered by the sanitisers that protect each kind. Precision
rules: only the query string of ``cursor.execute`` counts (parameters passed
separately are safe); ``subprocess`` without ``shell=True`` counts only a tainted
program (``argv[0]``), a whole tainted command, or the ``-c`` argument of a shell or
interpreter; a URL whose scheme and host are literal (``f"https://api.x.com/{q}"``)
is not an SSRF sink.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._sink_table import (
    DB_ROOTS,
    HTML_FLAG_METHODS,
    INLINE_FLAGS,
    INTERPRETERS,
    PATH_METHODS,
    PROCESS_CALLS,
    SINKS,
    SQL_KEYWORDS,
    SQL_METHODS,
    Entry,
)
from aiwarden.analyzers.code._taint import EMPTY, Evaluator, Sink, SinkKind, TaintSet, usable
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence

Found = Iterator[tuple[Sink, TaintSet]]
_FIXED_HOST: Final = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/{}%]+/|/(?!/))")
_CONTAINMENT: Final = frozenset({"is_relative_to", "relative_to", "commonpath", "commonprefix"})
_NORMALISERS: Final = frozenset({"realpath", "abspath", "resolve", "normpath"})


class SinkMatcher:
    """The sinks of calls in one module, restricted to ``kinds``."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver, kinds: frozenset[SinkKind]) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self.kinds = kinds

    def sinks(self, call: ast.Call, ev: Evaluator) -> Found:
        """Every sink ``call`` feeds, with the usable taints reaching it."""
        names = self.resolver.names(call.func)
        for name in sorted(names):
            entry = SINKS.get(name)
            if entry is not None and entry.kind in self.kinds:
                yield from self._entry(call, entry, ev)
                return
            if name in PROCESS_CALLS and SinkKind.SHELL in self.kinds:
                yield from self._process(call, name, ev)
                return
            if name == "asyncio.create_subprocess_exec" and SinkKind.SHELL in self.kinds:
                yield from self._argv(call.args, name, ev)
                return
        yield from self._methods(call, names, ev)

    # -- table entries ------------------------------------------------------------

    def _entry(self, call: ast.Call, entry: Entry, ev: Evaluator) -> Found:
        taints: TaintSet = EMPTY
        for position, keyword in entry.args:
            expr = self.ctx.argument(call, keyword or "", position)
            if expr is None or (entry.kind is SinkKind.URL and _fixed_host(expr, self.ctx)):
                continue
            taints |= ev.taint_of(expr)
        yield Sink(entry.kind, entry.label), usable(taints, entry.kind)

    # -- processes ----------------------------------------------------------------

    def _process(self, call: ast.Call, name: str, ev: Evaluator) -> Found:
        command = self.ctx.argument(call, "args", 0)
        if command is None:
            return
        shell = self.ctx.argument(call, "shell")
        if shell is not None and not self.ctx.is_false(shell):
            taints = usable(ev.taint_of(command), SinkKind.SHELL)
            yield Sink(SinkKind.SHELL, f"{name}(shell=True)"), taints
            return
        elements = self._literal_argv(command)
        if elements is None:
            taints = usable(ev.taint_of(command), SinkKind.SHELL)
            yield Sink(SinkKind.SHELL, f"{name} (tainted command)"), taints
            return
        yield from self._argv(elements, name, ev)

    def _literal_argv(self, command: ast.expr) -> list[ast.expr] | None:
        if isinstance(command, ast.List | ast.Tuple):
            return list(command.elts)
        if isinstance(command, ast.Name):
            bindings = self.ctx.bindings(command) or []
            if len(bindings) == 1 and isinstance(bindings[0], ast.List | ast.Tuple):
                return list(bindings[0].elts)
        return None

    def _argv(self, elements: list[ast.expr], name: str, ev: Evaluator) -> Found:
        if not elements:
            return
        first = elements[0]
        program = ev.taint_of(first.value if isinstance(first, ast.Starred) else first)
        yield Sink(SinkKind.SHELL, f"{name} (tainted program)"), usable(program, SinkKind.SHELL)
        binary = self.ctx.constant(first)
        if not isinstance(binary, str) or binary.rsplit("/", 1)[-1] not in INTERPRETERS:
            return
        inline: TaintSet = EMPTY
        flagged = False
        for element in elements[1:]:
            if flagged:
                inline |= ev.taint_of(element)
            flagged = flagged or self.ctx.constant(element) in INLINE_FLAGS
        label = f"{name} ({binary.rsplit('/', 1)[-1]} -c)"
        yield Sink(SinkKind.SHELL, label), usable(inline, SinkKind.SHELL)

    # -- methods on receivers -------------------------------------------------------

    def _methods(self, call: ast.Call, names: frozenset[str], ev: Evaluator) -> Found:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        if method in SQL_METHODS and SinkKind.SQL in self.kinds:
            yield from self._sql(call, names, ev)
        elif method in PATH_METHODS and SinkKind.PATH in self.kinds:
            receiver = self.resolver.names(func.value)
            if any(n.startswith(("pathlib.", "anyio.Path", "trio.Path")) for n in receiver):
                yield (
                    Sink(SinkKind.PATH, f"Path.{method}"),
                    usable(ev.taint_of(func.value), SinkKind.PATH),
                )
        elif method in HTML_FLAG_METHODS and SinkKind.HTML in self.kinds:
            flag = self.ctx.argument(call, "unsafe_allow_html")
            if flag is not None and self.ctx.is_true(flag):
                body = self.ctx.argument(call, "body", 0)
                yield (
                    Sink(SinkKind.HTML, f"{method}(unsafe_allow_html=True)"),
                    usable(ev.taint_of(body), SinkKind.HTML),
                )
        elif SinkKind.SQL in self.kinds:
            yield from self._other_sql(call, names, ev)

    def _sql(self, call: ast.Call, names: frozenset[str], ev: Evaluator) -> Found:
        query = None
        for keyword in SQL_KEYWORDS:
            query = query or self.ctx.argument(call, keyword)
        query = query or self.ctx.argument(call, "", 0)
        if query is None or self._is_sql_call(query):
            return
        known = any(n.split(".", 1)[0] in DB_ROOTS for n in names)
        confidence = Confidence.HIGH if known else Confidence.MEDIUM
        assert isinstance(call.func, ast.Attribute)
        sink = Sink(SinkKind.SQL, _method_label(call.func), confidence)
        yield sink, usable(ev.taint_of(query), SinkKind.SQL)

    def _is_sql_call(self, expr: ast.expr) -> bool:
        """``execute(text(q))``: the inner ``text()`` is the reported sink."""
        if not isinstance(expr, ast.Call):
            return False
        return any(
            (entry := SINKS.get(n)) is not None and entry.kind is SinkKind.SQL
            for n in self.resolver.names(expr.func)
        )

    def _other_sql(self, call: ast.Call, names: frozenset[str], ev: Evaluator) -> Found:
        assert isinstance(call.func, ast.Attribute)
        method = call.func.attr
        first = self.ctx.argument(call, "", 0)
        if first is None:
            return
        chain = ast.unparse(call.func.value) if method in {"raw", "sql"} else ""
        django_raw = method == "raw" and chain.endswith("objects")
        spark_sql = method == "sql" and (
            "spark" in chain.lower() or any(n.startswith(("pyspark", "duckdb")) for n in names)
        )
        langchain_db = method in {"run", "run_no_throw"} and any(
            n.endswith(("SQLDatabase().run", "SQLDatabase().run_no_throw")) for n in names
        )
        asyncpg = method in {"fetch", "fetchrow", "fetchval"} and any(
            n.startswith("asyncpg") for n in names
        )
        if django_raw or spark_sql or langchain_db or asyncpg:
            label = _method_label(call.func)
            yield Sink(SinkKind.SQL, label), usable(ev.taint_of(first), SinkKind.SQL)


def _method_label(func: ast.Attribute) -> str:
    """``cur.execute``, ``db.execute`` (for ``self.db.execute``), ``cursor().execute``."""
    receiver = func.value
    if isinstance(receiver, ast.Call):
        receiver = receiver.func
        suffix = "()"
    else:
        suffix = ""
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return f"{name}{suffix}.{func.attr}" if name else func.attr


def _fixed_host(expr: ast.expr, ctx: ModuleContext) -> bool:
    """True when the URL's scheme and host are literal text (or it is a relative path)."""
    prefix: object = None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        prefix = first.value if isinstance(first, ast.Constant) else None
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        prefix = ctx.constant(expr.left)
    elif (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
    ):
        prefix = ctx.constant(expr.func.value)
    return isinstance(prefix, str) and _FIXED_HOST.match(prefix) is not None


def contains_paths(func: ast.AST | None) -> bool:
    """True when ``func`` checks that a path stays inside a directory.

    ``Path.resolve()`` + ``is_relative_to``/``relative_to``, ``os.path.commonpath``, or
    a ``startswith`` test next to ``realpath``/``abspath``/``resolve``.
    """
    if func is None:
        return False
    called: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            target = node.func
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            called.add(name)
    return bool(called & _CONTAINMENT) or ("startswith" in called and bool(called & _NORMALISERS))
