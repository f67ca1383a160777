"""The pickle serialization analyzer: pickle-based model files and what they run.

It recognises pickle data by structure (raw and concatenated pickles, legacy torch
files, every pickle member of a PyTorch/TorchScript zip, the old torch tar format,
numpy ``.npy``/``.npz`` object arrays, joblib dumps raw or compressed with zlib, gzip,
bz2, xz or lzma), emulates the opcodes symbolically without executing anything, and
reports:

* ``AIW-MOD001`` (info) once per file that holds pickle data;
* ``AIW-MOD002`` (critical) per denylisted callable a stream imports or reaches;
* ``AIW-MOD003`` (medium) per callable outside the allowlist;
* ``AIW-MOD004`` (high) for a stream or container that could not be parsed completely;
* ``AIW-MOD005`` (high) for a zip anomaly that hides content from scanners;
* ``AIW-MOD006`` (high) for an import whose name is computed at load time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.rules import (
    ARCHIVE_ANOMALY,
    MODEL_RULES,
    PICKLE_FORMAT,
    UNPARSEABLE,
)
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.models import _pickle_findings, _pickle_ops, _stream, _zip_reader
    from aiwarden.analyzers.models import containers as containers
    from aiwarden.analyzers.models._pickle_ops import ScanContext
    from aiwarden.analyzers.models._zip_reader import Anomaly, Directory
    from aiwarden.analyzers.models.containers import ContainerProblem, Event, FoundStream
else:  # the container readers and the pickle VM load with the first candidate file
    containers = lazy_import("aiwarden.analyzers.models.containers")
    _pickle_findings = lazy_import("aiwarden.analyzers.models._pickle_findings")
    _pickle_ops = lazy_import("aiwarden.analyzers.models._pickle_ops")
    _stream = lazy_import("aiwarden.analyzers.models._stream")
    _zip_reader = lazy_import("aiwarden.analyzers.models._zip_reader")

_COMPRESSED = frozenset({FileFormat.GZIP, FileFormat.BZIP2, FileFormat.XZ, FileFormat.ZLIB})
_LAYOUT_NAMES = {
    "torch": "PyTorch zip checkpoint",
    "torchscript": "TorchScript archive",
    "npz": "Numpy .npz archive of object arrays",
    "pickles": "Zip archive of pickles",
}


class _Summary:
    """What the file holds, for the one ``AIW-MOD001`` finding.

    A plain class: it is created at import on every scan, where a dataclass costs half
    a millisecond to create.
    """

    __slots__ = ("container", "members", "streams")

    def __init__(self, container: str) -> None:
        self.container = container
        self.streams = 0
        self.members: list[str] = []

    def add(self, found: FoundStream) -> None:
        self.streams += 1
        if found.member is not None and found.member not in self.members:
            self.members.append(found.member)


class PickleSerializationAnalyzer(Analyzer):
    """Finds pickle-based model files and the callables their pickles import and call."""

    name: ClassVar[str] = "model-serialization"
    rules: ClassVar[tuple[Rule, ...]] = MODEL_RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(
        {FileFormat.PICKLE, FileFormat.ZIP, FileFormat.NUMPY, FileFormat.TAR, *_COMPRESSED}
    )

    def __init__(self) -> None:
        self._directory: tuple[Artifact, Directory | None] | None = None
        """The zip directory :meth:`claims` read, kept for :meth:`claimed_members`."""

    def accepts(self, artifact: Artifact) -> bool:
        """Known formats, plus joblib's ``lzma`` dumps (classified as binary)."""
        if artifact.format is FileFormat.BINARY:
            return _lzma_alone(artifact)
        return artifact.format in self.formats

    def claimed_members(self, artifact: Artifact) -> frozenset[str] | None:
        """Of a model zip, the pickle, array and storage members (the engine expands the
        rest, such as TorchScript ``code/`` or ``extra/`` files); old torch tars whole."""
        if artifact.format is not FileFormat.ZIP:
            return None
        last, self._directory = self._directory, None
        directory = last[1] if last is not None and last[0] is artifact else _list_zip(artifact)
        if directory is None or isinstance(directory, containers.ContainerProblem):
            return None  # too big to list (analyze reports the limit) or unreadable
        with artifact.open() as handle:
            return containers.handled_members(handle, directory)

    def claims(self, artifact: Artifact) -> bool:
        """Model zips (torch, TorchScript, npz, pickles) and old torch tars are read here.

        The engine calls :meth:`claimed_members` right after a zip is claimed, so the
        directory read here is kept for that same :class:`Artifact` object (held, so no
        other object can share its identity) and handed over once: neither call changes
        it, and :meth:`analyze` reads its own (``handled_members`` records local-header
        offsets in the entries, and analyze reads with the scan's limits).
        """
        if artifact.format is FileFormat.ZIP:
            directory = _list_zip(artifact)
            if isinstance(directory, containers.ContainerProblem):
                return False
            # None: too big to judge; claim it, analyze reports the limit
            claimed = directory is None or containers.zip_layout(directory) is not None
            self._directory = (artifact, directory) if claimed else None
            return claimed
        if artifact.format is FileFormat.TAR:
            with artifact.open() as handle:
                return containers.tar_is_torch(handle, Limits())
        return False

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        events, container = _events(artifact, _pickle_ops.ScanContext(_stream.Budget(limits)))
        summary = _Summary(container)
        for event in events:
            if isinstance(event, containers.ContainerProblem):
                yield _problem_finding(artifact, event)
            elif isinstance(event, _zip_reader.Anomaly):
                yield _anomaly_finding(artifact, event)
            else:
                summary.add(event)
                report = _pickle_findings.StreamReport(artifact, event.member, _where(artifact))
                yield from _pickle_findings.stream_findings(report, event.scan)
                if event.scan.limit is not None:
                    # Report what was found before the bound, then let the engine fail it.
                    yield _format_finding(artifact, summary)
                    raise event.scan.limit
        if summary.streams:
            yield _format_finding(artifact, summary)


def _lzma_alone(artifact: Artifact) -> bool:
    with artifact.open() as handle:
        return containers.is_lzma_alone(handle.read(16))


def _list_zip(artifact: Artifact) -> Directory | ContainerProblem | None:
    """The zip's directory read with the default limits, None if it is over them."""
    with artifact.open() as handle:
        try:
            return containers.open_zip(handle, Limits())
        except LimitExceeded:
            return None


def _events(artifact: Artifact, ctx: ScanContext) -> tuple[Iterator[Event], str]:
    fmt = artifact.format
    if fmt is FileFormat.ZIP:
        return _zip_events(artifact, ctx)
    if fmt is FileFormat.TAR:
        if not _torch_tar(artifact):
            return iter(()), "Tar archive"
        return containers.iter_tar(artifact, ctx), "Legacy PyTorch tar checkpoint"
    if fmt is FileFormat.NUMPY:
        return containers.iter_numpy(artifact, ctx), "Numpy object array (.npy)"
    if fmt in _COMPRESSED:
        return containers.iter_compressed(artifact, ctx), f"{fmt.value}-compressed pickle"
    if fmt is FileFormat.BINARY:
        return containers.iter_compressed(artifact, ctx), "lzma-compressed pickle"
    return containers.iter_raw_pickle(artifact, ctx), "Pickle file"


def _torch_tar(artifact: Artifact) -> bool:
    with artifact.open() as handle:
        return containers.tar_is_torch(handle, Limits())


def _zip_events(artifact: Artifact, ctx: ScanContext) -> tuple[Iterator[Event], str]:
    """A model zip is scanned whole; a plain zip is left to the engine to expand."""
    with artifact.open() as handle:
        directory = containers.open_zip(handle, ctx.budget.limits)
    if isinstance(directory, containers.ContainerProblem):
        return iter((directory,)), "Zip archive"
    layout = containers.zip_layout(directory)
    if layout is None:
        return iter(()), "Zip archive"
    return containers.iter_zip(artifact, ctx, directory), _LAYOUT_NAMES[layout]


def _where(artifact: Artifact) -> str:
    if artifact.format in _COMPRESSED or artifact.format is FileFormat.BINARY:
        return " of the decompressed data"
    return ""


def _format_finding(artifact: Artifact, summary: _Summary) -> Finding:
    count = summary.streams
    text = f"{summary.container} with {count} pickle stream{'s' * (count != 1)}"
    members = summary.members
    if members:
        shown = ", ".join(members[:5]) + (", ..." if len(members) > 5 else "")
        text += f" in {len(members)} member{'s' * (len(members) != 1)} ({shown})"
    return make_finding(
        PICKLE_FORMAT,
        artifact.location(member=members[0] if members else None),
        f"{text}. Pickle data runs code when loaded; convert the model to safetensors "
        "(findings beside this one list any callable outside the known-safe set).",
        fingerprint_key="pickle-format",
    )


def _problem_finding(artifact: Artifact, problem: ContainerProblem) -> Finding:
    return make_finding(
        UNPARSEABLE,
        artifact.location(offset=problem.offset, member=problem.member),
        f"Container could not be fully parsed: {problem.message}. A loader may still read "
        "it, so the file is reported rather than passed.",
        evidence=problem.message,
        fingerprint_key=f"container: {problem.message}",
    )


def _anomaly_finding(artifact: Artifact, anomaly: Anomaly) -> Finding:
    return make_finding(
        ARCHIVE_ANOMALY,
        artifact.location(offset=anomaly.offset, member=anomaly.member),
        f"Zip structure anomaly ({anomaly.kind}): {anomaly.message}. torch.save never writes "
        "this; it is a known way to make scanners and loaders see different content.",
        evidence=anomaly.message,
        fingerprint_key=f"{anomaly.kind}: {anomaly.member or ''}",
    )
