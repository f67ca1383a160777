"""The Python source analyzer: parses ``.py`` files and runs every Python checker.

:func:`check_python_source` is the whole analysis of one source text; the notebook
analyzer calls it for code cells. A file that cannot be parsed (a Python 2 script, a
syntax error, nesting deeper than the parser allows) is reported as
``AIW-PY099`` at low severity, so an unanalysed file is visible but does not fail CI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.code._rules_meta import CHECKER_RULES
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Confidence, Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.code import _registry
    from aiwarden.analyzers.code.checker import Checker
    from aiwarden.analyzers.code.issue import CodeIssue
else:  # the checkers (sink tables, patterns) load with the first Python file
    _registry = lazy_import("aiwarden.analyzers.code._registry")

_GATED_MODULES = (
    "aiwarden.analyzers.code._llm_output_flow",
    "aiwarden.analyzers.code._mcp_flow",
    "aiwarden.analyzers.code._prompt_flow",
    "aiwarden.analyzers.code._logged_values",
)
"""What checkers load only once a module passes their cheap test (the taint engine).

Registered here, when the registry loads, so that a forking scan's ``load_deferred``
still imports them once before the fork: the checkers' own modules are imported during
``load_deferred``, too late to add a module to the list it is walking (they take these
stand-ins with ``before_fork=False``, which never adds one).
"""
for _name in _GATED_MODULES:
    lazy_import(_name)

UNPARSEABLE = Rule(
    id=RuleId("AIW-PY099"),
    title="Python source could not be analysed",
    severity=Severity.LOW,
    summary="The file is not valid Python 3 (or nests too deeply), so no Python rule ran on it.",
    help=(
        "aiwarden parses Python with the standard `ast` module of the interpreter it runs "
        "on. A file that does not parse (Python 2 syntax, a syntax error, a generated file "
        "nested deeper than the parser allows) gets no AI-specific code checks at all. "
        "This finding makes that gap visible instead of passing the file silently."
    ),
    remediation=(
        "Fix the syntax error or port the file to Python 3. If the file is not meant to be "
        "Python (a template named `.py`), exclude it with `exclude` in the configuration."
    ),
    guidelines=("DV-1", "DV-1.a", "SD-3", "SD-3.g"),
    cwe=(1164,),
    references=("https://docs.python.org/3/library/ast.html",),
    tags=("code", "python", "fail-closed"),
)


@cache
def _checkers() -> tuple[Checker, ...]:
    return _registry.all_checkers()


def python_rules() -> tuple[Rule, ...]:
    """Every rule the Python checkers can report, plus ``AIW-PY099``.

    Read from :data:`~._rules_meta.CHECKER_RULES`, so listing the rules does not load
    the checkers; a unit test keeps that list equal to the checkers' own ``rules``.
    """
    rules: dict[str, Rule] = {UNPARSEABLE.id: UNPARSEABLE}
    for rule in CHECKER_RULES:
        rules.setdefault(rule.id, rule)
    return tuple(sorted(rules.values(), key=lambda r: r.id))


def check_python_source(source: str, filename: str = "<source>") -> list[CodeIssue]:
    """Every issue the Python checkers find in ``source``, in source order.

    Never raises for bad input: a source that cannot be parsed yields one
    ``AIW-PY099`` issue.
    """
    from aiwarden.analyzers.code.context import ModuleContext  # deferred with the checkers

    try:
        ctx = ModuleContext.parse(source, filename)
    except SyntaxError as exc:
        return [_unparseable(f"not valid Python 3: {exc.msg}", exc.lineno or 1, exc.offset or 1)]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [_unparseable(f"could not be parsed ({type(exc).__name__})", 1, 1)]
    issues: list[CodeIssue] = []
    try:
        for checker in _checkers():
            issues.extend(checker.check(ctx))
    except RecursionError:
        issues.append(_unparseable("expressions are nested too deeply to analyse", 1, 1))
    return sorted(_dedupe(issues), key=lambda i: (i.line, i.column, i.rule.id))


def _dedupe(issues: Iterable[CodeIssue]) -> Iterator[CodeIssue]:
    seen: set[tuple[str, int, int, str]] = set()
    for issue in issues:
        key = (issue.rule.id, issue.line, issue.column, issue.fingerprint_key)
        if key not in seen:
            seen.add(key)
            yield issue


def _unparseable(detail: str, line: int, column: int) -> CodeIssue:
    from aiwarden.analyzers.code.issue import CodeIssue  # deferred with the checkers

    return CodeIssue(
        rule=UNPARSEABLE,
        line=max(line, 1),
        column=max(column, 1),
        message=f"Python source {detail}; no Python rule was applied.",
        evidence=detail,
        fingerprint_key=f"unparseable: {detail}",
        confidence=Confidence.HIGH,
    )


def issue_to_finding(artifact: Artifact, issue: CodeIssue) -> Finding:
    """The :class:`Finding` for ``issue`` located in ``artifact``'s own lines."""
    location = dataclasses.replace(
        artifact.location(issue.line, issue.column),
        end_line=issue.end_line,
        end_column=issue.end_column,
    )
    related = tuple(
        dataclasses.replace(artifact.location(span.line, span.column), label=span.label or None)
        for span in issue.related
    )
    return make_finding(
        issue.rule,
        location,
        issue.message,
        severity=issue.severity,
        confidence=issue.confidence,
        evidence=issue.evidence,
        fingerprint_key=issue.fingerprint_key,
        related=related,
    )


class PythonSourceAnalyzer(Analyzer):
    """Runs the AI-specific Python rules over ``.py`` files."""

    name: ClassVar[str] = "code-python"
    rules: ClassVar[tuple[Rule, ...]] = python_rules()
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.PYTHON})

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact`` (raises ``LimitExceeded`` on huge files)."""
        source = artifact.read_text(limits)
        for issue in check_python_source(source, artifact.relpath):
            yield issue_to_finding(artifact, issue)
