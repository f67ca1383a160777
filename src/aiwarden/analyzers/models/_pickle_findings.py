"""Turn the emulation of one pickle stream into findings.

One finding per distinct callable per stream (the first offset, how many times it
occurs), with the decoded call as evidence; findings of pickles nested in the stream
(bytes given to ``pickle.loads``, joblib object arrays) are reported too, prefixed
with where they were found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from aiwarden.analyzers.interface import Artifact
from aiwarden.analyzers.models._pickle_values import Ref
from aiwarden.analyzers.models._pickle_vm import CallRecord, StreamScan
from aiwarden.analyzers.models._policy import ARG_JUDGED, Verdict, classify_ref
from aiwarden.analyzers.models.rules import (
    DANGEROUS_IMPORT,
    UNKNOWN_IMPORT,
    UNPARSEABLE,
    UNRESOLVED_IMPORT,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.severity import Confidence


class StreamReport(NamedTuple):
    """Where a stream sits: the artifact, the archive member, and a context prefix.

    A named tuple (an immutable record that is cheap to create at import).
    """

    artifact: Artifact
    member: str | None
    where: str = ""
    context: str = ""
    key_prefix: str = ""

    def nested(self, via: str, offset: int | None) -> StreamReport:
        """The report for a pickle nested in this one, passed to ``via``."""
        prefix = f"{self.context}In a pickle nested in `{via}` (offset {offset}): "
        return StreamReport(
            self.artifact, self.member, self.where, prefix, f"{self.key_prefix}nested {via}/"
        )


def _verdict(ref: Ref, record: CallRecord | None) -> Verdict:
    if ref.dotted in ARG_JUDGED:
        return record.verdict if record is not None and record.verdict else Verdict.UNKNOWN
    return classify_ref(ref)


def stream_findings(report: StreamReport, scan: StreamScan) -> Iterator[Finding]:
    """The findings for ``scan`` and for every pickle nested in it."""
    first: dict[str, Ref] = {}
    counts: dict[str, int] = {}
    for ref in scan.imports:
        first.setdefault(ref.dotted, ref)
        counts[ref.dotted] = counts.get(ref.dotted, 0) + 1
    for dotted, ref in first.items():
        finding = _import_finding(report, ref, counts[dotted], scan.calls.get(dotted))
        if finding is not None:
            yield finding
    for target, offset in scan.module_writes:
        yield _module_write(report, target, offset)
    for nested in scan.nested:
        inner = report.nested(nested.via, nested.offset)
        for child in nested.streams:
            yield from stream_findings(inner, child)
    if scan.error is not None:
        yield make_finding(
            UNPARSEABLE,
            report.artifact.location(offset=scan.error_offset, member=report.member),
            f"{report.context}Pickle stream starting at offset {scan.start}{report.where} could "
            f"not be parsed at offset {scan.error_offset}: {scan.error}. The real unpickler "
            "runs every opcode before the break, so the file is reported, not passed.",
            evidence=scan.error,
            fingerprint_key=f"{report.key_prefix}stream {scan.start}: {scan.error}",
        )


def _import_finding(
    report: StreamReport, ref: Ref, count: int, record: CallRecord | None
) -> Finding | None:
    verdict = _verdict(ref, record)
    if verdict is Verdict.SAFE:
        return None
    if verdict is Verdict.DANGEROUS:
        rule = DANGEROUS_IMPORT
    else:
        rule = UNKNOWN_IMPORT if ref.resolved else UNRESOLVED_IMPORT
    confidence = Confidence.MEDIUM if rule is UNKNOWN_IMPORT else Confidence.HIGH
    evidence = record.evidence if record is not None else f"import {ref.dotted}"
    offset = ref.offset if ref.offset is not None else (record.offset if record else None)
    return make_finding(
        rule,
        report.artifact.location(offset=offset, member=report.member),
        report.context + _message(report, ref, count, verdict, record),
        confidence=confidence,
        evidence=evidence,
        fingerprint_key=report.key_prefix + ref.dotted,
    )


def _message(
    report: StreamReport, ref: Ref, count: int, verdict: Verdict, record: CallRecord | None
) -> str:
    how = f"{ref.opcode} at offset {ref.offset}{report.where}"
    if ref.via is not None:
        how += f", reached through `{ref.via}`"
    if count > 1:
        how += f", {count} times in this stream"
    called = " and calls it" if record is not None else ""
    if verdict is Verdict.DANGEROUS:
        return (
            f"Pickle imports `{ref.dotted}`{called} ({how}): a callable that can run "
            "commands, evaluate code, load further code or reach the system and network "
            "when the file is loaded."
        )
    if not ref.resolved:
        return (
            f"Pickle imports a callable whose name is not a constant ({how}): `{ref.dotted}` "
            "is decided at load time and cannot be checked, a known way to hide a payload."
        )
    return (
        f"Pickle imports `{ref.dotted}`{called} ({how}), which is outside the known-safe set "
        "of callables that model files need; loading the file runs it."
    )


def _module_write(report: StreamReport, target: Ref, offset: int | None) -> Finding:
    return make_finding(
        DANGEROUS_IMPORT,
        report.artifact.location(offset=offset, member=report.member),
        f"{report.context}Pickle BUILD sets attributes on the imported object "
        f"`{target.dotted}` (offset {offset}{report.where}): it rewrites a module or class "
        "at load time, a gadget for redirecting later imports to attacker-chosen code.",
        evidence=f"BUILD on {target.dotted}",
        fingerprint_key=f"{report.key_prefix}build {target.dotted}",
    )
