"""The taint engine: propagation, ordering, branches, loops, helpers and bounds.

A toy spec makes ``src()`` a source and ``sink(x)`` / ``shell(x)`` sinks, so every
test states only the flow it is about.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from collections.abc import Iterator

import pytest

from aiwarden.analyzers.code import _taint_scope
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint import (
    Evaluator,
    Sink,
    SinkKind,
    Taint,
    TaintSet,
    usable,
)
from aiwarden.analyzers.code._taint_scope import Analysis, all_scopes, analyse
from aiwarden.analyzers.code.context import ModuleContext

_SINKS = {
    "sink": SinkKind.CODE,
    "shell": SinkKind.SHELL,
    "page": SinkKind.HTML,
    "fopen": SinkKind.PATH,
}


class ToySpec:
    """``src()`` returns tainted data; ``sink``/``shell``/``page`` take it."""

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        is_src = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if is_src and getattr(node.func, "id", "") == "src":
            return Taint(node, "src")
        return None

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterator[tuple[Sink, TaintSet]]:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            kind = _SINKS.get(node.func.id)
            if kind is not None:
                yield Sink(kind, node.func.id), usable(ev.taint_of(node.args[0]), kind)


def _analyse(source: str) -> Analysis:
    ctx = ModuleContext.parse(textwrap.dedent(source))
    return analyse(ctx, ToySpec(), all_scopes(ctx))


def _sink_lines(source: str) -> list[int]:
    return sorted(getattr(h.node, "lineno", 0) for h in _analyse(source).hits)


FLOWS = [
    pytest.param("x = src()\nsink(x)", id="assignment"),
    pytest.param("a, (b, c) = 1, (2, src())\nsink(c)", id="nested-unpacking"),
    pytest.param("a, b = src()\nsink(b)", id="unpack-of-tainted"),
    pytest.param("x = 'a'\nx += src()\nsink(x)", id="augmented"),
    pytest.param("if (x := src()):\n    sink(x)", id="walrus"),
    pytest.param("r = src()\nsink(r.choices[0].message.content)", id="attribute-subscript"),
    pytest.param("r = src()\nsink(r.text.strip().split()[0])", id="method-chain"),
    pytest.param("r = src()\nsink(f'run {r!r}')", id="f-string"),
    pytest.param("r = src()\nsink('a' + r)\n", id="concatenation"),
    pytest.param("r = src()\nsink('%s;' % r)", id="percent-format"),
    pytest.param("r = src()\nsink('{}'.format(r))", id="str-format"),
    pytest.param("r = src()\nsink(''.join([r, 'x']))", id="join-of-list"),
    pytest.param("import json\nr = src()\nsink(json.loads(r)['code'])", id="json-loads"),
    pytest.param("r = src()\nd = {'k': r}\nsink(d['k'])", id="dict-container"),
    pytest.param("for line in src().splitlines():\n    sink(line)", id="for-target"),
    pytest.param("with src() as stream:\n    sink(stream.read())", id="with-target"),
    pytest.param("items = []\nitems.append(src())\nsink(items[0])", id="append-mutation"),
    pytest.param("obj.code = src()\nsink(obj.code)", id="attribute-store"),
    pytest.param("sink([c for c in src()][0])", id="comprehension"),
    pytest.param("async def f():\n    r = await src()\n    sink(r)", id="await"),
    pytest.param("def f(flag):\n    x = 1 if flag else src()\n    sink(x)", id="conditional-expr"),
    pytest.param("r = src()\nsink(r or 'default')", id="bool-op"),
    pytest.param(
        "def f():\n    try:\n        x = src()\n    except ValueError:\n        x = 'y'\n"
        "    sink(x)",
        id="try-except-join",
    ),
    pytest.param("match src():\n    case {'code': code}:\n        sink(code)", id="match-capture"),
    pytest.param("import shlex\nr = src()\nsink(shlex.quote(r))", id="quote-does-not-clear-code"),
]


@pytest.mark.parametrize("source", FLOWS)
def test_taint_flows_to_the_sink(source: str) -> None:
    assert len(_analyse(source).hits) == 1


NO_FLOWS = [
    pytest.param("x = src()\nx = 'clean'\nsink(x)", id="overwritten"),
    pytest.param("sink(x)\nx = src()", id="sink-before-source"),
    pytest.param("x = src()\nsink(len(x))", id="len-is-clean"),
    pytest.param("x = src()\nsink(int(x))", id="int-is-clean"),
    pytest.param("x = src()\nsink(x.isdigit())", id="predicate-method"),
    pytest.param("x = src()\nsink(x == 'yes')", id="comparison"),
    pytest.param("x = src()\nsink(not x)", id="negation"),
    pytest.param("import shlex\nr = src()\nshell('ls ' + shlex.quote(r))", id="shlex-quote"),
    pytest.param("import html\nr = src()\npage(html.escape(r))", id="html-escape"),
    pytest.param("x = src()\nif x in ('a', 'b'):\n    sink(x)", id="allowlist-branch"),
    pytest.param("x = src()\nif x != 'ok':\n    raise ValueError\nsink(x)", id="equality-guard"),
    pytest.param("x = src()\nif not x.isdigit():\n    x = '0'\nelse:\n    sink(x)", id="isdigit"),
    pytest.param("x = src()\ndel x\nsink(x)", id="deleted"),
    pytest.param("x = src()\n[x for x in range(3)]\nsink('a')", id="comprehension-scope"),
    pytest.param("def f():\n    x = src()\n    return\n    sink(x)", id="unreachable-after-return"),
    pytest.param("x = src()\nsink(CONSTANTS[x])", id="lookup-with-tainted-key"),
]


@pytest.mark.parametrize("source", NO_FLOWS)
def test_no_taint_reaches_the_sink(source: str) -> None:
    assert _analyse(source).hits == []


def test_a_loop_carries_taint_into_later_iterations() -> None:
    source = """
    def f(items):
        prev = ""
        for item in items:
            sink(prev)
            prev = src()
    """
    assert _sink_lines(source) == [5]


def test_a_while_loop_reaches_a_fixpoint() -> None:
    source = """
    def f():
        a = b = c = ""
        while cond():
            sink(c)
            c = b
            b = a
            a = src()
    """
    assert _sink_lines(source) == [5]


def test_branches_are_joined() -> None:
    source = """
    def f(flag):
        if flag:
            x = src()
        else:
            x = "clean"
        sink(x)
    """
    assert _sink_lines(source) == [7]


def test_a_branch_that_returns_does_not_flow_on() -> None:
    source = """
    def f(flag):
        x = src()
        if flag:
            x = "clean"
        else:
            return None
        sink(x)
    """
    assert _sink_lines(source) == []


def test_a_helper_that_returns_its_parameter_propagates_and_one_that_does_not_cleans() -> None:
    source = """
    def passthrough(value, other=None):
        return value.strip()

    def constant(value):
        return "fixed"

    def main():
        data = src()
        sink(passthrough(data))
        sink(constant(data))
        sink(passthrough("x", other=data))
    """
    assert _sink_lines(source) == [10]


def test_a_helper_returning_a_source_is_a_source_with_its_name() -> None:
    source = """
    class Bot:
        def ask(self):
            return src()

        def run(self):
            sink(self.ask())
    """
    (hit,) = _analyse(source).hits
    (taint,) = hit.taints
    assert taint.via == ("ask", 7)
    assert taint.line == 4


def test_a_sink_inside_a_helper_is_reached_through_its_parameter() -> None:
    source = """
    def execute(code, *, name):
        sink(code)

    def main():
        execute(src(), name="x")
        execute("print(1)", name=src())
    """
    (hit,) = _analyse(source).hits
    assert getattr(hit.node, "lineno", 0) == 3
    assert hit.via == (("execute", 6),)


def test_recursive_helpers_terminate() -> None:
    source = """
    def a(x):
        return b(x)

    def b(x):
        return a(x)

    def main():
        sink(a(src()))
    """
    assert _sink_lines(source) == [9]


def test_a_scope_over_budget_is_reported_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_taint_scope, "SCOPE_STEPS", 50)
    body = "\n".join(f"    x{i} = src() + {i}" for i in range(40))
    analysis = _analyse(f"def big():\n{body}\n    sink(x1)\n")
    assert [getattr(s, "name", "") for s in analysis.incomplete] == ["big"]
    assert analysis.hits == []


@pytest.mark.parametrize("first", ["src()", "y"])
def test_expressions_deeper_than_the_limit_are_flattened_not_crashing(first: str) -> None:
    expression = "+".join([first] + ["'a'"] * 200)
    analysis = _analyse(f"y = src()\nx = {expression}\nsink(x)\n")
    assert len(analysis.hits) == 1


def test_nested_loops_are_bounded() -> None:
    loops = "".join(f"{'    ' * i}for v{i} in items:\n" for i in range(12))
    source = f"x = ''\n{loops}{'    ' * 12}x = x + src()\nsink(x)\n"
    assert len(_analyse(source).hits) == 1


def test_the_resolver_follows_self_attributes_annotations_and_pipes() -> None:
    ctx = ModuleContext.parse(
        textwrap.dedent(
            """
            from openai import OpenAI
            from langchain_openai import ChatOpenAI
            from typing import Optional

            class Bot:
                llm: ChatOpenAI

                def __init__(self):
                    self.client = OpenAI()

                def run(self, other: Optional[OpenAI] = None):
                    self.client
                    self.llm
                    other
                    chain = prompt | self.llm
                    chain
            """
        )
    )
    resolver = Resolver(ctx)
    loads = [n for n in ctx.nodes(ast.Expr) if isinstance(n.value, ast.Attribute | ast.Name)]
    names = [set(resolver.names(n.value)) for n in loads]
    assert names[0] == {"openai.OpenAI()"}
    assert names[1] == {"langchain_openai.ChatOpenAI()"}
    assert names[2] == {"openai.OpenAI()"}
    assert "langchain_openai.ChatOpenAI()" in names[3]


def test_a_function_reads_the_taint_the_module_body_left_in_a_global() -> None:
    source = """
    reply = src()

    def run():
        sink(reply)

    def shadowed(reply):
        sink(reply)
    """
    assert _sink_lines(source) == [5]


def test_a_tainted_self_field_reaches_a_sink_in_another_method() -> None:
    source = """
    class Agent:
        def plan(self):
            self.code = src()
            self.note = "fixed"

        def act(self):
            sink(self.code)
            sink(self.note)

    class Other:
        def act(self):
            sink(self.code)
    """
    assert _sink_lines(source) == [8]


def test_a_helper_that_quotes_its_parameter_sanitises_the_result() -> None:
    source = """
    import shlex

    def quoted(value):
        return shlex.quote(value)

    def maybe(value, flag):
        if flag:
            return shlex.quote(value)
        return value

    def main():
        data = src()
        shell("ls " + quoted(data))
        shell("ls " + maybe(data, True))
        sink(quoted(data))
    """
    assert _sink_lines(source) == [15, 16]


def test_helpers_named_after_a_check_clear_only_the_kind_they_promise() -> None:
    source = """
    def main(tool):
        data = src()
        path = tool.get_relative_path(data)
        page(sanitize_html(data))
        page(unsafe_markup(data))
        sink(validate_path(data))
        sink(path)
        fopen(path)
        fopen(data)
    """
    assert _sink_lines(source) == [6, 7, 8, 10]


def test_statements_nested_past_the_recursion_limit_make_the_scope_incomplete() -> None:
    depth = 95
    body = "".join(f"{'    ' * (i + 1)}if c{i}:\n" for i in range(depth))
    source = f"def deep():\n    x = src()\n{body}{'    ' * (depth + 1)}sink(x)\n"
    ctx = ModuleContext.parse(source)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 120)
    try:
        analysis = analyse(ctx, ToySpec(), all_scopes(ctx))
    finally:
        sys.setrecursionlimit(limit)
    assert [getattr(s, "name", "") for s in analysis.incomplete] == ["deep"]
