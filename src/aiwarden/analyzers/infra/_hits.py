"""A finding before it has a file: the rule, the line and what to say."""

from __future__ import annotations

from dataclasses import dataclass

from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity


@dataclass(frozen=True, slots=True)
class Hit:
    """One problem at one line; ``key`` is line-independent (for the fingerprint)."""

    rule: Rule
    line: int
    message: str
    key: str
    evidence: str | None = None
    severity: Severity | None = None
    confidence: Confidence = Confidence.HIGH


@dataclass(frozen=True, slots=True)
class EnvVar:
    """An environment variable set for a container or command, and where."""

    value: str
    line: int


Env = dict[str, EnvVar]
