"""The light Jinja parser (``_jinja_parse``) against the real sandboxed environment.

``_jinja_parse`` loads jinja2's lexer and parser under a private package name and drives
them with a minimal environment. These tests pin that it builds the very same tree (node
types, fields, line numbers) as ``ImmutableSandboxedEnvironment.parse`` with the settings
the checker always used, or raises the same error (type, message, line), on every
template the other tests use, the benchmark corpus' templates, hand-written edge cases
and generated ones; that it leaves ``jinja2`` out of ``sys.modules``; and that the
checker falls back to the real environment, with the same issues, when the light path
cannot be loaded.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import nodes as real_nodes
from jinja2.ext import Extension, do, loopcontrols
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment
from test_chat_template_real import ALL

from aiwarden.analyzers.models import _jinja_parse
from aiwarden.analyzers.models.chat_template import check_template

REPO = Path(__file__).resolve().parents[4]


class _Generation(Extension):
    """transformers' ``{% generation %}`` block, as transformers registers it."""

    tags = {"generation"}  # noqa: RUF012 - jinja2's Extension API declares it this way

    def parse(self, parser: Parser) -> real_nodes.Node:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return real_nodes.Scope(body, lineno=lineno)


REAL = ImmutableSandboxedEnvironment(
    trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols, do, _Generation]
)


# --- comparing outcomes -------------------------------------------------------------------


def _dump(value: Any) -> Any:
    """Node type names, line numbers and fields, recursively; classes' modules left out."""
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if hasattr(value, "iter_fields") and hasattr(value, "lineno"):
        fields = [(name, _dump(v)) for name, v in value.iter_fields()]
        return (type(value).__name__, value.lineno, fields)
    return (type(value).__name__, repr(value))


def _outcome(parse: Callable[[str], Any], source: str) -> tuple[Any, ...]:
    try:
        tree = parse(source)
    except RecursionError:
        return ("RecursionError",)
    except Exception as exc:
        return (
            "error",
            type(exc).__name__,
            getattr(exc, "message", None),
            getattr(exc, "lineno", None),
            str(exc),
            getattr(exc, "source", None) == source,
        )
    return ("tree", type(tree).__name__, _dump(tree))


def _assert_same(source: str) -> None:
    light = _outcome(_jinja_parse.parse, source)
    real = _outcome(REAL.parse, source)
    assert light == real, source


# --- inputs -------------------------------------------------------------------------------

_MARKERS = ("{{", "{%", "{#", "}}", "%}")


def _string_constants(path: Path) -> Iterator[str]:
    """Every string literal in a Python file that looks like Jinja (adjacent parts joined)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and any(m in text for m in _MARKERS):
            yield text


def _strings(value: object) -> Iterator[str]:
    """Strings held in a module attribute, through dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _corpus_templates() -> list[str]:
    path = REPO / "benchmarks" / "corpus" / "templates.py"
    spec = importlib.util.spec_from_file_location("_aiw_corpus_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [s for value in vars(module).values() for s in _strings(value)]
    return [s for s in found if any(m in s for m in _MARKERS)]


_HERE = Path(__file__).resolve().parent
_SOURCES = [
    *sorted(_HERE.glob("test_chat_template_*.py")),
    _HERE / "test_gguf_file.py",
    REPO / "tests" / "fuzz" / "fuzz_seeds.py",
    REPO / "benchmarks" / "corpus" / "templates.py",
]

EDGE_CASES = [
    "",
    "plain text, no tags",
    "\n",
    "trailing newline\n",
    "two trailing newlines\n\n",
    "{{ x }}\n",
    "  {% if x %}\n  y\n  {% endif %}\n",
    "a\n    {%- if x -%}\n  b  \n{%- endif %}\n c",
    "{%+ if x %}kept{% endif +%}\nnext",
    "line1\n{# a comment\nover lines #}\nline4 {{ y }}",
    "{#- trimmed -#}  x",
    "{% raw %}{{ not parsed }}{% if %}{% endraw %}",
    "  {%- raw -%}  {{ x }}  {%- endraw -%}  ",
    "{% raw %}unterminated",
    "{% for m in messages %}{% if m.role == 'x' %}{% break %}{% endif %}"
    "{% if loop.first %}{% continue %}{% endif %}{{ m.content }}{% endfor %}",
    "{% for a, b in items if a recursive %}{{ loop(b) }}{% else %}none{% endfor %}",
    "{% do ns.update({'a': 1}) %}{% do a, b %}{% do x|f %}",
    "{% do %}",
    "{% break %}",
    "{% generation %}\n{{ x }}\n{% endgeneration %}",
    "{% generation %}{% for m in ms %}{% generation %}{% endgeneration %}{% endfor %}",
    "{% generation %}never closed",
    "{% generation x %}{% endgeneration %}",
    "{% endgeneration %}",
    "{% macro m(a, b=1, *c) %}{{ caller(a) }}{% endmacro %}"
    "{% call(x) m(1, b=2) %}{{ x }}{% endcall %}",
    "{% macro m(a=1, b) %}{% endmacro %}",
    "{% filter upper | trim %}text{% endfilter %}",
    "{% set a = 1 %}{% set a, b = 1, 2 %}{% set ns.x = 3 %}{% set c %}t{% endset %}"
    "{% set d | upper %}u{% endset %}",
    "{% set ns = namespace(a=1, b=[1, 2]) %}{% set ns.a = ns.a + 1 %}{{ ns.a }}",
    "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}",
    "{% include 'x' ignore missing with context %}{% import 'y' as z %}"
    "{% from 'f' import a as b, c without context %}",
    "{% extends 'base' %}{% block body scoped required %}{% endblock body %}",
    "{% autoescape true %}{{ x }}{% endautoescape %}",
    "{{ x is defined and y is not none or z is sameas false }}",
    "{{ a if b else c }}{{ -x ** 2 }}{{ 1 // 2 % 3 * 4 / 5 - 6 + 7 }}{{ 'a' ~ b ~ 3 }}",
    "{{ a.b[c]['d'](e, *f, g=h, **i)|j(k)|l }}{{ x[1:2:3] }}{{ x[::-1] }}",
    "{{ {'a': 1, 'b': [1, 2.5e3, 0x1F, 0o7, 0b1, 1_000]}|tojson }}",
    "{{ (1, 2) }}{{ () }}{{ (1,) }}{{ [] }}{{ {} }}",
    "{{ 'single' \"double\" 'esc\\'aped' '\\x5f\\u005f' }}",
    "{{ true }}{{ True }}{{ none }}{{ None }}{{ false }}",
    "{{ 1 < 2 <= 3 == 3 != 4 > 0 >= 0 in [0] not in [] }}",
    "{{ self._TemplateReference__context }}",
    "{% print x %}",
    "{% unknowntag %}",
    "{% endfor %}",
    "{% for %}",
    "{% if x %}{% endfor %}",
    "{% if x %}{% for y in z %}{% endif %}",
    "{% if x %}unterminated",
    "{% for x in y %}",
    "{{ unclosed",
    "{% unclosed",
    "{# unclosed",
    "{{ 'unterminated string }}",
    "{{ x + }}",
    "{{ x )) }}",
    "{{ }}",
    "{% set 1 = 2 %}",
    "{% set ns.a %}x{% endset %}",
    "{% macro %}",
    "{% macro m(1) %}{% endmacro %}",
    "{{ x|attr('__class__') }}",
    "{{ x|1 }}",
    "{{ x is 1 }}",
    "{% elif x %}",
    "{% else %}",
    "{% break x %}",
    "{% continue %}\n\n{% bogus %}",
    "line1\nline2\n{{ x + }}",
    "a\r\nb\r\n{% if x %}\r\n{{ y }}\r\n{% endif %}\r\n",
    "{{ 99999999999999999999999999999 }}{{ 1.5e300 }}",
    "{{ '\N{LATIN SMALL LETTER A}' }}{{ ünïcode }}",
    "{% for i in range(3) %}{{ i }}{% endfor %}{{ cycler.__init__.__globals__ }}",
    "\t{% if a %}\t\n\t{% endif %}\t",
    "{%- if a -%}\n\n{%- endif -%}\n",
    "{{- x -}}\n   {{- y }}  {{ z -}}   w",
]

_FRAGMENTS = [
    "{{ x }}", "{{- x -}}", "{{ m['content'] | trim }}", "{{ a.b(c) }}", "{{ 'a' ~ b }}",
    "{% if x %}", "{% elif y %}", "{% else %}", "{% endif %}", "{%- if x -%}",
    "{% for m in messages %}", "{% endfor %}", "{% break %}", "{% continue %}",
    "{% set a = 1 %}", "{% set b %}", "{% endset %}", "{% do a.append(1) %}",
    "{% generation %}", "{% endgeneration %}", "{% macro f(a) %}", "{% endmacro %}",
    "{% call f(1) %}", "{% endcall %}", "{% filter upper %}", "{% endfilter %}",
    "{% raw %}", "{% endraw %}", "{# c #}", "{#- c -#}", "{% with a = 1 %}", "{% endwith %}",
    "{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "\n", "  ", "\t", "\r\n", "'", '"',
    "(", ")", "[", "]", "|", ".", "~", "=", ",", "x", "__class__", "{% bogus %}",
]  # fmt: skip


def _inputs() -> list[str]:
    found: dict[str, None] = {}
    for path in _SOURCES:
        found.update(dict.fromkeys(_string_constants(path)))
    found.update(dict.fromkeys(_corpus_templates()))
    found.update(dict.fromkeys(ALL.values()))
    found.update(dict.fromkeys(EDGE_CASES))
    return list(found)


INPUTS = _inputs()


# --- the differential tests ---------------------------------------------------------------


def test_the_inputs_cover_the_other_tests_and_the_corpus() -> None:
    """The harvest found the real templates, the corpus' and many test strings."""
    assert set(ALL.values()) <= set(INPUTS)
    assert set(_corpus_templates()) <= set(INPUTS)
    assert len(INPUTS) > 150


@pytest.mark.parametrize("source", INPUTS, ids=range(len(INPUTS)))
def test_light_parse_matches_the_sandboxed_environment(source: str) -> None:
    _assert_same(source)


def test_both_trees_and_errors_occur_among_the_inputs() -> None:
    """The comparison covers successful parses and syntax errors alike."""
    kinds = {_outcome(_jinja_parse.parse, s)[0] for s in INPUTS}
    assert kinds == {"tree", "error"}


def test_a_syntax_error_is_reported_like_jinjas() -> None:
    message = "unexpected 'end of print statement'"
    outcome = _outcome(_jinja_parse.parse, "line1\n{% if x %}\n{{ y + }}")
    assert outcome == ("error", "TemplateSyntaxError", message, 3, message, True)


_TEXT = st.text(alphabet="{}%#-+ \n\tax'\"()|.~=,_1", max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), _TEXT), max_size=14))
def test_generated_templates_match(parts: list[str]) -> None:
    _assert_same("".join(parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(sorted(ALL.values())),
    cut=st.integers(min_value=0, max_value=5000),
    noise=st.lists(st.sampled_from(_FRAGMENTS), max_size=6),
)
def test_cut_real_templates_match(base: str, cut: int, noise: list[str]) -> None:
    at = cut % (len(base) + 1)
    _assert_same(base[:at] + "".join(noise) + base[at:])


def test_deep_nesting_fails_the_same_way() -> None:
    deep = "{{ " + "(" * 2000 + "x" + ")" * 2000 + " }}"
    assert _outcome(_jinja_parse.parse, deep) == _outcome(REAL.parse, deep) == ("RecursionError",)


def _deepest(parse: Callable[[str], Any], nest: Callable[[int], str]) -> int:
    """The deepest nesting ``parse`` handles before the recursion limit (binary search)."""
    low, high = 1, 3000
    while low < high:
        mid = (low + high + 1) // 2
        try:
            parse(nest(mid))
        except RecursionError:
            high = mid - 1
        else:
            low = mid
    return low


@pytest.mark.parametrize(
    "nest",
    [
        lambda n: "{{ " + "(" * n + "x" + ")" * n + " }}",
        lambda n: "{% if a %}" * n + "{% endif %}" * n,
        lambda n: "{% generation %}" * n + "{% endgeneration %}" * n,
    ],
    ids=["parentheses", "if blocks", "generation blocks"],
)
def test_the_recursion_limit_is_reached_at_the_same_depth(nest: Callable[[int], str]) -> None:
    """Same call depth as ``Environment.parse``: a template on the edge fails on both or none."""
    assert _deepest(_jinja_parse.parse, nest) == _deepest(REAL.parse, nest) < 3000


# --- sys.modules and the fallback ---------------------------------------------------------

_CASES = [
    "{% for m in messages %}{{ m['content'] }}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% set n = '__glo' ~ 'bals__' %}{{ cycler.__init__|attr(n) }}",
    "{% do x.append(1) %}{% generation %}{{ y }}{% endgeneration %}",
    "{% for x in y %}{% break %}{% endfor %}{{ ''|attr('%sclass%s'|format('__', '__')) }}",
    "line\n{% if %}",
    "{% unknowntag %}",
    "{{ 'unterminated }}",
    *sorted(ALL.values())[:3],
]

_REPORT = """
import json, sys
from aiwarden.analyzers.models import _jinja_parse
from aiwarden.analyzers.models.chat_template import check_template
issues = [
    [[i.kind.value, i.severity.value, i.message, i.line, i.evidence] for i in check_template(s)]
    for s in json.loads(sys.argv[1])
]
print(json.dumps({
    "issues": issues,
    "nodes": _jinja_parse.nodes.__name__,
    "jinja2": sorted(n for n in sys.modules if n == "jinja2" or n.startswith("jinja2.")),
    "alias": sorted(n for n in sys.modules if n.startswith(_jinja_parse.ALIAS)),
}))
"""


def _run(preamble: str) -> dict[str, Any]:
    code = textwrap.dedent(preamble) + _REPORT
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(_CASES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _issues_here() -> list[list[object]]:
    return [
        [[i.kind.value, i.severity.value, i.message, i.line, i.evidence] for i in check_template(s)]
        for s in _CASES
    ]


def test_the_light_path_leaves_jinja2_out_of_sys_modules() -> None:
    report = _run("")
    assert report["nodes"] == f"{_jinja_parse.ALIAS}.nodes"
    assert report["jinja2"] == []
    assert f"{_jinja_parse.ALIAS}.parser" in report["alias"]
    assert report["issues"] == _issues_here()


def test_the_real_jinja2_imported_afterwards_is_the_normal_package() -> None:
    code = textwrap.dedent(
        """
        from aiwarden.analyzers.models import _jinja_parse
        _jinja_parse.parse("{{ x }}")
        import jinja2, jinja2.nodes
        assert jinja2.nodes.__name__ == "jinja2.nodes", jinja2.nodes.__name__
        assert jinja2.nodes.Template is not _jinja_parse.nodes.Template
        assert jinja2.Environment().parse("{{ x }}").body
        assert isinstance(_jinja_parse.parse("{{ x }}"), _jinja_parse.nodes.Template)
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


# A jinja2 whose layout the light loader does not know: a submodule that will not import,
# or one that lacks a name the loader needs.
_BROKEN = {
    "import error": f"""
        import importlib.abc, sys
        class Refuse(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name.startswith("{_jinja_parse.ALIAS}."):
                    raise ImportError("no such layout")
        sys.meta_path.insert(0, Refuse())
        """,
    "missing name": f"""
        import sys, types
        sys.modules["{_jinja_parse.ALIAS}.parser"] = types.ModuleType("parser")
        """,
}


@pytest.mark.parametrize("how", sorted(_BROKEN))
def test_the_checker_falls_back_to_the_real_environment(how: str) -> None:
    report = _run(_BROKEN[how])
    assert report["nodes"] == "jinja2.nodes"
    assert report["alias"] == []
    assert report["issues"] == _issues_here()


def test_load_falls_back_when_the_light_loader_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process: a failing light loader gives jinja2's own nodes and the sandbox's parse."""
    saved = {n: m for n, m in sys.modules.items() if n.startswith(_jinja_parse.ALIAS)}

    def broken() -> None:
        raise AttributeError("module has no attribute 'get_lexer'")

    monkeypatch.setattr(_jinja_parse, "_load_light", broken)
    try:
        nodes_module, parse = _jinja_parse.load()
        assert not any(n.startswith(_jinja_parse.ALIAS) for n in sys.modules)
    finally:
        sys.modules.update(saved)
    assert nodes_module is real_nodes
    for source in _CASES:
        assert _outcome(parse, source) == _outcome(_jinja_parse.parse, source)
