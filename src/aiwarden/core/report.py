"""The result of a scan: findings plus what was scanned, skipped and failed, and why."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from aiwarden.core.finding import Finding
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity


class SuppressionKind(enum.Enum):
    """Where a suppression was declared."""

    INLINE = "inline"
    """A comment in the scanned file (``# aiwarden: ignore[AIW-X] -- reason``)."""
    CONFIG = "config"
    """An entry in the configuration file (path glob + rule + reason)."""


class Suppression(NamedTuple):
    """Why a finding is suppressed, and where that was said.

    ``source`` is ``path:line`` of the comment, or the config file that holds the entry.
    This and the file records below are named tuples: immutable values that, unlike
    dataclasses, cost almost nothing to create when the module is imported (on every
    run of the command line).
    """

    kind: SuppressionKind
    reason: str
    source: str


class BaselineState(enum.Enum):
    """How a finding relates to the baseline given with ``--baseline``."""

    NEW = "new"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ReportedFinding:
    """A finding as reported: with its fingerprint, suppression and baseline state."""

    finding: Finding
    fingerprint: str
    suppression: Suppression | None = None
    baseline_state: BaselineState | None = None

    @property
    def suppressed(self) -> bool:
        """True when an inline comment or a config entry suppresses the finding."""
        return self.suppression is not None

    @property
    def active(self) -> bool:
        """True when the finding counts: not suppressed and not already in the baseline."""
        return self.suppression is None and self.baseline_state is not BaselineState.UNCHANGED


class ScannedFile(NamedTuple):
    """A file every applicable analyzer finished with."""

    path: str
    format: str
    size: int
    duration_s: float


class SkippedFile(NamedTuple):
    """A file deliberately not scanned (for example a symlink that leaves the target)."""

    path: str
    reason: str


class FailedFile(NamedTuple):
    """A file whose scan did not complete: a crash, a timeout, a limit, an unreadable file.

    A failed file always comes with an ``AIW-ENG`` finding and makes the scan incomplete.
    """

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ScanReport:
    """Everything a renderer needs; renderers never re-scan."""

    tool_version: str
    root: str
    targets: tuple[str, ...]
    findings: tuple[ReportedFinding, ...]
    rules: tuple[Rule, ...]
    scanned: tuple[ScannedFile, ...]
    skipped: tuple[SkippedFile, ...]
    failed: tuple[FailedFile, ...]
    fail_on: Severity
    started_at: str
    duration_s: float
    analyzer_times_s: dict[str, float] = field(default_factory=dict)
    baseline: str | None = None
    warnings: tuple[str, ...] = ()
    """Problems that did not stop the scan (a plugin that failed to load, say)."""
    selected: frozenset[str] | None = None
    """Ids of the rules the scan ran, after ``--select``/``--ignore`` (per-path ignores
    aside); None when the report's maker did not say. A rule that was not run found
    nothing because it did not look."""

    def rule_selected(self, rule_id: str) -> bool:
        """Whether the scan ran ``rule_id`` (True when the selection is not known)."""
        return self.selected is None or rule_id in self.selected

    @property
    def complete(self) -> bool:
        """False when any file failed: such a scan is never reported as clean."""
        return not self.failed

    def active(self) -> Iterator[ReportedFinding]:
        """Findings that count (neither suppressed nor in the baseline)."""
        return (rf for rf in self.findings if rf.active)

    def blocking(self) -> list[ReportedFinding]:
        """Active findings at or above the ``fail_on`` severity."""
        return [rf for rf in self.active() if rf.finding.severity >= self.fail_on]

    def severity_counts(self) -> dict[Severity, int]:
        """Number of active findings per severity, every severity present."""
        counts = dict.fromkeys(Severity, 0)
        for rf in self.active():
            counts[rf.finding.severity] += 1
        return counts

    def exit_code(self, *, exit_zero: bool = False) -> int:
        """0 clean, 1 blocking findings, 2 incomplete scan (wins over 1).

        ``exit_zero`` turns only the findings case into 0; an incomplete scan is
        still an error.
        """
        if not self.complete:
            return EXIT_ERROR
        if self.blocking() and not exit_zero:
            return EXIT_FINDINGS
        return EXIT_CLEAN
