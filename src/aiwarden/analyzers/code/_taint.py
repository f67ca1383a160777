"""A small intra-procedural taint engine over the Python AST: values and expressions.

A :class:`Taint` (:mod:`._taint_types`, re-exported here) says that a value derives
from a *source* (an LLM reply, request data, an MCP tool parameter). :class:`Evaluator`
computes which taints an expression carries
given the taints of the local names in its :attr:`~Evaluator.env`, and asks a
:class:`Spec` at every call, dict and tuple whether it is a *sink* for them.
Statements (assignment, branches, loops) are walked by :mod:`._taint_flow`; one scope
at a time (with summaries of local helpers, module globals and ``self`` fields) is run
by :mod:`._taint_scope`. Rules supply a :class:`Spec`: sources in
:mod:`._llm_sources` and :mod:`._input_sources`, sinks in :mod:`._taint_sinks`
(table in :mod:`._sink_table`) and :mod:`._prompt_sinks`.

Propagation is deliberately generous (attributes, subscripts, string building, method
calls, calls of unknown functions), narrowed by sanitisers (``int(x)``,
``shlex.quote(x)``...) listed in :mod:`._taint_calls`. Work is bounded by a
:class:`Budget`; expressions nested deeper than :data:`MAX_DEPTH` are flattened.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final, Protocol

from aiwarden.analyzers.code import _taint_calls as calls
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint_types import (
    EMPTY,
    Budget,
    BudgetExceeded,
    Hit,
    Sink,
    SinkKind,
    Taint,
    TaintSet,
    usable,
)
from aiwarden.analyzers.code.context import ModuleContext

if TYPE_CHECKING:
    from aiwarden.analyzers.code._taint_scope import Summaries

MAX_DEPTH: Final = 120
"""Deepest expression evaluated recursively; deeper ones are flattened (every name and source
inside counts, sanitisers and sinks inside are ignored)."""
MAX_KEY_PARTS: Final = 4
"""Longest attribute chain tracked as a variable of its own (``self.a.b.c``)."""

__all__ = [
    "EMPTY",
    "Budget",
    "BudgetExceeded",
    "Evaluator",
    "Hit",
    "Sink",
    "SinkKind",
    "Spec",
    "Taint",
    "TaintSet",
    "key_of",
    "root_name",
    "usable",
]


class Spec(Protocol):
    """What one rule family considers a source and a sink."""

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """The taint that ``node`` itself introduces, if it is a source."""

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The sinks ``node`` (a call, dict or tuple) feeds, with the taints reaching each."""


def key_of(expr: ast.expr) -> str | None:
    """The variable name tracked for ``expr``: ``x`` or ``self.client`` (else ``None``)."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute) and len(parts) < MAX_KEY_PARTS:
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return ".".join([expr.id, *reversed(parts)])


def root_name(expr: ast.expr) -> str | None:
    """The name at the bottom of an attribute/subscript chain (``d`` in ``d.a[0]``)."""
    while isinstance(expr, ast.Attribute | ast.Subscript | ast.Starred):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


class Evaluator:
    """The taint of expressions under the current :attr:`env` (local name -> taints).

    ``fields``, when set, collects the real taints stored in ``self.<name>``. A plain
    slotted class (one per scope run, never compared): defining it as a dataclass cost
    a millisecond of every scan that loads the taint engine.
    """

    __slots__ = ("budget", "ctx", "env", "fields", "hits", "live", "resolver", "spec", "summaries")

    def __init__(
        self,
        ctx: ModuleContext,
        spec: Spec,
        resolver: Resolver,
        budget: Budget,
        summaries: Summaries | None = None,
        env: dict[str, TaintSet] | None = None,
    ) -> None:
        self.ctx = ctx
        self.spec = spec
        self.resolver = resolver
        self.budget = budget
        self.summaries = summaries
        self.env: dict[str, TaintSet] = {} if env is None else env
        self.hits: list[Hit] = []
        self.live = True
        self.fields: dict[str, TaintSet] | None = None

    # -- public -------------------------------------------------------------------

    def evaluate(self, expr: ast.expr) -> TaintSet:
        """The taints of ``expr``, recording sinks and walrus bindings on the way."""
        return self._eval(expr, 0)

    def taint_of(self, expr: ast.expr | None) -> TaintSet:
        """The taints of ``expr`` without side effects (for sink checks)."""
        if expr is None:
            return EMPTY
        live, self.live = self.live, False
        try:
            return self._eval(expr, 0)
        finally:
            self.live = live

    def assign(self, target: ast.expr, taints: TaintSet) -> None:
        """Bind ``target`` to a value carrying ``taints`` (strong update for names)."""
        if isinstance(target, ast.Name):
            self._set(target.id, taints)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.assign(element, taints)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, taints)
        elif isinstance(target, ast.Attribute):
            key = key_of(target)
            if key is not None:
                self._set(key, taints)
                self._record_field(key, taints)
            base = root_name(target)
            if base is not None and base not in {"self", "cls"}:
                self.weaken(base, taints)
        elif isinstance(target, ast.Subscript):
            base = root_name(target)
            if base is not None:
                self.weaken(base, taints)

    def _record_field(self, key: str, taints: TaintSet) -> None:
        real = frozenset(t for t in taints if t.param is None)
        if self.fields is not None and real and self.live and key.startswith("self."):
            self.fields[key] = self.fields.get(key, EMPTY) | real

    def weaken(self, name: str, taints: TaintSet) -> None:
        """Add ``taints`` to what ``name`` holds (a container that gained an element)."""
        if taints:
            self.env[name] = self.env.get(name, EMPTY) | taints
            self._record_field(name, taints)

    def report(
        self, sink: Sink, node: ast.AST, taints: TaintSet, via: tuple[str, int] | None
    ) -> None:
        """Record tainted values reaching ``sink`` (live evaluation only)."""
        if taints and self.live:
            self.hits.append(Hit(sink, node, taints, (via,) if via else ()))

    # -- evaluation ---------------------------------------------------------------

    def _set(self, key: str, taints: TaintSet) -> None:
        prefix = key + "."
        for stale in [k for k in self.env if k.startswith(prefix)]:
            del self.env[stale]
        if taints:
            self.env[key] = taints
        else:
            self.env.pop(key, None)

    def _eval(self, expr: ast.expr, depth: int) -> TaintSet:
        self.budget.spend()
        if depth > MAX_DEPTH:
            return self._flat(expr)
        handler = _HANDLERS.get(type(expr))
        if handler is None:
            return self._children(expr, depth)
        return handler(self, expr, depth)

    def _children(self, expr: ast.AST, depth: int) -> TaintSet:
        out: set[Taint] = set()
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, ast.expr):
                out |= self._eval(child, depth + 1)
        return frozenset(out)

    def _flat(self, expr: ast.expr) -> TaintSet:
        out: set[Taint] = set()
        for node in ast.walk(expr):
            self.budget.spend()
            if isinstance(node, ast.Name):
                out |= self.env.get(node.id, EMPTY)
            elif isinstance(node, ast.Call | ast.Attribute):
                source = self.spec.source(node, self)
                if source is not None:
                    out.add(source)
        return frozenset(out)

    def _name(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.Name)
        return self.env.get(expr.id, EMPTY)

    def _attribute(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.Attribute)
        source = self.spec.source(expr, self)
        if source is not None:
            return frozenset({source})
        key = key_of(expr)
        own = self.env.get(key, EMPTY) if key is not None else EMPTY
        return own | self._eval(expr.value, depth + 1)

    def _subscript(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.Subscript)
        self._eval(expr.slice, depth + 1)
        return self._eval(expr.value, depth + 1)

    def _clean(self, expr: ast.expr, depth: int) -> TaintSet:
        self._children(expr, depth)
        return EMPTY

    def _nothing(self, expr: ast.expr, depth: int) -> TaintSet:
        return EMPTY

    def _unary(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.UnaryOp)
        taints = self._eval(expr.operand, depth + 1)
        return EMPTY if isinstance(expr.op, ast.Not) else taints

    def _container(self, expr: ast.expr, depth: int) -> TaintSet:
        taints = self._children(expr, depth)
        self._observe(expr)
        return taints

    def _walrus(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.NamedExpr)
        taints = self._eval(expr.value, depth + 1)
        if self.live:
            self.assign(expr.target, taints)
        return taints

    def _comprehension(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp)
        names = {
            n.id for g in expr.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
        }
        saved = {name: self.env.get(name) for name in names}
        for generator in expr.generators:
            self.assign(generator.target, self._eval(generator.iter, depth + 1))
            for condition in generator.ifs:
                self._eval(condition, depth + 1)
        if isinstance(expr, ast.DictComp):
            out = self._eval(expr.key, depth + 1) | self._eval(expr.value, depth + 1)
        else:
            out = self._eval(expr.elt, depth + 1)
        for name, old in saved.items():
            self._set(name, old or EMPTY)
        return out

    def _call(self, expr: ast.expr, depth: int) -> TaintSet:
        assert isinstance(expr, ast.Call)
        func = expr.func
        receiver = EMPTY
        if isinstance(func, ast.Attribute):
            receiver = self._eval(func.value, depth + 1)
        elif not isinstance(func, ast.Name):
            receiver = self._eval(func, depth + 1)
        args = [self._eval(a, depth + 1) for a in expr.args]
        keywords = {k.arg or "**": self._eval(k.value, depth + 1) for k in expr.keywords}
        self._observe(expr)
        source = self.spec.source(expr, self)
        if source is not None:
            return frozenset({source})
        result = self.summaries.apply(expr, args, keywords, self) if self.summaries else None
        if result is None:
            result = calls.call_result(self.ctx, expr, receiver, args, keywords)
            self._mutate(expr, args, keywords)
        return calls.named_sanitiser(expr, result)

    def _mutate(self, call: ast.Call, args: list[TaintSet], keywords: dict[str, TaintSet]) -> None:
        """``items.append(tainted)`` taints ``items``."""
        func = call.func
        if self.live and isinstance(func, ast.Attribute) and func.attr in calls.MUTATORS:
            key = key_of(func.value)
            if key is not None:
                self.weaken(key, frozenset().union(*args, *keywords.values()))

    def _observe(self, node: ast.expr) -> None:
        if not self.live:
            return
        for sink, taints in self.spec.sinks(node, self):
            self.report(sink, node, taints, None)


_Handler = Callable[[Evaluator, ast.expr, int], TaintSet]
_HANDLERS: Final[dict[type[ast.AST], _Handler]] = {
    ast.Name: Evaluator._name,
    ast.Attribute: Evaluator._attribute,
    ast.Subscript: Evaluator._subscript,
    ast.Call: Evaluator._call,
    ast.Constant: Evaluator._nothing,
    ast.Lambda: Evaluator._nothing,
    ast.Compare: Evaluator._clean,
    ast.Yield: Evaluator._clean,
    ast.YieldFrom: Evaluator._clean,
    ast.UnaryOp: Evaluator._unary,
    ast.Dict: Evaluator._container,
    ast.Tuple: Evaluator._container,
    ast.List: Evaluator._container,
    ast.Set: Evaluator._container,
    ast.NamedExpr: Evaluator._walrus,
    ast.ListComp: Evaluator._comprehension,
    ast.SetComp: Evaluator._comprehension,
    ast.GeneratorExp: Evaluator._comprehension,
    ast.DictComp: Evaluator._comprehension,
}
"""Expression kinds with their own rule; every other kind carries the union of its children."""
