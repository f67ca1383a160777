"""Helpers for the infra analyzer tests: write a file into a project, analyse it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiwarden.analyzers.infra.analyzer import InfraAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.engine.classify import classify_file

Scan = Callable[[str, str], list[Finding]]


def analyse(root: Path, relpath: str, limits: Limits | None = None) -> list[Finding]:
    """Run the analyzer on ``root/relpath`` the way the engine would."""
    path = root / relpath
    artifact = Artifact(path, relpath, classify_file(path, path.name), path.stat().st_size)
    analyzer = InfraAnalyzer()
    if not analyzer.accepts(artifact):
        return []
    return list(analyzer.analyze(artifact, limits or Limits()))


def write(root: Path, relpath: str, text: str | bytes) -> Path:
    """Write ``text`` to ``root/relpath``, creating directories."""
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def pairs(findings: list[Finding]) -> set[tuple[str, int | None]]:
    """``(rule id, line)`` of each finding."""
    return {(f.rule_id, f.location.line) for f in findings}


def rules(findings: list[Finding]) -> set[str]:
    """The rule ids reported."""
    return {f.rule_id for f in findings}
