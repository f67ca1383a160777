"""Ground truth of the code-rule corpus: the ``# expect:`` markers and statement units.

A corpus file marks each expected finding with a trailing ``# expect: AIW-PY001`` (several
ids comma-separated) on the line where the offending call starts, and documents tricky
negatives with ``# ok: AIW-PY001``. Only ``expect`` markers are ground truth, plus
``; allow: AIW-PY002`` after an ``expect``: a rule that is true of the line but subsumed
by the expected, more specific one (``pickle.loads(request.data)`` is PY015; reporting it
as PY002 as well is neither a hit nor a false positive, omitting PY002 is no miss).

Tools report different lines for the same defect (Bandit the call, Ruff the argument,
aiwarden perhaps a keyword on a continuation line), so every reported and expected line
is mapped to its *unit* before comparison: the smallest statement that contains it,
where a compound statement contributes only its header, and a function's decorators,
``def`` line and docstring form one unit (MCP tool descriptions live in either).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

EXPECT = re.compile(r"#\s*expect:\s*(?P<ids>AIW-PY\d{3}(?:\s*,\s*AIW-PY\d{3})*)")
ALLOW = re.compile(r";\s*allow:\s*(?P<ids>AIW-PY\d{3}(?:\s*,\s*AIW-PY\d{3})*)")
OK = re.compile(r"#\s*ok:\s*(?P<ids>AIW-PY\d{3}(?:\s*,\s*AIW-PY\d{3})*)")
RULE_ID = re.compile(r"AIW-PY\d{3}")

Key = tuple[str, int, str]
"""(path relative to the corpus, unit start line, rule id)."""


@dataclass(frozen=True)
class Span:
    """Lines ``first..last`` (inclusive) that belong to one unit starting at ``start``."""

    first: int
    last: int
    start: int

    @property
    def size(self) -> int:
        """Number of lines covered."""
        return self.last - self.first + 1


@dataclass
class UnitIndex:
    """Maps any line of one file to the start line of its unit."""

    spans: list[Span]

    def unit(self, line: int) -> int:
        """Start line of the smallest unit containing ``line`` (the line itself if none)."""
        best: Span | None = None
        for span in self.spans:
            if span.first <= line <= span.last and (best is None or span.size < best.size):
                best = span
        return best.start if best is not None else line


def _header_span(node: ast.stmt, body: list[ast.stmt]) -> tuple[int, int]:
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    last = max(node.lineno, body[0].lineno - 1) if body else node.end_lineno or node.lineno
    return first, last


def _docstring_end(node: ast.stmt) -> int | None:
    body = getattr(node, "body", [])
    is_def = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    if not (is_def and body and isinstance(body[0], ast.Expr)):
        return None
    value = body[0].value
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return body[0].end_lineno
    return None


def _spans(tree: ast.Module) -> list[Span]:
    spans: list[Span] = []
    docstrings = {
        id(node.body[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and _docstring_end(node)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or id(node) in docstrings:
            continue
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            first, last = _header_span(node, body)
            doc_end = _docstring_end(node)
            spans.append(Span(first, doc_end if doc_end is not None else last, first))
        else:
            spans.append(Span(node.lineno, node.end_lineno or node.lineno, node.lineno))
    return spans


def unit_index(source: str) -> UnitIndex:
    """The unit index of one Python source (it must parse)."""
    return UnitIndex(_spans(ast.parse(source)))


@dataclass
class Corpus:
    """Expected findings and unit indexes of every corpus file."""

    root: Path
    expected: set[Key] = field(default_factory=set)
    allowed: set[Key] = field(default_factory=set)
    documented_ok: set[Key] = field(default_factory=set)
    units: dict[str, UnitIndex] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def key(self, path: str, line: int, rule: str) -> Key:
        """The normalised key of a finding at ``path:line`` (path relative to the root)."""
        index = self.units.get(path)
        return (path, index.unit(line) if index else line, rule)


def _markers(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.search(line)
        if match:
            found.extend((number, rule) for rule in RULE_ID.findall(match.group("ids")))
    return found


def load_corpus(root: Path) -> Corpus:
    """Read every ``*.py`` under ``root``: its markers and unit index."""
    corpus = Corpus(root)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        corpus.lines[rel] = len(text.splitlines())
        corpus.units[rel] = unit_index(text)
        for line, rule in _markers(EXPECT, text):
            key = corpus.key(rel, line, rule)
            if key in corpus.expected:
                corpus.problems.append(f"{rel}:{line}: second {rule} marker in one statement")
            corpus.expected.add(key)
        for line, rule in _markers(ALLOW, text):
            corpus.allowed.add(corpus.key(rel, line, rule))
        for line, rule in _markers(OK, text):
            corpus.documented_ok.add(corpus.key(rel, line, rule))
    return corpus
