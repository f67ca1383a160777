"""The BOM drift analyzer: a committed CycloneDX BOM must match the model files.

Design. An analyzer sees one file at a time, so the BOM file is the artifact and the
comparison reaches out to its neighbours:

1. A JSON file is a BOM when its first 64 KiB declare ``"bomFormat": "CycloneDX"``; a
   file named ``*.cdx.json`` is always read, so a corrupt one is reported
   (``AIW-BOM002``, fail closed) instead of skipped.
2. The listed local model files (see :mod:`.document`) are resolved relative to the
   BOM's directory, or to the nearest ancestor up to the scan root where they exist
   (``aiwarden bom`` writes paths relative to the directory it inventoried). Paths that
   leave that base, by ``..``, absolute paths or symlinks, are refused (``AIW-BOM002``).
3. Each listed file is compared by size first and by streamed SHA-256 when the sizes
   agree; a directory (a SavedModel) by the manifest digest of its files. A changed
   digest is ``AIW-BOM001`` at high severity; a missing file at medium.
4. When the BOM was written by aiwarden or lists at least one local model file, the
   base directory is walked (``.gitignore`` respected) and every file whose *content*
   is a model format but that the BOM does not list is ``AIW-BOM001`` at medium.

Bounds (:class:`~._compare.DriftLimits`): at most 5,000 listed models, 16 GiB hashed and
50,000 files walked per BOM; the BOM itself is read up to ``Limits.max_text_bytes``.
Reaching a bound raises ``LimitExceeded`` (the engine reports the scan incomplete).
A BOM inside an archive is only validated: its neighbours are not on disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

from aiwarden.analyzers.bom_drift.rules import BOM_DRIFT, BOM_UNREADABLE, RULES
from aiwarden.analyzers.bom_drift.sniff import looks_like_bom
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity

if TYPE_CHECKING:
    from aiwarden.analyzers.bom_drift._compare import Drift, DriftLimits

_HEAD: Final = 65_536
_MESSAGES: Final = {
    "changed": "Model {path} does not match the BOM: {detail}.",
    "missing": "Model {path} is listed in the BOM but {detail}.",
    "unlisted": "{path} ({detail}) is not listed in the BOM.",
}


class BomDriftAnalyzer(Analyzer):
    """Checks committed CycloneDX BOMs against the model files they describe."""

    name: ClassVar[str] = "bom-drift"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset({FileFormat.JSON})
    limits: ClassVar[DriftLimits | None] = None
    """Bounds of the comparison (``None``: the defaults of ``_compare.DriftLimits``)."""

    def accepts(self, artifact: Artifact) -> bool:
        """JSON files that declare CycloneDX, and every ``*.cdx.json`` file."""
        if _named_as_bom(artifact):
            return True
        if artifact.format is not FileFormat.JSON:
            return False
        with artifact.open() as handle:
            return looks_like_bom(handle.read(_HEAD))

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield drift findings, or one AIW-BOM002 for a BOM that cannot be read."""
        from aiwarden.analyzers.bom_drift.document import BomProblem, parse_bom

        text = artifact.read_text(limits)
        try:
            document = parse_bom(text, named_as_bom=_named_as_bom(artifact))
        except BomProblem as exc:
            yield _unreadable(artifact, str(exc))
            return
        if document is None or artifact.member is not None:
            return
        # the comparison walks and hashes the project: imported only when a BOM turns up
        from aiwarden.analyzers.bom_drift._compare import DriftLimits, choose_base, compare

        bom_dir = artifact.path.parent
        base = choose_base(bom_dir, _scan_root(artifact), document.models)
        check_unlisted = document.by_aiwarden or bool(document.models)
        bounds = self.limits or DriftLimits()
        for drift in compare(base, document.models, check_unlisted=check_unlisted, limits=bounds):
            yield _finding(artifact, text, base, drift)


def _named_as_bom(artifact: Artifact) -> bool:
    name = artifact.name.lower()
    return name.endswith((".cdx.json", ".cyclonedx.json")) or name == "bom.json"


def _scan_root(artifact: Artifact) -> Path:
    depth = len(Path(artifact.relpath).parts)
    parents = artifact.path.parents
    return parents[depth - 1] if 0 < depth <= len(parents) else artifact.path.parent


def _unreadable(artifact: Artifact, problem: str) -> Finding:
    return make_finding(
        BOM_UNREADABLE,
        artifact.location(),
        f"The CycloneDX BOM cannot be checked: {problem}.",
        evidence=problem[:300],
        fingerprint_key=f"bom-unreadable: {problem[:120]}",
    )


def _finding(artifact: Artifact, text: str, base: Path, drift: Drift) -> Finding:
    if drift.kind == "outside":
        return _unreadable(artifact, f"listed model {drift.path!r}: {drift.detail}")
    severity = Severity.HIGH if drift.kind == "changed" else Severity.MEDIUM
    message = _MESSAGES[drift.kind].format(path=drift.path, detail=drift.detail)
    return make_finding(
        BOM_DRIFT,
        artifact.location(line=_line_of(text, drift.path)),
        message,
        severity=severity,
        evidence=drift.detail[:300],
        fingerprint_key=f"bom-drift: {drift.kind}: {drift.path}",
        related=tuple(_related(artifact, base, drift)),
    )


def _line_of(text: str, path: str) -> int | None:
    position = text.find(f'"{path}"')
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def _related(artifact: Artifact, base: Path, drift: Drift) -> Iterator[Location]:
    if drift.kind == "missing":
        return
    root = _scan_root(artifact)
    target = base / drift.path
    if target.is_relative_to(root):
        yield Location(target.relative_to(root).as_posix())
