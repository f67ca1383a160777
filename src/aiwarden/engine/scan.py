"""Orchestrates a scan: discover, classify and analyze, filter, suppress, baseline, report.

This is the library entry point behind ``aiwarden scan``::

    from aiwarden.engine.scan import ScanOptions, run_scan
    report = run_scan(ScanOptions(targets=(Path("."),), settings=load_settings([Path(".")])))
    print(report.exit_code())
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from aiwarden import __version__
from aiwarden.analyzers.interface import Analyzer, Limits
from aiwarden.analyzers.registry import Registry, load_analyzers
from aiwarden.core.finding import Finding
from aiwarden.core.fingerprint import fingerprint_all
from aiwarden.core.report import FailedFile, ReportedFinding, ScannedFile, ScanReport
from aiwarden.core.rule import Rule
from aiwarden.engine import rules as eng
from aiwarden.engine._archive_meta import ARCHIVE_RULES
from aiwarden.engine.config import Settings
from aiwarden.engine.discovery import DiscoveredFile, Discovery, discover, scan_root

if TYPE_CHECKING:  # the executor and the worker load when there is a file to analyse
    from aiwarden.engine.executor import Executor
    from aiwarden.engine.worker import FileResult


class ScanObserver(Protocol):
    """Receives progress; the CLI draws a progress bar from it, the core never prints."""

    def started(self, total_files: int) -> None:
        """Discovery finished; ``total_files`` will be analysed."""

    def file_done(self, result: FileResult) -> None:
        """One file finished (in completion order)."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What to scan and how; ``settings`` already merges CLI, environment and config file."""

    targets: tuple[Path, ...]
    settings: Settings
    baseline: Path | None = None
    builtin_only: bool = False
    limits: Limits | None = None


def _selected_analyzers(registry: Registry, settings: Settings) -> tuple[str, ...]:
    """Analyzers with at least one rule the selection could report somewhere.

    An analyzer's rules are its own plus those of others it also reports
    (:attr:`~aiwarden.analyzers.interface.Analyzer.reports_also`).
    """
    every = registry.rules

    def reportable(analyzer: Analyzer) -> Iterator[Rule]:
        yield from analyzer.rules
        if analyzer.reports_also:
            yield from (r for r in every if r.id.startswith(analyzer.reports_also))

    return tuple(
        a.name
        for a in registry.analyzers
        if any(settings.rule_enabled(r.id, "") for r in reportable(a))
    )


def _git_root(start: Path) -> Path | None:
    """The work tree that holds ``start`` (a directory with ``.git``), if any."""
    current = start.resolve()
    current = current if current.is_dir() else current.parent
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def project_root(targets: Sequence[Path], settings: Settings) -> Path | None:
    """Where report paths are relative to: the git work tree, else the config file's dir.

    SARIF consumers such as GitHub code scanning need repository-relative paths.
    """
    if targets and targets[0].exists():
        git = _git_root(targets[0])
        if git is not None:
            return git
    return settings.project_root


def _sort_key(finding: Finding) -> tuple[str, str, int, int, str]:
    loc = finding.location
    return (loc.path, loc.member or "", loc.line or 0, loc.offset or 0, finding.rule_id)


class _Collector:
    """Accumulates file results as they arrive.

    A plain slotted class (as is :class:`_TextReader`): internal, never compared or
    printed, so a dataclass would only add its creation cost to every start-up.
    """

    __slots__ = ("failed", "findings", "observer", "scanned", "times")

    def __init__(
        self,
        observer: ScanObserver | None,
        findings: list[Finding],
        scanned: list[ScannedFile],
        failed: list[FailedFile],
        times: dict[str, float],
    ) -> None:
        self.observer = observer
        self.findings = findings
        self.scanned = scanned
        self.failed = failed
        self.times = times

    def __call__(self, result: FileResult) -> None:
        self.findings.extend(result.findings)
        if result.failure is not None:
            self.failed.append(FailedFile(result.relpath, result.failure))
        else:
            fmt = result.format.value if result.format else "unknown"
            self.scanned.append(ScannedFile(result.relpath, fmt, result.size, result.duration_s))
        for name, seconds in result.analyzer_times_s.items():
            self.times[name] = self.times.get(name, 0.0) + seconds
        if self.observer is not None:
            self.observer.file_done(result)


def _discovery_failures(discovery: Discovery) -> list[Finding]:
    if not discovery.failed:
        return []
    from aiwarden.engine.worker import engine_finding

    return [
        engine_finding(f.path, eng.UNREADABLE, f"could not be read: {f.reason}")
        for f in discovery.failed
    ]


def _report_findings(
    findings: Sequence[Finding],
    settings: Settings,
    root: Path,
    baseline: Path | None,
    warnings: list[str],
) -> list[ReportedFinding]:
    kept = sorted(
        (f for f in findings if settings.rule_enabled(f.rule_id, f.location.path)), key=_sort_key
    )
    reported: list[ReportedFinding] = []
    if kept:  # suppressions apply to findings only: with none, nothing to load or warn
        from aiwarden.engine.suppressions import apply_suppressions

        suppressions = apply_suppressions(
            kept, settings=settings, read_text=_TextReader(root), warn=warnings.append
        )
        reported = [
            ReportedFinding(finding, fp, suppression)
            for finding, fp, suppression in zip(
                kept, fingerprint_all(kept), suppressions, strict=True
            )
        ]
    if baseline is not None:
        from aiwarden.engine.baseline import load_baseline, mark_baseline

        reported = mark_baseline(reported, load_baseline(baseline))
    return reported


class _TextReader:
    """Reads a scanned text file for inline suppressions (bounded; None for binary)."""

    __slots__ = ("limit", "root")

    def __init__(self, root: Path, limit: int = 8 * 1024 * 1024) -> None:
        self.root = root
        self.limit = limit

    def __call__(self, relpath: str) -> str | None:
        path = self.root / relpath
        try:
            if path.stat().st_size > self.limit:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        if b"\x00" in data[:8192]:
            return None
        return data.decode("utf-8", errors="replace")


def _rules_in_report(registry: Registry, findings: Sequence[ReportedFinding]) -> tuple[Rule, ...]:
    builtin = (*registry.rules, *eng.ENGINE_RULES, *ARCHIVE_RULES)
    rules: dict[str, Rule] = {r.id: r for r in builtin}
    for rf in findings:
        rules.setdefault(rf.finding.rule_id, rf.finding.rule)
    return tuple(rules.values())


def _run_tasks(
    files: Sequence[DiscoveredFile],
    task_args: tuple[tuple[str, ...], Limits, bool],
    executor: Executor | None,
    settings: Settings,
    registry: Registry,
    collector: _Collector,
) -> None:
    """Run one task per file, with a scratch directory that outlives killed workers.

    With no file to scan there is no task to hand the directory to, so none is made;
    a given executor still runs its empty batch, and the default one, which would do
    nothing with it, is not even imported (nor are the worker, ``tempfile``...).
    """
    if not files:
        if executor is not None:
            executor.run([], collector)
        return
    import tempfile

    from aiwarden.engine.executor import default_executor
    from aiwarden.engine.worker import FileTask

    names, limits, builtin_only = task_args
    with tempfile.TemporaryDirectory(prefix="aiwarden-scan-") as scratch:
        tasks = [
            FileTask(str(f.path), f.relpath, names, limits, builtin_only, scratch) for f in files
        ]
        (executor or default_executor(tasks, settings.jobs, registry)).run(tasks, collector)


def run_scan(
    options: ScanOptions,
    *,
    registry: Registry | None = None,
    executor: Executor | None = None,
    observer: ScanObserver | None = None,
) -> ScanReport:
    """Scan ``options.targets`` and return the report. Raises AiwardenError on user errors."""
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    settings = options.settings
    if options.baseline is not None:
        from aiwarden.engine.baseline import load_baseline

        load_baseline(options.baseline)  # fail early, before the scan, on a bad baseline
    registry = registry or load_analyzers(builtin_only=options.builtin_only)
    root = scan_root(options.targets, project_root(options.targets, settings))
    discovery = discover(
        options.targets,
        root,
        exclude=settings.exclude,
        respect_gitignore=settings.respect_gitignore,
    )
    limits = options.limits or Limits(timeout_s=settings.timeout_s)
    names = _selected_analyzers(registry, settings)
    collector = _Collector(observer, _discovery_failures(discovery), [], list(discovery.failed), {})
    if observer is not None:
        observer.started(len(discovery.files))
    _run_tasks(
        discovery.files,
        (names, limits, options.builtin_only),
        executor,
        settings,
        registry,
        collector,
    )
    warnings = list(registry.warnings)
    findings = _report_findings(collector.findings, settings, root, options.baseline, warnings)
    return ScanReport(
        tool_version=__version__,
        root=str(root),
        targets=tuple(str(t) for t in options.targets),
        findings=tuple(findings),
        rules=_rules_in_report(registry, findings),
        selected=frozenset(
            rule.id
            for rule in (*registry.rules, *eng.ENGINE_RULES, *ARCHIVE_RULES)
            if settings.rule_enabled(rule.id, "")
        ),
        scanned=tuple(sorted(collector.scanned, key=lambda f: f.path)),
        skipped=discovery.skipped,
        failed=tuple(sorted(collector.failed, key=lambda f: f.path)),
        fail_on=settings.fail_on,
        started_at=started_at,
        duration_s=time.perf_counter() - t0,
        analyzer_times_s=collector.times,
        baseline=str(options.baseline) if options.baseline else None,
        warnings=tuple(warnings),
    )


__all__ = ["ScanObserver", "ScanOptions", "run_scan"]
