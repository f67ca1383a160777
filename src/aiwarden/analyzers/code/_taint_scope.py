"""Running the taint engine over the scopes of a module, with summaries of local helpers.

:func:`analyse` runs one :class:`~._taint.Spec` over the module body and every
function, and returns the :class:`~._taint.Hit` objects whose taints come from real
sources. Calls of functions defined in the same module (``ask_llm(prompt)``,
``self.run_sql(query)``) use a :class:`Summary`: which parameters flow to the return
value, which real sources it returns, and which parameters reach a sink inside it.
Summaries are computed on demand, at most :data:`MAX_NESTING` deep, never recursively.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from typing import Final, NamedTuple

from aiwarden.analyzers.code._receivers import Resolver, enclosing_class
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code._taint import (
    EMPTY,
    Budget,
    BudgetExceeded,
    Evaluator,
    Hit,
    SinkKind,
    Spec,
    Taint,
    TaintSet,
    usable,
)
from aiwarden.analyzers.code._taint_flow import Walker
from aiwarden.analyzers.code.context import ModuleContext

SCOPE_STEPS: Final = 300_000
"""Most evaluation steps for one scope (a function or the module body)."""
SUMMARY_STEPS: Final = 60_000
"""Most evaluation steps for summarising one helper function."""
MAX_NESTING: Final = 4
"""Deepest chain of helper summaries computed while analysing one call."""

Function = ast.FunctionDef | ast.AsyncFunctionDef
ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
Seeds = Callable[[Function], dict[str, TaintSet]]


class Summary(NamedTuple):
    """What a local helper does with its parameters and returns."""

    returns: TaintSet
    flows: dict[str, frozenset[SinkKind]]
    """Parameters that may be returned, with the sink kinds cleared on every path."""
    sinks: tuple[tuple[str, Hit], ...]


class Analysis:
    """The hits of one spec over a module, and the scopes too large to analyse."""

    __slots__ = ("hits", "incomplete")

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.incomplete: list[ScopeNode] = []


class ScopeRun(NamedTuple):
    """The hits and returned taints of one run over a scope."""

    hits: list[Hit]
    returns: TaintSet


def parameters(func: Function | ast.Lambda) -> list[ast.arg]:
    """Every parameter of ``func`` in signature order."""
    args = func.args
    out = [*args.posonlyargs, *args.args]
    if args.vararg is not None:
        out.append(args.vararg)
    out.extend(args.kwonlyargs)
    if args.kwarg is not None:
        out.append(args.kwarg)
    return out


def run_scope(
    ctx: ModuleContext,
    spec: Spec,
    scope: ScopeNode,
    *,
    seed: dict[str, TaintSet],
    summaries: Summaries | None,
    resolver: Resolver,
    budget: Budget,
) -> ScopeRun:
    """Walk ``scope``'s body once with ``seed`` as the initial environment."""
    ev = Evaluator(ctx, spec, resolver, budget, summaries, dict(seed))
    walker = Walker(ev)
    walker.run(scope.body)
    return ScopeRun(ev.hits, frozenset(walker.returns))


class Summaries:
    """Summaries of the module's functions under one spec, computed on first use."""

    def __init__(self, ctx: ModuleContext, spec: Spec, resolver: Resolver) -> None:
        self.ctx = ctx
        self.spec = spec
        self.resolver = resolver
        self._done: dict[Function, Summary | None] = {}
        self._active: list[Function] = []

    def apply(
        self, call: ast.Call, args: list[TaintSet], keywords: dict[str, TaintSet], ev: Evaluator
    ) -> TaintSet | None:
        """The taints of ``call``'s result when it calls a summarised local function."""
        func = self.target(call)
        summary = self.summary(func) if func is not None else None
        if func is None or summary is None:
            return None
        bound = bind_arguments(func, call, args, keywords)
        via = (func.name, call.lineno)
        result: set[Taint] = {t.returned_by(via) for t in summary.returns}
        for name, cleared in summary.flows.items():
            taints = bound.get(name, EMPTY)
            result |= {t.sanitised(cleared) for t in taints} if cleared else taints
        for name, hit in summary.sinks:
            reaching = usable(bound.get(name, EMPTY), hit.sink.kind)
            if reaching and ev.live:
                ev.hits.append(Hit(hit.sink, hit.node, reaching, (via, *hit.via)))
        return frozenset(result)

    def target(self, call: ast.Call) -> Function | None:
        """The local function ``call`` calls, when it is known for sure."""
        func = call.func
        if isinstance(func, ast.Name):
            bindings = self.ctx.bindings(func) or []
            defs = {b.node for b in bindings if isinstance(b, Opaque) and b.kind == "def"}
            if len(defs) == 1 and len(bindings) == 1:
                node = defs.pop()
                return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None
            return None
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in {"self", "cls"}
        ):
            owner = enclosing_class(self.ctx, call)
            return _method(owner, func.attr) if owner is not None else None
        return None

    def summary(self, func: Function) -> Summary | None:
        """The summary of ``func`` (``None`` while it is being computed or too deep)."""
        if func in self._done:
            return self._done[func]
        if func in self._active or len(self._active) >= MAX_NESTING:
            return None
        self._active.append(func)
        try:
            seed = {
                a.arg: frozenset({Taint(a, f"parameter {a.arg}", param=a.arg)})
                for a in parameters(func)
            }
            run = run_scope(
                self.ctx,
                self.spec,
                func,
                seed=seed,
                summaries=self,
                resolver=self.resolver,
                budget=Budget(SUMMARY_STEPS),
            )
            summary: Summary | None = _summarise(run)
        except (BudgetExceeded, RecursionError):
            summary = None
        finally:
            self._active.pop()
        self._done[func] = summary
        return summary


def _summarise(run: ScopeRun) -> Summary:
    sinks: list[tuple[str, Hit]] = []
    for hit in run.hits:
        for param in sorted({t.param for t in hit.taints if t.param is not None}):
            sinks.append((param, hit))
    return Summary(
        returns=frozenset(t for t in run.returns if t.param is None),
        flows=_flows(run.returns),
        sinks=tuple(sinks),
    )


def _flows(returns: TaintSet) -> dict[str, frozenset[SinkKind]]:
    """Each returned parameter and the kinds it is sanitised for on every return path."""
    flows: dict[str, frozenset[SinkKind]] = {}
    for taint in returns:
        if taint.param is not None:
            seen = flows.get(taint.param)
            flows[taint.param] = taint.cleared if seen is None else seen & taint.cleared
    return flows


def _method(owner: ast.ClassDef, name: str) -> Function | None:
    found: Function | None = None
    for statement in owner.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and statement.name == name:
            found = statement
    return found


def bind_arguments(
    func: Function, call: ast.Call, args: list[TaintSet], keywords: dict[str, TaintSet]
) -> dict[str, TaintSet]:
    """The taints each parameter of ``func`` receives from ``call``."""
    positional = [a.arg for a in [*func.args.posonlyargs, *func.args.args]]
    if isinstance(call.func, ast.Attribute) and positional and not _is_static(func):
        positional = positional[1:]
    names = {a.arg for a in parameters(func)}
    bound: dict[str, TaintSet] = {}

    def add(name: str, taints: TaintSet) -> None:
        bound[name] = bound.get(name, EMPTY) | taints

    extra = func.args.vararg.arg if func.args.vararg is not None else None
    spread = _bind_positional(call, args, positional, extra, add)
    for name, taints in keywords.items():
        if name in names:
            add(name, taints)
        elif name == "**":
            spread |= taints
        elif func.args.kwarg is not None:
            add(func.args.kwarg.arg, taints)
    if spread:
        for name in names:
            add(name, spread)
    return bound


def _bind_positional(
    call: ast.Call,
    args: list[TaintSet],
    positional: list[str],
    extra: str | None,
    add: Callable[[str, TaintSet], None],
) -> TaintSet:
    """Bind positional arguments; returns the taints of those after a ``*spread``."""
    spread: TaintSet = EMPTY
    starred = False
    for index, (expr, taints) in enumerate(zip(call.args, args, strict=False)):
        starred = starred or isinstance(expr, ast.Starred)
        if starred:
            spread |= taints
        elif index < len(positional):
            add(positional[index], taints)
        elif extra is not None:
            add(extra, taints)
    return spread


def _is_static(func: Function) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


def analyse(
    ctx: ModuleContext,
    spec: Spec,
    scopes: Iterable[ScopeNode],
    seeds: Seeds | None = None,
    resolver: Resolver | None = None,
) -> Analysis:
    """Run ``spec`` over ``scopes``; hits carry only real (non-parameter) taints.

    Functions start with the taints the module body left in the globals they read.
    Methods run a second time when another method of their class stored a tainted
    value in ``self.<name>``. Each hit's ``scope`` is the scope whose analysis found it
    (the caller, for a sink inside a helper).
    """
    driver = _Driver(ctx, spec, resolver or Resolver(ctx), seeds)
    ordered = list(scopes)
    for scope in ordered:
        driver.run(scope, {})
    for scope in ordered:
        extra = driver.field_seed(scope)
        if extra:
            driver.run(scope, extra)
    driver.analysis.hits = list(_merge(driver.analysis.hits))
    return driver.analysis


class _Driver:
    """Runs scopes, carrying module globals and ``self`` fields between them."""

    def __init__(
        self, ctx: ModuleContext, spec: Spec, resolver: Resolver, seeds: Seeds | None
    ) -> None:
        self.ctx = ctx
        self.spec = spec
        self.resolver = resolver
        self.seeds = seeds
        self.summaries = Summaries(ctx, spec, resolver)
        self.analysis = Analysis()
        self.module_env: dict[str, TaintSet] = {}
        self.fields: dict[ast.ClassDef, dict[str, TaintSet]] = {}

    def run(self, scope: ScopeNode, extra: dict[str, TaintSet]) -> None:
        """Analyse ``scope`` once, seeded with globals, parameters and ``extra``."""
        seed = {**self._globals(scope), **extra}
        if self.seeds is not None and not isinstance(scope, ast.Module):
            seed.update(self.seeds(scope))
        ev = Evaluator(
            self.ctx, self.spec, self.resolver, Budget(SCOPE_STEPS), self.summaries, seed
        )
        ev.fields = {}
        try:
            Walker(ev).run(scope.body)
        except (BudgetExceeded, RecursionError):
            if scope not in self.analysis.incomplete:
                self.analysis.incomplete.append(scope)
            return
        self.analysis.hits.extend(hit._replace(scope=scope) for hit in _real(ev.hits))
        if isinstance(scope, ast.Module):
            self.module_env = dict(ev.env)
        owner = enclosing_class(self.ctx, scope.body[0]) if scope.body else None
        if owner is not None and ev.fields and not extra:
            table = self.fields.setdefault(owner, {})
            for key, taints in ev.fields.items():
                table[key] = table.get(key, EMPTY) | taints

    def field_seed(self, scope: ScopeNode) -> dict[str, TaintSet]:
        """The tainted ``self.<name>`` fields of the class ``scope`` is a method of."""
        if isinstance(scope, ast.Module) or not scope.body:
            return {}
        owner = enclosing_class(self.ctx, scope.body[0])
        return dict(self.fields.get(owner, {})) if owner is not None else {}

    def _globals(self, scope: ScopeNode) -> dict[str, TaintSet]:
        if isinstance(scope, ast.Module) or not self.module_env or not scope.body:
            return {}
        own = self.ctx.scope_of(scope.body[0])
        local = set(own.bindings) - own.globals if own.node is scope else set()
        return {k: v for k, v in self.module_env.items() if k.split(".", 1)[0] not in local}


def _real(hits: Iterable[Hit]) -> Iterator[Hit]:
    for hit in hits:
        taints = frozenset(t for t in hit.taints if t.param is None)
        if taints:
            yield hit._replace(taints=taints)


def _merge(hits: Iterable[Hit]) -> Iterator[Hit]:
    """One hit per sink node and sink, with the union of the taints that reach it."""
    merged: dict[tuple[int, str], Hit] = {}
    for hit in hits:
        key = (id(hit.node), hit.sink.name)
        seen = merged.get(key)
        merged[key] = hit if seen is None else seen._replace(taints=seen.taints | hit.taints)
    yield from merged.values()


def all_scopes(ctx: ModuleContext) -> list[ScopeNode]:
    """The module body and every function, in source order."""
    return [ctx.tree, *sorted(ctx.functions(), key=lambda f: (f.lineno, f.col_offset))]
