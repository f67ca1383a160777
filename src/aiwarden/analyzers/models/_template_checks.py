"""The security checks of the chat-template checker, over a parsed (never rendered) template.

Sinks are the places where Jinja turns a name into an attribute lookup: ``x.name``,
``x[key]`` (which falls back to ``getattr`` for strings), the ``attr()`` filter, the
filters that take an ``attribute=`` path (``map``, ``selectattr``, ``sort``, ...), and
``str.format`` replacement fields (``'{0.__class__}'.format(x)``). Each sink's name is
resolved with :class:`~aiwarden.analyzers.models._template_eval.Evaluator`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aiwarden.analyzers.models._template_eval import (
    MAX_PASSES,
    TEMPLATE_GLOBALS,
    Evaluator,
    iter_elements,
)
from aiwarden.analyzers.models._template_issue import (
    SEVERITY as _SEVERITY,
)
from aiwarden.analyzers.models._template_issue import (
    IssueKind,
    TemplateIssue,
)
from aiwarden.analyzers.models._template_values import (
    BOTTOM,
    Val,
    format_fields,
    is_dangerous_name,
    known,
)
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from jinja2 import nodes
else:  # the node classes the parser builds (see _jinja_parse)
    from aiwarden.analyzers.models._jinja_parse import nodes

_GADGET_BASES = TEMPLATE_GLOBALS | {
    "request", "config", "url_for", "get_flashed_messages", "session", "lipsum", "loop",
}  # fmt: skip
_ATTRIBUTE_FILTERS = frozenset({"sort", "unique", "min", "max", "sum", "join", "groupby", "map"})
_POSITIONAL_ATTRIBUTE = frozenset({"selectattr", "rejectattr", "groupby"})
_LOADERS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_BIG = 1_000_000
_BIG_WIDTH = re.compile(r"%[-#0 +]*\d{7,}")


def run_passes(ev: Evaluator) -> None:
    """Walk the template's assignments until the store converges (then widen)."""
    statements = ev.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With, nodes.Macro))
    calls = [c for c in ev.find_all(nodes.Call) if _callee_name(c) in ev.macros]
    for _ in range(MAX_PASSES):
        ev.new_pass()
        before = dict(ev.store)
        for stmt in statements:
            _bind_statement(ev, stmt)
        for call in calls:
            ev.eval(call)
        if not ev.changed:
            return
    ev.widen([k for k, v in ev.store.items() if before.get(k, BOTTOM) != v])
    ev.new_pass()


def _bind_statement(ev: Evaluator, stmt: nodes.Node) -> None:
    if isinstance(stmt, nodes.Assign):
        ev.bind_target(stmt.target, ev.eval(stmt.node))
        _bind_namespace(ev, stmt)
    elif isinstance(stmt, nodes.AssignBlock):
        rendered = ev.render(stmt.body)
        if stmt.filter is not None:
            rendered = _filter_chain(ev, stmt.filter, rendered)
        ev.bind_target(stmt.target, rendered)
    elif isinstance(stmt, nodes.For):
        ev.bind_target(stmt.target, iter_elements(ev.eval(stmt.iter)))
    elif isinstance(stmt, nodes.With):
        for target, value in zip(stmt.targets, stmt.values, strict=False):
            ev.bind_target(target, ev.eval(value))
    elif isinstance(stmt, nodes.Macro):
        offset = len(stmt.args) - len(stmt.defaults)
        for index, default in enumerate(stmt.defaults):
            ev.bind(stmt.args[offset + index].name, ev.eval(default))


def _bind_namespace(ev: Evaluator, stmt: nodes.Assign) -> None:
    """``{% set ns = namespace(a='x') %}`` also binds ``ns.a``."""
    value = stmt.node
    if isinstance(stmt.target, nodes.Name) and _callee_name(value) in {"namespace", "dict"}:
        assert isinstance(value, nodes.Call)
        for keyword in value.kwargs:
            ev.bind(f"{stmt.target.name}.{keyword.key}", ev.eval(keyword.value))


def _filter_chain(ev: Evaluator, flt: nodes.Filter, value: Val) -> Val:
    if isinstance(flt.node, nodes.Filter):
        value = _filter_chain(ev, flt.node, value)
    return ev.filter_value(flt, value)


def _callee_name(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        return node.node.name
    return None


# --- sinks ------------------------------------------------------------------------------


def find_issues(ev: Evaluator) -> Iterator[TemplateIssue]:
    """Every issue at every sink of the template (after :func:`run_passes`)."""
    for node in ev.descendants:
        yield from _check(ev, node)
    if ev.too_deep:
        yield TemplateIssue(
            IssueKind.UNPARSEABLE,
            Severity.HIGH,
            "Template expressions are nested too deeply to analyse completely.",
        )


def _check(ev: Evaluator, node: nodes.Node) -> Iterator[TemplateIssue]:
    if isinstance(node, nodes.Getattr):
        yield from _name_sink(ev, node, known(node.attr), f"attribute `.{node.attr}`", True)
        yield from _gadget_base(ev, node)
    elif isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Slice):
        yield from _name_sink(ev, node, ev.eval(node.arg), "subscript `[...]`", True)
        yield from _gadget_base(ev, node)
    elif isinstance(node, nodes.Filter):
        yield from _filter_sinks(ev, node)
    elif isinstance(node, nodes.Call):
        yield from _call_sinks(ev, node)
    elif isinstance(node, nodes.NSRef):
        yield from _name_sink(ev, node, known(node.attr), f"namespace store `.{node.attr}`", True)
    elif isinstance(node, nodes.Name) and node.name.startswith("__"):
        yield _issue(IssueKind.SSTI, node, f"Template refers to the Python name `{node.name}`.")
    elif isinstance(node, _LOADERS):
        kind = type(node).__name__.lower()
        yield _issue(
            IssueKind.LOADER, node, f"Template uses `{{% {kind} %}}` to load other templates."
        )
    elif isinstance(node, (nodes.Mul, nodes.Pow)):
        yield from _resource_binop(ev, node)


def _name_sink(
    ev: Evaluator, node: nodes.Node, name: Val, how: str, allow_data: bool
) -> Iterator[TemplateIssue]:
    danger = sorted(_dangerous(name), key=lambda d: (d not in name.options, -len(d), d))
    if danger:
        shown = ", ".join(f"`{d}`" for d in danger[:3])
        yield _issue(
            IssueKind.SSTI,
            node,
            f"Template reaches Python internals through {how} with the name {shown} "
            "(server-side template injection, the CVE-2024-34359 class).",
        )
    elif name.built or (name.data and not allow_data) or (name == BOTTOM and not allow_data):
        yield _issue(
            IssueKind.DYNAMIC_ATTRIBUTE,
            node,
            f"Template looks up an attribute through {how} with a name computed at render "
            "time that cannot be resolved to a constant, a known way to hide `__globals__` "
            "or `__class__` from scanners.",
        )


def _dangerous(name: Val) -> set[str]:
    found = set(name.danger)
    for option in name.options:
        if isinstance(option, str):
            parts = option.split(".") if "." in option else [option]
            found.update(p for p in parts if is_dangerous_name(p))
    return found


def _gadget_base(ev: Evaluator, node: nodes.Getattr | nodes.Getitem) -> Iterator[TemplateIssue]:
    base = node.node
    if not isinstance(base, nodes.Name) or base.name in ev.assigned or base.name == "loop":
        return
    if base.name not in _GADGET_BASES:
        return
    if isinstance(node, nodes.Getattr) and is_dangerous_name(node.attr):
        return  # already reported as SSTI
    yield _issue(
        IssueKind.DYNAMIC_ATTRIBUTE,
        node,
        f"Template inspects the attributes of the Jinja/Flask global `{base.name}`, the "
        "first step of known SSTI gadget chains.",
    )


def _filter_sinks(ev: Evaluator, node: nodes.Filter) -> Iterator[TemplateIssue]:
    kwargs: dict[str, nodes.Node] = {
        str(getattr(k, "key", "")): k.value
        for k in node.kwargs  # jinja2 types them as Pair
    }
    targets: list[nodes.Node] = []
    if node.name == "attr" and node.args:
        targets.append(node.args[0])
    if node.name in _POSITIONAL_ATTRIBUTE and node.args:
        targets.append(node.args[0])
    if node.name in _ATTRIBUTE_FILTERS and "attribute" in kwargs:
        targets.append(kwargs["attribute"])
    if node.name == "map" and node.args and "attribute" not in kwargs:
        chosen = ev.eval(node.args[0])
        if "attr" in chosen.options and len(node.args) > 1:
            targets.append(node.args[1])
        elif chosen.unknown or not chosen.options:
            yield _issue(
                IssueKind.DYNAMIC_ATTRIBUTE, node, "Template maps a filter whose name is computed."
            )
    dynamic = node.dyn_args is not None or node.dyn_kwargs is not None
    if dynamic and node.name in _ATTRIBUTE_FILTERS | _POSITIONAL_ATTRIBUTE | {"attr"}:
        yield _issue(
            IssueKind.DYNAMIC_ATTRIBUTE, node, f"Template passes `*args` to `|{node.name}`."
        )
    for target in targets:
        how = f"the `|{node.name}` filter"
        yield from _name_sink(ev, node, ev.eval(target), how, False)
    yield from _resource_filter(ev, node)


def _call_sinks(ev: Evaluator, node: nodes.Call) -> Iterator[TemplateIssue]:
    callee = node.node
    if isinstance(callee, nodes.Getattr) and callee.attr in {"format", "format_map"}:
        yield from _format_gadget(ev, node, ev.eval(callee.node), callee.attr)
    if _callee_name(node) == "range" and "range" not in ev.assigned:
        for arg in node.args:
            if any(_is_big(o) for o in ev.eval(arg).options):
                yield _issue(IssueKind.RESOURCE, node, "Template iterates over a huge `range()`.")


def _format_gadget(
    ev: Evaluator, node: nodes.Call, receiver: Val, method: str
) -> Iterator[TemplateIssue]:
    parts: set[str] = set()
    for option in receiver.options:
        if isinstance(option, str):
            parts.update(p.strip() for p in format_fields(option))
    danger = sorted(p for p in parts if is_dangerous_name(p))
    if danger:
        yield _issue(
            IssueKind.SSTI,
            node,
            f"Template calls `str.{method}` with a format string that reads "
            f"{', '.join(f'`{d}`' for d in danger[:3])} (format-string gadget).",
        )
    elif parts or receiver.unknown:
        what = "reads object attributes" if parts else "is not a constant"
        yield _issue(
            IssueKind.DYNAMIC_ATTRIBUTE,
            node,
            f"Template calls `str.{method}` with a format string that {what}; replacement "
            "fields such as `{0.__class__}` walk attributes outside any sandbox.",
        )


def _resource_binop(ev: Evaluator, node: nodes.Mul | nodes.Pow) -> Iterator[TemplateIssue]:
    left, right = ev.eval(node.left), ev.eval(node.right)
    if isinstance(node, nodes.Pow):
        nested = isinstance(node.right, nodes.Pow) or isinstance(node.left, nodes.Pow)
        if nested or any(_is_big(o, 1000) for o in right.options):
            yield _issue(IssueKind.RESOURCE, node, "Template raises a number to a huge power.")
        return
    for big, other in ((left, right), (right, left)):
        if any(_is_big(o) for o in big.options) and (other.unknown or other.stringy):
            yield _issue(
                IssueKind.RESOURCE, node, "Template repeats a value a huge number of times."
            )
            return


def _resource_filter(ev: Evaluator, node: nodes.Filter) -> Iterator[TemplateIssue]:
    values = [ev.eval(a) for a in node.args] + [ev.eval(k.value) for k in node.kwargs]
    big = any(_is_big(o) for v in values for o in v.options)
    if node.name in {"center", "indent", "wordwrap", "truncate", "batch", "slice"} and big:
        yield _issue(IssueKind.RESOURCE, node, f"Template calls `|{node.name}` with a huge size.")
    if node.name == "format":
        value = ev.eval(node.node)
        if any(isinstance(o, str) and _BIG_WIDTH.search(o) for o in value.options):
            yield _issue(IssueKind.RESOURCE, node, "Template formats with a huge field width.")


def _is_big(value: object, limit: int = _BIG) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= limit


def _issue(kind: IssueKind, node: nodes.Node, message: str) -> TemplateIssue:
    return TemplateIssue(kind, _SEVERITY[kind], message, line=node.lineno or None)
