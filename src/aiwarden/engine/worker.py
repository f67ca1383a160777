"""What runs for one file, inside a worker process (or inline): classify, then analyze.

Every way this can go wrong for one file (unreadable, an analyzer exception, a limit)
becomes an ``AIW-ENG`` finding in the returned :class:`FileResult`; nothing escapes.
"""

from __future__ import annotations

import itertools
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.registry import Registry, load_analyzers
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule
from aiwarden.engine import rules as eng
from aiwarden.engine._archive_meta import EXPANDABLE_CANDIDATES
from aiwarden.engine.classify import classify_file, classify_views

if TYPE_CHECKING:  # archives (tarfile, zipfile...) load when an archive turns up
    from aiwarden.engine import archives


_SCRATCH_NAMES = itertools.count()
"""Numbers the member-copy directories this process names in a scan's scratch directory."""


class FileTask(NamedTuple):
    """One file to analyse, with the analyzers (by name) that should see it.

    ``scratch`` is a directory for archive-member copies that outlives a killed worker
    (the scan deletes it); when None a private one is made for this file. Tasks and
    results are named tuples: immutable, picklable to and from worker processes, and
    cheap to create at import (a dataclass costs about half a millisecond).
    """

    path: str
    relpath: str
    analyzers: tuple[str, ...]
    limits: Limits
    builtin_only: bool = False
    scratch: str | None = None


class _FileResultFields(NamedTuple):
    relpath: str
    format: FileFormat | None
    size: int
    findings: tuple[Finding, ...]
    failure: str | None
    duration_s: float
    analyzer_times_s: dict[str, float]


class FileResult(_FileResultFields):
    """What analysing one file produced. ``failure`` is set when the scan of it is incomplete.

    ``analyzer_times_s`` defaults to a new empty dict for each result (never one shared
    by all of them).
    """

    __slots__ = ()

    def __new__(
        cls,
        relpath: str,
        format: FileFormat | None,
        size: int,
        findings: tuple[Finding, ...],
        failure: str | None,
        duration_s: float,
        analyzer_times_s: dict[str, float] | None = None,
    ) -> FileResult:
        times = {} if analyzer_times_s is None else analyzer_times_s
        return super().__new__(cls, relpath, format, size, findings, failure, duration_s, times)


def failed_result(task: FileTask, finding: Finding, duration_s: float = 0.0) -> FileResult:
    """A result for a file whose analysis did not complete, carrying its ENG finding."""
    return FileResult(task.relpath, None, 0, (finding,), finding.message, duration_s)


def engine_finding(relpath: str, rule: Rule, message: str) -> Finding:
    """An ``AIW-ENG`` finding on a whole file (one per rule and file for fingerprinting)."""
    return make_finding(rule, Location(relpath), message, fingerprint_key=rule.id)


_REGISTRY: dict[bool, Registry] = {}


def _registry(builtin_only: bool) -> Registry:
    if builtin_only not in _REGISTRY:
        _REGISTRY[builtin_only] = load_analyzers(builtin_only=builtin_only)
    return _REGISTRY[builtin_only]


def _run_analyzer(
    analyzer: Analyzer, artifact: Artifact, limits: Limits
) -> tuple[list[Finding], Finding | None]:
    """Run one analyzer; keep what it found before it stopped, plus the ENG finding why."""
    found: list[Finding] = []
    try:
        for finding in analyzer.analyze(artifact, limits):
            found.append(finding)
    except Exception as exc:  # fail closed: a crash is a finding, the scan goes on
        return found, _failure(analyzer, artifact, exc)
    return found, None


def _failure(analyzer: Analyzer, artifact: Artifact, exc: Exception) -> Finding:
    """The ``AIW-ENG`` finding for an analyzer that stopped at a limit or raised."""
    if isinstance(exc, LimitExceeded):
        message = f"analyzer '{analyzer.name}' stopped: {exc}"
        return engine_finding(artifact.relpath, eng.LIMIT_REACHED, message)
    import traceback  # only a crash needs it

    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    message = f"analyzer '{analyzer.name}' failed: {type(exc).__name__}: {exc}{where}"
    return engine_finding(artifact.relpath, eng.ANALYZER_ERROR, message[:400])


def _claim(analyzer: Analyzer, artifact: Artifact) -> tuple[bool, frozenset[str] | None]:
    """Whether ``analyzer`` claims ``artifact`` and which members (None: all of them)."""
    if not analyzer.claims(artifact):
        return False, frozenset()
    return True, analyzer.claimed_members(artifact)


class _Outcome:
    """Findings, failures and timings gathered for one scanned file and its members.

    A plain slotted class, like :class:`_Context`: made once per file and never
    compared or printed, so a dataclass would only add its creation cost at import.
    """

    __slots__ = ("failures", "findings", "times")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.failures: list[str] = []
        self.times: dict[str, float] = {}

    def fail(self, finding: Finding) -> None:
        self.findings.append(finding)
        self.failures.append(finding.message)


class _Context:
    """The file being analysed: its task, and the scratch and budget its archives use."""

    __slots__ = ("_budget", "_scratch", "registry", "task")

    def __init__(self, registry: Registry, task: FileTask) -> None:
        self.registry = registry
        self.task = task
        self._budget: archives.Budget | None = None
        self._scratch: Path | None = None

    @property
    def budget(self) -> archives.Budget:
        """The decompression budget of this file, shared by every nesting level.

        Made on first use: only archive expansion spends it, and one budget per file
        is all the per-file limits ask for.
        """
        if self._budget is None:
            from aiwarden.engine import archives

            self._budget = archives.Budget(self.task.limits)
        return self._budget

    @property
    def scratch(self) -> Path:
        """A private directory for this file's member copies, named on first use.

        Inside the scan's own scratch directory (private to the scan) the name is this
        process's and a counter's, and the directory is made only when an archive member
        is copied into it (:func:`~aiwarden.engine.archives.iter_members`): most archives
        that reach here have every member read in place by the analyzer that claimed
        them. Without a scan directory a private one is made at once, in the system's.
        """
        if self._scratch is None:
            if self.task.scratch is None:
                import tempfile

                self._scratch = Path(tempfile.mkdtemp(prefix="aiwarden-"))
            else:
                name = f"f{os.getpid()}-{next(_SCRATCH_NAMES)}"
                self._scratch = Path(self.task.scratch, name)
        return self._scratch

    def cleanup(self) -> None:
        """Remove the member copies' directory, if one was made.

        Each member's copy is deleted once analysed, so the directory is usually empty
        and one ``rmdir`` removes it; anything left (an interrupted analysis) goes with
        ``shutil.rmtree``, as before.
        """
        if self._scratch is None:
            return
        try:
            self._scratch.rmdir()
        except FileNotFoundError:
            return  # named, never needed
        except OSError:
            import shutil

            shutil.rmtree(self._scratch, ignore_errors=True)


def _member_artifact(parent: Artifact, member: archives.Member) -> Artifact:
    fmt = classify_file(member.path, name=member.name.rsplit("/", 1)[-1])
    name = f"{parent.member}!{member.name}" if parent.member else member.name
    return Artifact(member.path, parent.relpath, fmt, member.size, member=name)


def _expand(
    artifact: Artifact, ctx: _Context, outcome: _Outcome, depth: int, covered: frozenset[str]
) -> None:
    from aiwarden.engine import archives

    if depth >= ctx.task.limits.max_nesting_depth:
        raise LimitExceeded("max_nesting_depth", ctx.task.limits.max_nesting_depth)
    for item in archives.iter_members(artifact, ctx.scratch, ctx.budget, skip=covered):
        if isinstance(item, Finding):
            outcome.findings.append(item)
            continue
        try:
            _analyze(_member_artifact(artifact, item), ctx, outcome, depth + 1)
        finally:
            item.path.unlink(missing_ok=True)


def _analyze(artifact: Artifact, ctx: _Context, outcome: _Outcome, depth: int) -> None:
    """Run the selected analyzers on ``artifact``; expand it if it is a plain archive."""
    claimed_all = False
    covered: set[str] = set()
    for analyzer in ctx.registry.analyzers:
        if analyzer.name not in ctx.task.analyzers:
            continue
        try:  # accepts() and claims() read the file too: hostile bytes must not stop the scan
            if not analyzer.accepts(artifact):
                continue
            claimed, members = _claim(analyzer, artifact)
        except Exception as exc:
            outcome.fail(_failure(analyzer, artifact, exc))
            continue
        if claimed:
            claimed_all = claimed_all or members is None
            covered.update(members or ())
        t0 = time.perf_counter()
        found, failure = _run_analyzer(analyzer, artifact, ctx.task.limits)
        outcome.times[analyzer.name] = outcome.times.get(analyzer.name, 0.0) + (
            time.perf_counter() - t0
        )
        outcome.findings.extend(found)
        if failure is not None:
            outcome.fail(failure)
    if claimed_all or artifact.format not in EXPANDABLE_CANDIDATES:
        return
    from aiwarden.engine import archives  # an archive, or maybe a compressed tar

    try:
        if archives.expandable(artifact):
            _expand(artifact, ctx, outcome, depth, frozenset(covered))
    except LimitExceeded as exc:
        outcome.fail(_whole(artifact, eng.LIMIT_REACHED, f"archive expansion stopped: {exc}"))
    except archives.ArchiveError as exc:
        outcome.fail(_whole(artifact, eng.ARCHIVE_UNREADABLE, str(exc)))
    except Exception as exc:  # fail closed: whatever the archive reader raises is a finding
        message = f"archive could not be expanded: {type(exc).__name__}: {exc}"
        outcome.fail(_whole(artifact, eng.ARCHIVE_UNREADABLE, message[:400]))


def _whole(artifact: Artifact, rule: Rule, message: str) -> Finding:
    return make_finding(rule, artifact.location(), message, fingerprint_key=rule.id)


def analyze_file(task: FileTask, registry: Registry | None = None) -> FileResult:
    """Classify ``task``'s file and run every selected analyzer that accepts it.

    Plain zip and tar archives are expanded and their members analysed in turn.
    """
    started = time.perf_counter()
    registry = registry or _registry(task.builtin_only)
    path = Path(task.path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{task.relpath} is no longer a regular file")
        views = classify_views(path, name=task.relpath.rsplit("/", 1)[-1])
    except OSError as exc:
        reason = exc.strerror or str(exc)
        finding = engine_finding(task.relpath, eng.UNREADABLE, f"file could not be read: {reason}")
        return failed_result(task, finding, time.perf_counter() - started)
    outcome = _Outcome()
    ctx = _Context(registry, task)
    try:
        for fmt in views:  # a polyglot (say a pickle with a zip at its end) is read both ways
            _analyze(Artifact(path, task.relpath, fmt, info.st_size), ctx, outcome, 0)
    finally:
        ctx.cleanup()
    return FileResult(
        relpath=task.relpath,
        format=views[0],
        size=info.st_size,
        findings=tuple(outcome.findings),
        failure="; ".join(outcome.failures) or None,
        duration_s=time.perf_counter() - started,
        analyzer_times_s=outcome.times,
    )
