"""The pickle serialization analyzer: pickle-based model files and what they import.

It recognises pickle data by structure (raw and concatenated pickles, every pickle
member of a zip such as a PyTorch checkpoint, numpy object arrays, joblib-style
compressed dumps), walks the opcodes without executing anything, and reports:

* ``AIW-MOD001`` once per file that holds pickle data;
* ``AIW-MOD002`` for each denylisted callable a stream imports (critical);
* ``AIW-MOD003`` for each import outside the allowlist, or one it could not resolve;
* ``AIW-MOD004`` for a stream or container it could not parse (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import ClassVar

from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.models._containers import (
    ContainerProblem,
    Event,
    FoundStream,
    iter_compressed,
    iter_numpy,
    iter_raw_pickle,
    iter_zip,
)
from aiwarden.analyzers.models._pickle_ops import ImportRef
from aiwarden.analyzers.models._policy import Verdict, classify
from aiwarden.analyzers.models._stream import Budget
from aiwarden.analyzers.models.rules import (
    DANGEROUS_IMPORT,
    MODEL_RULES,
    PICKLE_FORMAT,
    UNKNOWN_IMPORT,
    UNPARSEABLE,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence

_COMPRESSED = frozenset({FileFormat.GZIP, FileFormat.BZIP2, FileFormat.XZ, FileFormat.ZLIB})


@dataclass(slots=True)
class _Summary:
    """What the file holds, for the one ``AIW-MOD001`` finding."""

    streams: int = 0
    members: list[str] = field(default_factory=list)
    npy: bool = False
    torch: bool = False

    def add(self, found: FoundStream) -> None:
        self.streams += 1
        self.npy = self.npy or found.npy
        if found.member is not None:
            if found.member not in self.members:
                self.members.append(found.member)
            self.torch = self.torch or PurePosixPath(found.member).name == "data.pkl"


class PickleSerializationAnalyzer(Analyzer):
    """Finds pickle-based model files and the callables their pickles import."""

    name: ClassVar[str] = "model-serialization"
    rules: ClassVar[tuple[Rule, ...]] = MODEL_RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(
        {FileFormat.PICKLE, FileFormat.ZIP, FileFormat.NUMPY, *_COMPRESSED}
    )

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        summary = _Summary()
        for event in _events(artifact, Budget(limits)):
            if isinstance(event, ContainerProblem):
                yield _problem_finding(artifact, event)
                continue
            summary.add(event)
            yield from _stream_findings(artifact, event)
            if event.scan.limit is not None:
                # Report what was found before the bound, then let the engine fail the file.
                yield _format_finding(artifact, summary)
                raise event.scan.limit
        if summary.streams:
            yield _format_finding(artifact, summary)


def _events(artifact: Artifact, budget: Budget) -> Iterator[Event]:
    if artifact.format is FileFormat.ZIP:
        return iter_zip(artifact, budget)
    if artifact.format is FileFormat.NUMPY:
        return iter_numpy(artifact, budget)
    if artifact.format in _COMPRESSED:
        return iter_compressed(artifact, budget)
    return iter_raw_pickle(artifact, budget)


def _container(artifact: Artifact, summary: _Summary) -> str:
    """How the pickle data is packaged, for messages."""
    fmt = artifact.format
    if fmt is FileFormat.ZIP:
        if summary.npy:
            return "Zip archive (.npz) of numpy object arrays"
        return "PyTorch zip archive" if summary.torch else "Zip archive"
    if fmt is FileFormat.NUMPY:
        return "Numpy object array (.npy)"
    if fmt in _COMPRESSED:
        return f"Joblib-style {fmt.value}-compressed pickle"
    return "Raw pickle file"


def _format_finding(artifact: Artifact, summary: _Summary) -> Finding:
    count = summary.streams
    text = f"{_container(artifact, summary)} with {count} pickle stream{'s' * (count != 1)}"
    if summary.members:
        shown = ", ".join(summary.members[:5]) + (", ..." if len(summary.members) > 5 else "")
        text += f" in {len(summary.members)} member{'s' * (len(summary.members) != 1)} ({shown})"
    return make_finding(
        PICKLE_FORMAT,
        artifact.location(member=summary.members[0] if summary.members else None),
        f"{text}; loading it can execute code.",
        fingerprint_key="pickle-format",
    )


def _problem_finding(artifact: Artifact, problem: ContainerProblem) -> Finding:
    return make_finding(
        UNPARSEABLE,
        artifact.location(offset=problem.offset, member=problem.member),
        f"Container could not be fully parsed: {problem.message}.",
        evidence=problem.message,
        fingerprint_key=f"container: {problem.message}",
    )


def _where(artifact: Artifact) -> str:
    return " of the decompressed data" if artifact.format in _COMPRESSED else ""


def _stream_findings(artifact: Artifact, found: FoundStream) -> Iterator[Finding]:
    scan = found.scan
    first: dict[str, ImportRef] = {}
    counts: dict[str, int] = {}
    for ref in scan.imports:
        first.setdefault(ref.dotted, ref)
        counts[ref.dotted] = counts.get(ref.dotted, 0) + 1
    for dotted, ref in first.items():
        finding = _import_finding(artifact, found, ref, counts[dotted])
        if finding is not None:
            yield finding
    if scan.error is not None:
        yield make_finding(
            UNPARSEABLE,
            artifact.location(offset=scan.error_offset, member=found.member),
            f"Pickle stream starting at offset {scan.start}{_where(artifact)} could not be "
            f"parsed at offset {scan.error_offset}: {scan.error}.",
            evidence=scan.error,
            fingerprint_key=f"stream {scan.start}: {scan.error}",
        )


def _import_finding(
    artifact: Artifact, found: FoundStream, ref: ImportRef, count: int
) -> Finding | None:
    verdict = classify(ref.module, ref.name)
    if verdict is Verdict.SAFE:
        return None
    rule = DANGEROUS_IMPORT if verdict is Verdict.DANGEROUS else UNKNOWN_IMPORT
    confidence = Confidence.MEDIUM if rule is UNKNOWN_IMPORT and ref.resolved else Confidence.HIGH
    return make_finding(
        rule,
        artifact.location(offset=ref.offset, member=found.member),
        _import_message(artifact, ref, count, verdict),
        confidence=confidence,
        evidence=ref.dotted,
        fingerprint_key=ref.dotted,
    )


def _import_message(artifact: Artifact, ref: ImportRef, count: int, verdict: Verdict) -> str:
    where = f"{ref.opcode} at offset {ref.offset}{_where(artifact)}"
    if count > 1:
        where += f", {count} times in this stream"
    if verdict is Verdict.DANGEROUS:
        return (
            f"Pickle imports `{ref.dotted}` ({where}), a callable that can execute code or "
            "reach the system when the file is loaded."
        )
    if not ref.resolved:
        return (
            f"Pickle imports a callable whose name is not a string constant ({where}): "
            f"`{ref.dotted}` cannot be checked against the known-safe set, a known way to "
            "hide a payload from scanners."
        )
    return (
        f"Pickle imports `{ref.dotted}` ({where}), which is outside the known-safe set of "
        "callables that weight files need; loading the file runs it."
    )
