"""Runs an assessment: scan, evidence, profile, attestations, judgement, next steps.

The library entry point behind ``aiwarden assess``::

    from aiwarden.assess.run import AssessOptions, run_assessment
    scorecard = run_assessment(AssessOptions(target=Path("."), settings=load_settings([Path(".")])))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from aiwarden import __version__
from aiwarden.assess.attestations import FILE_NAME, load_entries, notices, resolve
from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.evaluate import Inputs, MappedFinding, evaluate
from aiwarden.assess.evidence import EvidenceCheck, ProjectView, load_checks
from aiwarden.assess.evidence._models import MODEL_FORMATS
from aiwarden.assess.history import previous_runs, record
from aiwarden.assess.model import (
    Attestation,
    Evidence,
    FindingRef,
    ProfileFlag,
    ScanSummary,
    Scorecard,
)
from aiwarden.assess.next_steps import next_steps
from aiwarden.assess.profile import detect_profile, traits_of
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.log import get_logger
from aiwarden.core.report import ScanReport
from aiwarden.engine.config import Settings
from aiwarden.engine.scan import ScanObserver, ScanOptions, run_scan
from aiwarden.errors import UsageError

logger = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class AssessOptions:
    """What to assess and how; ``settings`` already merges CLI, environment and config."""

    target: Path
    settings: Settings
    attestations: Path | None = None
    """The attestations file; default: ``aiwarden-attestations.yaml`` in the target."""
    history: Path | None = None
    """An SQLite file: earlier runs are shown, this run is appended."""
    today: dt.date | None = None
    builtin_only: bool = False
    checks: tuple[EvidenceCheck, ...] | None = None
    """Evidence checks to run; default: every built-in one (tests pass fakes)."""


def run_assessment(options: AssessOptions, observer: ScanObserver | None = None) -> Scorecard:
    """Assess ``options.target`` (a directory). Raises AiwardenError on user errors."""
    target = options.target
    if not target.is_dir():
        raise UsageError(f"{target}: not a directory (assess takes a project directory)")
    today = options.today or dt.date.today()
    report = run_scan(
        ScanOptions(
            targets=(target,), settings=options.settings, builtin_only=options.builtin_only
        ),
        observer=observer,
    )
    project = ProjectView.from_report(report, target)
    checks = load_checks() if options.checks is None else options.checks
    warnings = list(report.warnings)
    evidence = tuple(_collect(checks, project, warnings))
    source = str(options.settings.source) if options.settings.source else "configuration"
    profile = detect_profile(project, options.settings.profile, source)
    attestation_file = _attestation_file(options, project)
    attestations, notes = _attestations(attestation_file, today)
    inputs = Inputs(
        load_catalogue(),
        traits_of(profile),
        evidence,
        tuple(_mapped(report, project)),
        attestations,
    )
    guidelines, areas = evaluate(inputs)
    warnings.extend(_scope_warnings(options.settings, project, profile))
    name = project.prefix.rstrip("/") or Path(report.root).name
    history = previous_runs(options.history, name) if options.history else ()
    scorecard = Scorecard(
        tool_version=__version__,
        project=name,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        scan=_summary(report, project),
        profile=profile,
        areas=areas,
        guidelines=guidelines,
        next_steps=next_steps(
            inputs, guidelines, {r.id: r for r in report.rules}, {c.id: c for c in checks}
        ),
        attestations_file=_relative(attestation_file, report) if attestation_file else None,
        attestation_problems=tuple(notes),
        history=history,
        warnings=tuple(warnings),
        root=report.root,
    )
    if options.history:
        record(options.history, scorecard)
    return scorecard


def _scope_warnings(
    settings: Settings, project: ProjectView, profile: tuple[ProfileFlag, ...]
) -> Iterator[str]:
    """What makes this assessment narrower than it looks."""
    if not project.files:
        yield "the directory holds no file the scan could read: there is nothing to assess"
    elif not any(flag.value for flag in profile) and not _has_models(project):
        yield (
            "no AI component was detected (no model files, AI libraries, agents or "
            "services): the guidelines may not apply; declare traits under "
            "[tool.aiwarden.profile] if they do"
        )
    if settings.select != ("AIW",) or settings.ignore:
        yield (
            "the rule selection (--select/--ignore or the configuration) leaves some rules "
            "out: their findings are missing from this scorecard"
        )


def _has_models(project: ProjectView) -> bool:
    return any(fmt in MODEL_FORMATS for fmt in project.formats.values())


def _collect(
    checks: Sequence[EvidenceCheck], project: ProjectView, warnings: list[str]
) -> Iterator[Evidence]:
    """Every check's evidence; a check that fails or strays is a warning, not a crash."""
    for check in checks:
        try:
            items = list(check.collect(project))
        except Exception as exc:
            logger.debug("evidence check %s failed", check.id, exc_info=True)
            warnings.append(f"evidence check {check.id} failed: {type(exc).__name__}: {exc}")
            continue
        for item in items:
            if item.behaviour not in check.behaviours or item.behaviour not in SPECS:
                warnings.append(f"evidence check {check.id} reported on {item.behaviour}")
                continue
            yield item


def _mapped(report: ScanReport, project: ProjectView) -> Iterator[MappedFinding]:
    for reported in report.active():
        finding = reported.finding
        if not finding.location.path.startswith(project.prefix):
            continue
        ref = FindingRef(
            rule_id=finding.rule.id,
            title=finding.rule.title,
            severity=finding.severity.value,
            path=finding.location.path,
            line=finding.location.line,
            message=finding.message,
            fingerprint=reported.fingerprint,
        )
        yield MappedFinding(ref, finding.rule.guidelines)


def _attestation_file(options: AssessOptions, project: ProjectView) -> Path | None:
    if options.attestations is not None:
        if not options.attestations.is_file():
            raise UsageError(f"{options.attestations}: attestations file not found")
        return options.attestations
    candidate = options.target / FILE_NAME
    return candidate if candidate.is_file() else None


def _attestations(path: Path | None, today: dt.date) -> tuple[dict[str, Attestation], list[str]]:
    if path is None:
        return {}, []
    entries = load_entries(path, SPECS, today)
    return resolve(entries, today, path.name), notices(entries, today, path.name)


def _summary(report: ScanReport, project: ProjectView) -> ScanSummary:
    counts: dict[str, int] = {}
    suppressed = 0
    for reported in report.findings:
        if not reported.finding.location.path.startswith(project.prefix):
            continue
        if reported.active:
            severity = reported.finding.severity.value
            counts[severity] = counts.get(severity, 0) + 1
        else:
            suppressed += 1
    failed = [f for f in report.failed if f.path.startswith(project.prefix)]
    return ScanSummary(
        files_scanned=len(project.files) - len(failed),
        files_failed=len(failed),
        complete=report.complete,
        findings_by_severity=counts,
        suppressed=suppressed,
    )


def _relative(path: Path, report: ScanReport) -> str:
    try:
        return path.resolve().relative_to(Path(report.root).resolve()).as_posix()
    except ValueError:
        return str(path)
