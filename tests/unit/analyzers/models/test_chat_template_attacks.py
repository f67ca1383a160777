"""Malicious chat templates: CVE-2024-34359-class SSTI and the ways to hide it.

Every template here is built in code and is never rendered; each test names its
technique. Benign counterparts live in ``test_chat_template_real.py``.
"""

from __future__ import annotations

import pytest

from aiwarden.analyzers.models.chat_template import IssueKind, check_template
from aiwarden.core.severity import Severity

SSTI = IssueKind.SSTI
DYNAMIC = IssueKind.DYNAMIC_ATTRIBUTE

# (technique, template, expected kind of the most severe issue)
CASES: list[tuple[str, str, IssueKind]] = [
    # Published CVE-2024-34359 payloads (llama-cpp-python rendered GGUF templates unsandboxed).
    ("cve-2024-34359 self builtins", "{{ self.__init__.__globals__.__builtins__ }}", SSTI),
    ("subclasses walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}", SSTI),
    ("cycler globals os.popen", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", SSTI),
    ("joiner globals", "{{ joiner.__init__.__globals__ }}", SSTI),
    ("lipsum globals", "{{ lipsum.__globals__['os'].popen('id').read() }}", SSTI),
    ("namespace globals", "{{ namespace.__init__.__globals__.sys.modules.os }}", SSTI),
    ("private template context", "{{ self._TemplateReference__context.cycler }}", SSTI),
    ("flask request gadget", "{{ request.application.__globals__.__builtins__ }}", SSTI),
    # attr() with names hidden by escapes, concatenation, join and variables.
    ("attr hex escapes", "{{ cycler|attr('\\x5f\\x5finit\\x5f\\x5f') }}", SSTI),
    ("attr unicode escapes", "{{ ''|attr('\\u005f\\u005fclass\\u005f\\u005f') }}", SSTI),
    ("attr octal escapes", "{{ ''|attr('\\137\\137class\\137\\137') }}", SSTI),
    ("attr tilde concat", "{{ cycler|attr('__glo' ~ 'bals__') }}", SSTI),
    ("attr plus concat", "{{ cycler|attr('__glo' + 'bals__') }}", SSTI),
    ("attr list join", "{{ cycler|attr(['__', 'globals', '__']|join) }}", SSTI),
    ("attr str.join", "{{ cycler|attr(''.join(['__', 'globals', '__'])) }}", SSTI),
    ("set variable", "{% set x = '__cla' + 'ss__' %}{{ ''|attr(x) }}", SSTI),
    ("set block capture", "{% set n %}__cla{{ 'ss__' }}{% endset %}{{ ''|attr(n) }}", SSTI),
    ("set tuple unpack", "{% set a, b = '__cl', 'ass__' %}{{ ''|attr(a ~ b) }}", SSTI),
    ("with block", "{% with a = '__cl' %}{{ ''|attr(a ~ 'ass__') }}{% endwith %}", SSTI),
    ("percent format filter", "{{ ''|attr('%sclass%s'|format('__', '__')) }}", SSTI),
    ("percent %c from ints", "{{ ''|attr('%c%cclass%c%c'|format(95, 95, 95, 95)) }}", SSTI),
    ("percent operator", "{{ ''|attr('%sclass%s' % ('__', '__')) }}", SSTI),
    ("str.format builds name", "{{ ''|attr('{}class{}'.format('__', '__')) }}", SSTI),
    ("replace filter", "{{ ''|attr('XXclassXX'|replace('X', '_')) }}", SSTI),
    ("str.replace", "{{ ''|attr('XXclassXX'.replace('X', '_')) }}", SSTI),
    ("reverse slice", "{{ ''|attr('__ssalc__'[::-1]) }}", SSTI),
    ("reverse filter", "{{ ''|attr('__ssalc__'|reverse) }}", SSTI),
    ("lower filter", "{{ ''|attr('__CLASS__'|lower) }}", SSTI),
    ("upper method", "{{ ''|attr('__class__'.upper().lower()) }}", SSTI),
    ("split and index", "{{ ''|attr('a,__class__'.split(',')[1]) }}", SSTI),
    ("dict keyword key", "{{ ''|attr(dict(__class__=1)|first) }}", SSTI),
    ("dict literal key", "{{ ''|attr({'__class__': 1}|list|first) }}", SSTI),
    ("macro argument", "{% macro m(a) %}{{ ''|attr(a) }}{% endmacro %}{{ m('__class__') }}", SSTI),
    ("macro default", "{% macro m(a='__class__') %}{{ ''|attr(a) }}{% endmacro %}{{ m() }}", SSTI),
    ("macro output", "{% macro n() %}__class__{% endmacro %}{{ ''|attr(n()) }}", SSTI),
    ("namespace kwarg", "{% set ns = namespace(n='__class__') %}{{ ''|attr(ns.n) }}", SSTI),
    (
        "namespace store in loop",
        "{% set ns = namespace(s='') %}{% for c in ['__', 'class', '__'] %}"
        "{% set ns.s = ns.s ~ c %}{% endfor %}{{ ''|attr(ns.s) }}",
        SSTI,
    ),
    (
        "loop over string chars",
        "{% for c in '_' %}{{ ''|attr(c ~ c ~ 'class' ~ c ~ c) }}{% endfor %}",
        SSTI,
    ),
    # Subscripts fall back to getattr in Jinja.
    ("subscript dunder", "{{ cycler['__init__']['__globals__'] }}", SSTI),
    ("subscript concat", "{{ ''['__cla' ~ 'ss__'] }}", SSTI),
    ("subscript built from data", "{% set k = '__cl' ~ x %}{{ y[k] }}", SSTI),
    # Filters that take attribute paths.
    ("map attribute", "{{ [cycler]|map(attribute='__init__')|list }}", SSTI),
    ("map attr filter", "{{ [cycler]|map('attr', '__init__')|list }}", SSTI),
    ("selectattr", "{{ items|selectattr('__class__') }}", SSTI),
    ("sort dotted attribute", "{{ items|sort(attribute='x.__class__') }}", SSTI),
    ("groupby", "{{ items|groupby('__class__') }}", SSTI),
    # str.format fields walk attributes outside the sandbox.
    ("format-string gadget", "{{ '{0.__class__.__mro__}'.format(x) }}", SSTI),
    ("format_map gadget", "{{ '{a.__globals__}'.format_map(d) }}", SSTI),
    ("format with user string", "{{ messages[0].content.format(cycler) }}", DYNAMIC),
    ("format string attribute", "{{ '{0.name}'.format(cycler) }}", DYNAMIC),
    # Names that cannot be resolved.
    ("attr from message", "{{ ''|attr(messages[0].content) }}", DYNAMIC),
    ("attr from unknown filter", "{{ ''|attr('x'|some_custom_filter) }}", DYNAMIC),
    ("subscript from unknown filter", "{{ ''['x'|some_custom_filter] }}", DYNAMIC),
    ("map computed filter", "{{ items|map(messages[0].role) }}", DYNAMIC),
    ("global object inspection", "{{ cycler.next }}", DYNAMIC),
    ("namespace class inspection", "{{ namespace.thing }}", DYNAMIC),
    ("attr *args", "{{ x|attr(*names) }}", DYNAMIC),
    # Other problems.
    ("include", "{% include 'secrets.txt' %}", IssueKind.LOADER),
    ("import", "{% import 'macros.j2' as m %}", IssueKind.LOADER),
    ("extends", "{% extends 'base.html' %}", IssueKind.LOADER),
    ("string repeat dos", "{{ 'A' * 1000000000 }}", IssueKind.RESOURCE),
    ("power tower dos", "{{ 9 ** 9 ** 9 }}", IssueKind.RESOURCE),
    ("huge range dos", "{% for i in range(10000000000) %}x{% endfor %}", IssueKind.RESOURCE),
    ("huge width dos", "{{ '%999999999s'|format(1) }}", IssueKind.RESOURCE),
    ("center dos", "{{ 'x'|center(999999999) }}", IssueKind.RESOURCE),
    ("syntax error", "{% if %}", IssueKind.UNPARSEABLE),
    ("unclosed block", "{% for m in messages %}{{ m }}", IssueKind.UNPARSEABLE),
    ("deep nesting", "{{" + "(" * 400 + "1" + ")" * 400 + "}}", IssueKind.UNPARSEABLE),
]


@pytest.mark.parametrize(("technique", "source", "kind"), CASES, ids=[c[0] for c in CASES])
def test_attack_is_reported(technique: str, source: str, kind: IssueKind) -> None:
    issues = check_template(source)
    assert issues, technique
    assert issues[0].kind is kind, (technique, issues)
    expected = {SSTI: Severity.CRITICAL, DYNAMIC: Severity.HIGH}.get(kind)
    if expected is not None:
        assert issues[0].severity is expected


def test_resolved_name_is_shown_in_the_message() -> None:
    (issue,) = check_template("{{ ''|attr('__cla' ~ 'ss__') }}")
    assert "`__class__`" in issue.message
    assert issue.line == 1
    assert issue.evidence == "{{ ''|attr('__cla' ~ 'ss__') }}"


def test_issue_line_points_into_the_template() -> None:
    issues = check_template("{{ bos_token }}\n\n{{ x.__class__ }}\n")
    assert [i.line for i in issues] == [3]


def test_oversized_template_fails_closed() -> None:
    issues = check_template("x" * (1024 * 1024 + 1))
    assert [i.kind for i in issues] == [IssueKind.UNPARSEABLE]


@pytest.mark.parametrize(
    "source",
    [
        "{{ messages[loop.index0 - 1].role }}",
        "{{ basic_type_map[json_spec.type] }}",
        "{% for k, v in tool.items() %}{{ k ~ ': ' ~ v|tojson }}{% endfor %}",
        "{{ tools|selectattr('type', 'equalto', 'function')|map(attribute='function')|list }}",
        "{{ (messages|last).content.split('</think>')[-1].lstrip('\\n') }}",
        "{{ '{}'.format(x) }}",
        "{{ x|attr('content') }}",
        "{% set ns = namespace(found=false) %}{% set ns.found = true %}{{ ns.found }}",
        "{% generation %}{{ message.content }}{% endgeneration %}",
        "{% for m in messages %}{% if loop.index > 3 %}{% break %}{% endif %}{% endfor %}",
        "{{ 'x' * 3 }}{{ 2 ** 10 }}{{ range(5)|list }}",
    ],
)
def test_benign_constructs_are_quiet(source: str) -> None:
    assert check_template(source) == []
