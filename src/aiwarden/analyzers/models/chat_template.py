"""The chat-template checker and the analyzer for tokenizer configurations and ``.jinja`` templates.

:func:`check_template` parses a Jinja chat template into an AST with Jinja's own parser
(never compiling or rendering it) and reports the issues of
:mod:`~aiwarden.analyzers.models._template_checks` (through
:mod:`~aiwarden.analyzers.models._template_engine`, imported on first use).
:class:`ChatTemplateAnalyzer` applies it to the ``chat_template`` of
``tokenizer_config.json`` / ``chat_template.json`` / ``processor_config.json`` (a string,
or a list of ``{"name", "template"}``) and to ``chat_template*.jinja`` files. The GGUF
analyzer applies it to ``tokenizer.chat_template*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.models._template_issue import IssueKind, TemplateIssue, severity_of
from aiwarden.analyzers.models._template_rules import (
    ATLAS,
    GUIDELINES,
    HF_TEMPLATES,
    OWASP,
    TemplateRules,
    template_rules,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _template_config as template_config
else:  # loaded with the first tokenizer configuration, not by every scan's registry
    template_config = lazy_import("aiwarden.analyzers.models._template_config")

__all__ = [
    "ChatTemplateAnalyzer",
    "IssueKind",
    "TemplateIssue",
    "check_template",
    "fixed_location",
    "template_findings",
]

MAX_TEMPLATE_CHARS = 1024 * 1024
"""Largest template analysed (real ones are a few KiB; the biggest about 50 KiB)."""
MAX_NODES = 60_000
"""Most AST nodes analysed."""

CONFIG_NAMES = frozenset({"tokenizer_config.json", "chat_template.json", "processor_config.json"})
_JINJA_SUFFIXES = (".jinja", ".jinja2", ".j2")


CACHED_CHARS = 64 * 1024
"""Templates up to this size that parsed have their issues remembered, by text, for the
rest of the process: every quantisation of a GGUF model and its ``tokenizer_config.json``
carry the same template. The issues depend on the text alone (the size cap is checked
first, on every call); a template that could not be parsed is always parsed again."""
_CACHED_TEMPLATES = 128
_CHECKED: dict[str, tuple[TemplateIssue, ...]] = {}


def check_template(source: str, limits: Limits | None = None) -> list[TemplateIssue]:
    """Parse ``source`` as a Jinja chat template and return its security issues.

    Never renders or compiles the template. A template that cannot be parsed or exceeds
    a size/nesting bound yields an :attr:`IssueKind.UNPARSEABLE` issue (fail closed).
    """
    cap = MAX_TEMPLATE_CHARS if limits is None else min(MAX_TEMPLATE_CHARS, limits.max_text_bytes)
    if len(source) > cap:
        return [_unparseable(f"Template is {len(source)} characters, over the {cap} analysed.")]
    known = _CHECKED.get(source)
    if known is not None:
        return list(known)
    issues = _check(source)
    if len(source) <= CACHED_CHARS and all(i.kind is not IssueKind.UNPARSEABLE for i in issues):
        if len(_CHECKED) >= _CACHED_TEMPLATES:
            del _CHECKED[next(iter(_CHECKED))]
        _CHECKED[source] = tuple(issues)
    return issues


def _check(source: str) -> list[TemplateIssue]:
    from aiwarden.analyzers.models import _template_engine as engine  # loads Jinja's parser

    try:
        template = engine.parse(source)
    except RecursionError:
        return [_unparseable("Template is nested too deeply to parse.")]
    except Exception as exc:  # hostile text may make Jinja's parser raise anything
        line = getattr(exc, "lineno", None)
        detail = str(getattr(exc, "message", None) or exc)[:200]
        return [_unparseable(f"Template is not valid Jinja: {detail}.", line)]
    try:
        issues = engine.analyse(template, MAX_NODES, _unparseable)
    except RecursionError:
        issues = [_unparseable("Template is nested too deeply to analyse.")]
    return _with_evidence(_dedupe(issues), source)


def _unparseable(message: str, line: int | None = None) -> TemplateIssue:
    kind = IssueKind.UNPARSEABLE
    return TemplateIssue(kind, severity_of(kind), message, line=line if line and line > 0 else None)


def _dedupe(issues: list[TemplateIssue]) -> list[TemplateIssue]:
    seen: dict[tuple[IssueKind, str, int | None], TemplateIssue] = {}
    for issue in issues:
        seen.setdefault((issue.kind, issue.message, issue.line), issue)
    return sorted(seen.values(), key=lambda i: (-i.severity.rank, i.line or 0, i.message))


def _with_evidence(issues: list[TemplateIssue], source: str) -> list[TemplateIssue]:
    lines = source.splitlines()
    out: list[TemplateIssue] = []
    for issue in issues:
        evidence = None
        if issue.line is not None and 0 < issue.line <= len(lines):
            evidence = lines[issue.line - 1].strip()[:200] or None
        out.append(TemplateIssue(issue.kind, issue.severity, issue.message, issue.line, evidence))
    return out


# --- findings ---------------------------------------------------------------------------


def template_findings(
    rules: TemplateRules,
    issues: Iterable[TemplateIssue],
    locate: Callable[[TemplateIssue], Location],
    context: str,
) -> Iterator[Finding]:
    """Findings for ``issues`` of the template described by ``context``, placed by ``locate``."""
    for issue in issues:
        where = f" (template line {issue.line})" if issue.line else ""
        yield make_finding(
            rules.for_kind(issue.kind),
            locate(issue),
            f"{context}{where}: {issue.message}",
            severity=issue.severity,
            evidence=issue.evidence,
            fingerprint_key=f"{context}: {issue.kind.value}: {issue.message}",
        )


RULES = template_rules(601, "a tokenizer configuration")

CONFIG_INVALID = Rule(
    id=RuleId("AIW-MOD606"),
    title="Tokenizer configuration with a chat template could not be parsed",
    severity=Severity.HIGH,
    summary="The tokenizer/chat-template configuration is not valid JSON or has an odd shape.",
    help=(
        "`tokenizer_config.json`, `chat_template.json` and `processor_config.json` carry "
        "the chat template that every prompt is formatted with. This file is not valid "
        "UTF-8 JSON, holds duplicate `chat_template` keys (different parsers keep "
        "different ones), or its `chat_template` is neither a string nor a list of "
        "`{name, template}` objects, so its template could not be checked."
    ),
    remediation="Re-download the file from the model's publisher and compare it with the original.",
    guidelines=GUIDELINES,
    cwe=(20, 1336),
    owasp_llm=OWASP,
    atlas=ATLAS,
    references=(HF_TEMPLATES,),
    tags=("model", "chat-template", "fail-closed"),
)


class ChatTemplateAnalyzer(Analyzer):
    """Checks chat templates in tokenizer configurations and ``chat_template*.jinja`` files."""

    name: ClassVar[str] = "model-chat-template"
    rules: ClassVar[tuple[Rule, ...]] = (*RULES.all, CONFIG_INVALID)
    formats: ClassVar[frozenset[FileFormat]] = frozenset(
        {FileFormat.JSON, FileFormat.TEXT, FileFormat.BINARY, FileFormat.EMPTY}
    )

    def preload(self, names: Sequence[str]) -> None:
        """Load Jinja's parser before the workers fork when templates or GGUF files are likely."""
        if any(n in CONFIG_NAMES or n.lower().endswith((*_JINJA_SUFFIXES, ".gguf")) for n in names):
            from aiwarden.analyzers.models import _template_engine  # noqa: F401

    def accepts(self, artifact: Artifact) -> bool:
        """Tokenizer/chat-template JSON by name, and ``*.jinja`` files that are chat templates."""
        if artifact.format not in self.formats:
            return False
        return _is_config(artifact) or _is_jinja_template(artifact)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        raw = artifact.read_bytes(limits.max_text_bytes)
        if _is_config(artifact):
            yield from _config_findings(artifact, raw, limits)
            return
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield make_finding(
                RULES.unparseable,
                artifact.location(offset=exc.start),
                f"Chat template `{artifact.name}` is not valid UTF-8 text.",
                fingerprint_key="template: invalid utf-8",
            )
            source = raw.decode("utf-8", errors="replace")
        issues = check_template(source, limits)
        yield from template_findings(
            RULES, issues, lambda i: artifact.location(line=i.line), "Chat template"
        )


def _config_findings(artifact: Artifact, raw: bytes, limits: Limits) -> Iterator[Finding]:
    templates, problems = template_config.extract_templates(raw)
    for problem in problems:
        yield make_finding(
            CONFIG_INVALID,
            artifact.location(line=problem.line, column=problem.column),
            f"`{artifact.name}`: {problem.message}.",
            fingerprint_key=f"config: {problem.message}",
        )
    for found in templates:
        context = f"`{artifact.name}` {found.label}"
        issues = check_template(found.source, limits)
        where = artifact.location(line=found.line)
        yield from template_findings(RULES, issues, fixed_location(where), context)


def fixed_location(location: Location) -> Callable[[TemplateIssue], Location]:
    """A locator that puts every issue at ``location``."""

    def locate(_issue: TemplateIssue) -> Location:
        return location

    return locate


def _is_config(artifact: Artifact) -> bool:
    return artifact.name.lower() in CONFIG_NAMES


def _is_jinja_template(artifact: Artifact) -> bool:
    name = artifact.name.lower()
    if not name.endswith(_JINJA_SUFFIXES):
        return False
    parents = PurePosixPath(artifact.relpath.replace("!", "/")).parts[:-1]
    return "chat" in name or "additional_chat_templates" in parents
