"""Symbolic, flow-insensitive evaluation of a parsed Jinja template (never rendering it).

Variables (``{% set %}``, loop targets, macro parameters, ``namespace`` attributes) are
kept in one store for the whole template; every assignment joins into it, and the
template is walked again until the store stops changing (at most :data:`MAX_PASSES`
times, after which still-changing entries are widened). An expression's value is then a
sound over-approximation of what it may be at render time, as far as constant strings
are concerned, which is what attribute-name resolution needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from aiwarden.analyzers.models._template_ops import FILTERS, METHODS
from aiwarden.analyzers.models._template_values import (
    BOTTOM,
    BUILT,
    DATA,
    MAX_SEQUENCE,
    DictV,
    Val,
    add,
    apply,
    arith,
    concat,
    elements,
    join,
    known,
    make,
    percent_format,
    repeat,
    slice_of,
    subscript,
    taint,
)

if TYPE_CHECKING:
    from jinja2 import nodes
else:  # the node classes the parser builds (see _jinja_parse)
    from aiwarden.analyzers.models._jinja_parse import nodes

MAX_PASSES = 6
MAX_DEPTH = 120
"""Deepest expression nesting evaluated; deeper values are widened (and reported)."""

TEMPLATE_GLOBALS = frozenset(
    {"range", "dict", "namespace", "cycler", "joiner", "lipsum", "self", "caller"}
)
"""Jinja's own global callables and objects."""

_N = TypeVar("_N", bound=nodes.Node)

_BINOPS = {nodes.Sub: "sub", nodes.Div: "div", nodes.FloorDiv: "floordiv", nodes.Pow: "pow"}


class Evaluator:
    """Evaluates expressions of one template against a flow-insensitive store."""

    def __init__(
        self, template: nodes.Template, descendants: Sequence[nodes.Node] | None = None
    ) -> None:
        self.template = template
        self.descendants: Sequence[nodes.Node] = (
            list(template.find_all(nodes.Node)) if descendants is None else descendants
        )
        """Every node under the template, in the order ``template.find_all`` yields them."""
        self.store: dict[str, Val] = {}
        self.macros: dict[str, nodes.Macro] = {m.name: m for m in self.find_all(nodes.Macro)}
        self.assigned: set[str] = _assigned_names(self) | set(self.macros)
        self.changed = False
        self.too_deep = False
        self._memo: dict[int, Val] = {}
        self._rendering: set[int] = set()
        self._depth = 0

    def find_all(self, kinds: type[_N] | tuple[type[_N], ...]) -> list[_N]:
        """``template.find_all(kinds)`` without walking the tree again.

        ``find_all`` yields the descendants that are instances of ``kinds`` in pre-order,
        so filtering the one pre-order walk kept in :attr:`descendants` gives the same
        nodes in the same order; the analysis walks the tree once instead of seven times.
        """
        return [n for n in self.descendants if isinstance(n, kinds)]

    # --- store ------------------------------------------------------------------------

    def bind(self, key: str, value: Val) -> None:
        """Join ``value`` into the store entry ``key``."""
        old = self.store.get(key, BOTTOM)
        new = join(old, value)
        if new != old:
            self.store[key] = new
            self.changed = True

    def bind_target(self, target: nodes.Node, value: Val) -> None:
        """Bind an assignment or loop target (a name, a tuple of names, ``ns.attr``)."""
        if isinstance(target, nodes.Name):
            self.bind(target.name, value)
        elif isinstance(target, nodes.NSRef):
            self.bind(f"{target.name}.{target.attr}", value)
        elif isinstance(target, nodes.Tuple):
            for index, item in enumerate(target.items):
                self.bind_target(item, self._unpack(value, index, len(target.items)))

    def _unpack(self, value: Val, index: int, size: int) -> Val:
        parts = [o[index] for o in value.options if isinstance(o, tuple) and len(o) == size]
        rest = [o for o in value.options if not (isinstance(o, tuple) and len(o) == size)]
        extra = taint(value) if value.unknown or rest else BOTTOM
        return join(make(parts), extra)

    def new_pass(self) -> None:
        """Forget the per-pass memo before walking the template again."""
        self._memo.clear()
        self.changed = False

    def widen(self, keys: Sequence[str]) -> None:
        """Mark store entries that did not converge as unknown."""
        for key in keys:
            value = self.store[key]
            self.store[key] = join(taint(value), Val(data=value.data, built=value.built))

    # --- expressions -------------------------------------------------------------------

    def eval(self, node: nodes.Node | None) -> Val:
        """The value of expression ``node`` (memoised for this pass)."""
        if node is None:
            return known(None)
        cached = self._memo.get(id(node))
        if cached is not None:
            return cached
        if self._depth >= MAX_DEPTH:
            self.too_deep = True
            return BUILT
        self._depth += 1
        try:
            value = self._eval(node)
        finally:
            self._depth -= 1
        self._memo[id(node)] = value
        return value

    def _eval(self, node: nodes.Node) -> Val:
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        if method is not None:
            result: Val = method(node)
            return result
        if isinstance(node, nodes.BinExpr):
            return self._binop(node)
        if isinstance(node, (nodes.Not, nodes.Compare, nodes.Test)):
            return DATA
        if isinstance(node, (nodes.Neg, nodes.Pos)):
            sign = -1 if isinstance(node, nodes.Neg) else 1
            return apply(
                lambda v: arith("sub", 0, v) if sign < 0 else +_num(v), self.eval(node.node)
            )
        if isinstance(node, (nodes.MarkSafe, nodes.MarkSafeIfAutoescape)):
            return self.eval(node.expr)
        return DATA

    def _eval_Const(self, node: nodes.Const) -> Val:
        value = node.value
        if isinstance(value, (str, int, float, bool)) or value is None:
            return known(value)
        return DATA

    def _eval_TemplateData(self, node: nodes.TemplateData) -> Val:
        return known(node.data)

    def _eval_Name(self, node: nodes.Name) -> Val:
        if node.name in self.assigned and node.name not in self.macros:
            return self.store.get(node.name, BOTTOM)
        return DATA

    def _eval_Tuple(self, node: nodes.Tuple | nodes.List) -> Val:
        return apply(lambda *items: tuple(items), *(self.eval(i) for i in node.items))

    _eval_List = _eval_Tuple

    def _eval_Dict(self, node: nodes.Dict) -> Val:
        keys = [self.eval(p.key) for p in node.items]
        values = [self.eval(p.value) for p in node.items]
        size = len(keys)
        return apply(
            lambda *kv: DictV(tuple(zip(kv[:size], kv[size:], strict=True))), *keys, *values
        )

    def _eval_CondExpr(self, node: nodes.CondExpr) -> Val:
        return join(self.eval(node.expr1), self.eval(node.expr2))

    def _eval_Concat(self, node: nodes.Concat) -> Val:
        return apply(concat, *(self.eval(n) for n in node.nodes))

    def _binop(self, node: nodes.BinExpr) -> Val:
        left, right = self.eval(node.left), self.eval(node.right)
        if isinstance(node, (nodes.And, nodes.Or)):
            return join(left, right)
        if isinstance(node, nodes.Add):
            return apply(add, left, right)
        if isinstance(node, nodes.Mul):
            return apply(repeat, left, right)
        if isinstance(node, nodes.Mod):
            return apply(_modulo, left, right)
        op = _BINOPS.get(type(node))
        if op is None:
            return taint(left, right)
        return apply(lambda a, b: arith(op, a, b), left, right)

    def _eval_Getattr(self, node: nodes.Getattr) -> Val:
        if isinstance(node.node, nodes.Name):
            key = f"{node.node.name}.{node.attr}"
            if key in self.store:
                return join(self.store[key], self._attr_of(node))
        return self._attr_of(node)

    def _attr_of(self, node: nodes.Getattr) -> Val:
        """``x.name``: a constant mapping's value, else data (an object's attribute)."""
        base = self.eval(node.node)
        found: list[object] = []
        unknown = base.unknown or not base.options
        for option in base.options:
            try:
                found.append(subscript(option, node.attr))
            except (KeyError, TypeError):
                unknown = True
        return join(make(found), DATA) if unknown else make(found)

    def _eval_Getitem(self, node: nodes.Getitem) -> Val:
        base = self.eval(node.node)
        if isinstance(node.arg, nodes.Slice):
            s = node.arg
            return apply(slice_of, base, self.eval(s.start), self.eval(s.stop), self.eval(s.step))
        key = self.eval(node.arg)
        if not base.options:
            return taint(base, key) if base.stringy else DATA
        return apply(subscript, base, key)

    def _eval_Filter(self, node: nodes.Filter) -> Val:
        return self.filter_value(node, self.eval(node.node))

    def filter_value(self, node: nodes.Filter, value: Val) -> Val:
        """Apply filter ``node`` to ``value`` (also used for ``{% set x | f %}`` blocks)."""
        args = [self.eval(a) for a in node.args]
        op = FILTERS.get(node.name)
        if op is None or node.kwargs or node.dyn_args or node.dyn_kwargs:
            return _opaque(node.name, value, args)
        return apply(op, value, *args)

    def _eval_Call(self, node: nodes.Call) -> Val:
        args = [self.eval(a) for a in node.args]
        kwargs = {k.key: self.eval(k.value) for k in node.kwargs}
        callee = node.node
        if isinstance(callee, nodes.Name):
            return self._call_name(callee.name, node, args, kwargs)
        if isinstance(callee, nodes.Getattr):
            return self._call_method(callee, args, kwargs)
        return join(taint(self.eval(callee), *args, *kwargs.values()), DATA)

    def _call_name(
        self, name: str, node: nodes.Call, args: list[Val], kwargs: dict[str, Val]
    ) -> Val:
        if name in self.macros:
            return self._call_macro(self.macros[name], args, kwargs)
        if name in self.assigned:
            return taint(self.store.get(name, BOTTOM), *args)
        if name == "range":
            return apply(_range, *args)
        if name == "dict" and not args:
            names = list(kwargs)
            return apply(lambda *v: DictV(tuple(zip(names, v, strict=True))), *kwargs.values())
        return join(DATA, Val(danger=frozenset(d for a in args for d in a.danger)))

    def _call_method(self, callee: nodes.Getattr, args: list[Val], kwargs: dict[str, Val]) -> Val:
        receiver = self.eval(callee.node)
        if isinstance(callee.node, nodes.Name) and callee.node.name == "loop":
            return join(*args) if callee.attr == "cycle" and args else DATA
        op = METHODS.get(callee.attr)
        if op is None or not receiver.options:
            if receiver.stringy or any(a.stringy for a in args):
                return taint(receiver, *args, *kwargs.values())
            return DATA
        if kwargs:
            names = list(kwargs)
            return apply(
                lambda r, *v: op(
                    r, *v[: len(args)], **dict(zip(names, v[len(args) :], strict=True))
                ),
                receiver,
                *args,
                *kwargs.values(),
            )
        return apply(op, receiver, *args)

    def _call_macro(self, macro: nodes.Macro, args: list[Val], kwargs: dict[str, Val]) -> Val:
        for index, param in enumerate(macro.args):
            if index < len(args):
                self.bind(param.name, args[index])
            if param.name in kwargs:
                self.bind(param.name, kwargs[param.name])
        return self.render(macro.body, key=id(macro))

    # --- rendered output of a block ---------------------------------------------------

    def render(self, body: Sequence[nodes.Node], *, key: int | None = None) -> Val:
        """The text a block of statements may output (for ``{% set %}`` blocks and macros)."""
        guard = key if key is not None else id(body)
        if guard in self._rendering:
            return BUILT
        self._rendering.add(guard)
        try:
            return self._render(body)
        finally:
            self._rendering.discard(guard)

    def _render(self, body: Sequence[nodes.Node]) -> Val:
        text = known("")
        for stmt in body:
            text = apply(concat, text, self._render_stmt(stmt))
        return text

    def _render_stmt(self, stmt: nodes.Node) -> Val:
        if isinstance(stmt, nodes.Output):
            return apply(concat, *(self.eval(n) for n in stmt.nodes)) if stmt.nodes else known("")
        if isinstance(stmt, nodes.If):
            branches = [self._render(stmt.body), self._render(stmt.else_)]
            branches += [self._render(e.body) for e in stmt.elif_]
            return join(*branches)
        if isinstance(stmt, (nodes.Scope, nodes.With, nodes.ScopedEvalContextModifier)):
            return self._render(stmt.body)
        if isinstance(stmt, (nodes.For, nodes.CallBlock, nodes.FilterBlock)):
            inner = self._render(stmt.body)
            return join(taint(inner), Val(built=True, danger=inner.danger))
        return known("")


def _num(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    return value


def _modulo(left: object, right: object) -> object:
    if isinstance(left, str):
        return percent_format(left, right)
    return _num(left) % _num(right)


def _range(*bounds: object) -> tuple[object, ...]:
    if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
        raise TypeError("range of non-integers")
    numbers = range(*(int(b) for b in bounds))  # type: ignore[call-overload]
    if len(numbers) > MAX_SEQUENCE:
        raise ValueError("range too long")
    return tuple(numbers)


def _opaque(name: str, value: Val, args: list[Val]) -> Val:
    """A filter that is not modelled: numeric/boolean filters give data, others taint."""
    if name in {"length", "count", "int", "float", "abs", "round", "wordcount", "sum"}:
        return DATA
    return taint(value, *args)


def _assigned_names(ev: Evaluator) -> set[str]:
    names: set[str] = set()
    for node in ev.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With)):
        targets: list[nodes.Node] = []
        if isinstance(node, nodes.With):
            targets.extend(node.targets)
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock, nodes.For)):
            targets.append(node.target)
        for target in targets:
            names.update(n.name for n in _names_in(target))
    for macro in ev.find_all((nodes.Macro, nodes.CallBlock)):
        if isinstance(macro, (nodes.Macro, nodes.CallBlock)):
            names.update(a.name for a in macro.args)
    return names


def _names_in(target: nodes.Node) -> Iterator[nodes.Name]:
    if isinstance(target, nodes.Name):
        yield target
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            yield from _names_in(item)


def iter_elements(value: Val) -> Val:
    """What a loop over ``value`` binds: the elements of every constant option."""
    found: list[object] = []
    unknown = value.unknown
    for option in value.options:
        try:
            items = elements(option)
        except (TypeError, ValueError):
            unknown = True
            continue
        found.extend(items[:MAX_SEQUENCE])
    result = make(found)
    return join(result, taint(value)) if unknown else result
