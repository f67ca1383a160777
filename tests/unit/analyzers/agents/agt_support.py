"""Helpers for the agents analyzer tests: write a file into a project, analyse it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiwarden.analyzers.agents.analyzer import AgentConfigAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.engine.classify import classify_file

Scan = Callable[[str, str], list[Finding]]


def analyse(root: Path, relpath: str, limits: Limits | None = None) -> list[Finding]:
    """Run the analyzer on ``root/relpath`` the way the engine would."""
    path = root / relpath
    artifact = Artifact(path, relpath, classify_file(path, path.name), path.stat().st_size)
    analyzer = AgentConfigAnalyzer()
    assert analyzer.accepts(artifact), relpath
    return list(analyzer.analyze(artifact, limits or Limits()))


def write(root: Path, relpath: str, text: str) -> Path:
    """Write ``text`` to ``root/relpath``, creating directories."""
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ids(findings: list[Finding]) -> list[str]:
    """The sorted rule ids of ``findings``."""
    return sorted(f.rule_id for f in findings)


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    """The findings of one rule."""
    return [f for f in findings if f.rule_id == rule_id]
