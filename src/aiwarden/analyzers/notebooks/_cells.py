"""The checks on one cell: Python rules, installs, secrets, outputs and metadata."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.python_source import UNPARSEABLE, check_python_source
from aiwarden.analyzers.notebooks._installs import install_problems, redact_command
from aiwarden.analyzers.notebooks._locate import Locator
from aiwarden.analyzers.notebooks._magics import clean_cell
from aiwarden.analyzers.notebooks._metadata import metadata_issues
from aiwarden.analyzers.notebooks._model import Cell, Output
from aiwarden.analyzers.notebooks.rules import (
    ACTIVE_OUTPUT,
    PERSONAL_DATA,
    SENSITIVE_METADATA,
    UNPINNED_INSTALL,
)
from aiwarden.analyzers.secrets.analyzer import secret_finding
from aiwarden.analyzers.secrets.pii import find_pii
from aiwarden.analyzers.secrets.scanner import find_secrets
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.location import Location

_BINARY_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf")
_ACTIVE_HTML = re.compile(r"<script\b|javascript:|\son[a-z]{3,20}\s*=", re.IGNORECASE)
_MAX_DUMP = 2 * 1024 * 1024


@dataclass(slots=True)
class Unparseable:
    """The first code cell that did not parse, and how many did not."""

    count: int = 0
    first: Finding | None = None


@dataclass(slots=True)
class CellContext:
    """What the per-cell checks share for one notebook."""

    locator: Locator
    unparseable: Unparseable = field(default_factory=Unparseable)


def cell_findings(ctx: CellContext, cell: Cell) -> Iterator[Finding]:
    """Every finding for one cell."""
    if cell.cell_type == "code":
        yield from _code(ctx, cell)
    yield from _source_secrets(ctx, cell)
    for output in cell.outputs:
        yield from _output_findings(ctx, cell, output)
    if cell.metadata:
        yield from metadata_findings(ctx.locator, cell.metadata, (*cell.path, "metadata"), cell)


def _code(ctx: CellContext, cell: Cell) -> Iterator[Finding]:
    number = cell.index + 1
    clean = clean_cell(cell.source)
    if clean.python is not None:
        for issue in check_python_source(
            clean.python, f"{ctx.locator.artifact.relpath}#cell{number}"
        ):
            if issue.rule.id == UNPARSEABLE.id:
                _note_unparseable(ctx, cell, issue)
            else:
                yield _code_finding(ctx.locator, cell, issue)
    for line, command in clean.commands:
        problems = install_problems(command)
        if problems:
            shown = redact_command(command)
            yield make_finding(
                UNPINNED_INSTALL,
                ctx.locator.in_source(cell, line),
                f"Cell {number}, line {line}: `{shown[:160]}` {'; '.join(problems)}.",
                evidence=shown,
                fingerprint_key=f"{cell.key}:install:{' '.join(shown.split())}",
            )


def _code_finding(locator: Locator, cell: Cell, issue: CodeIssue) -> Finding:
    location = locator.in_source(cell, issue.line, issue.column)
    if issue.end_line is not None and location.line is not None:
        end = locator.in_source(cell, issue.end_line, issue.end_column)
        if end.line is not None and end.line >= location.line:
            location = dataclasses.replace(location, end_line=end.line)
    related = tuple(
        dataclasses.replace(
            locator.in_source(cell, span.line, span.column), label=span.label or None
        )
        for span in issue.related
    )
    return make_finding(
        issue.rule,
        location,
        f"Cell {cell.index + 1}, line {issue.line}: {issue.message}",
        severity=issue.severity,
        confidence=issue.confidence,
        evidence=issue.evidence,
        fingerprint_key=f"{cell.key}:{issue.fingerprint_key}",
        related=related,
    )


def _note_unparseable(ctx: CellContext, cell: Cell, issue: CodeIssue) -> None:
    ctx.unparseable.count += 1
    if ctx.unparseable.first is None:
        ctx.unparseable.first = make_finding(
            issue.rule,
            ctx.locator.in_source(cell, issue.line, issue.column),
            f"Cell {cell.index + 1}, line {issue.line}: {issue.message}",
            confidence=issue.confidence,
            evidence=issue.evidence,
            fingerprint_key="notebook:unparseable-cells",
        )


def _source_secrets(ctx: CellContext, cell: Cell) -> Iterator[Finding]:
    for match in find_secrets(cell.source):
        yield secret_finding(
            match,
            ctx.locator.in_source(cell, match.line, match.column),
            prefix=f"Cell {cell.index + 1}, line {match.line}: ",
            key_prefix=f"{cell.key}:source:",
        )


def _output_findings(ctx: CellContext, cell: Cell, output: Output) -> Iterator[Finding]:
    where = f"Cell {cell.index + 1}, output {output.index + 1}"
    location = ctx.locator.at_path(output.path)
    for label, text in output.texts:
        if label.startswith(_BINARY_MIMES):
            continue
        for match in find_secrets(text):
            yield secret_finding(
                match, location, prefix=f"{where} ({label}): ", key_prefix=f"{cell.key}:output:"
            )
        for pii in find_pii(text):
            yield make_finding(
                PERSONAL_DATA,
                location,
                f"{where} ({label}): saved output shows a {pii.kind} ({pii.evidence}).",
                evidence=pii.evidence,
                fingerprint_key=f"{cell.key}:{pii.fingerprint_key}",
            )
    active = _active_content(output)
    if active:
        yield make_finding(
            ACTIVE_OUTPUT,
            location,
            f"{where}: saved output carries {active}; it runs when the notebook is rendered.",
            evidence=active,
            fingerprint_key=f"{cell.key}:active:{active}",
        )


def _active_content(output: Output) -> str | None:
    for label, text in output.texts:
        if label == "application/javascript":
            return "an application/javascript output"
        if label == "text/html":
            match = _ACTIVE_HTML.search(text)
            if match:
                return f"script in text/html (`{match.group().strip()[:20]}`)"
    return None


def metadata_findings(
    locator: Locator, metadata: object, path: tuple[str | int, ...], cell: Cell | None
) -> Iterator[Finding]:
    """``AIW-SEC`` and ``AIW-NB005`` findings for a notebook or cell metadata object."""
    location: Location = locator.at_path(path)
    where = f"Cell {cell.index + 1} metadata" if cell else "Notebook metadata"
    key = f"{cell.key}:metadata" if cell else "notebook:metadata"
    try:
        dumped = json.dumps(metadata, indent=1, ensure_ascii=False)[:_MAX_DUMP]
    except (TypeError, ValueError, RecursionError):
        dumped = ""
    reported: set[str] = set()
    for match in find_secrets(dumped):
        reported.add(match.evidence)
        yield secret_finding(match, location, prefix=f"{where}: ", key_prefix=f"{key}:")
    for issue in metadata_issues(metadata):
        if issue.evidence in reported:
            continue
        yield make_finding(
            SENSITIVE_METADATA,
            location,
            f"{where}: {issue.what} at `{issue.path}` ({issue.evidence}).",
            evidence=issue.evidence,
            fingerprint_key=f"{key}:{issue.key}",
        )
