"""Evidence from model artefacts: formats, BOMs, integrity records and asset versioning.

Formats come from the scan's classification of each file's content; integrity records
are verified by hashing the model files (streamed, bounded); BOMs are parsed with the
BOM drift analyzer's reader and trusted as matching only when that analyzer examined
them and reported nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.bom_drift.document import BomProblem, parse_bom
from aiwarden.analyzers.bom_drift.sniff import looks_like_bom
from aiwarden.analyzers.deps.manifest import SCOPE_DEVELOPMENT
from aiwarden.analyzers.governance.project import BOM_PATTERNS
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence._code import load_code
from aiwarden.assess.evidence._deps import AI_MODULES, AI_PACKAGES, load_deps
from aiwarden.assess.evidence._integrity import load_records, verify
from aiwarden.assess.evidence._models import ModelFile, Safety, model_files
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

MAX_BOM_CANDIDATES: Final = 300
_BOM_HEAD: Final = 65_536
_SPDX: Final = re.compile(rb'"spdxVersion"|^SPDXVersion:', re.MULTILINE)
_LFS: Final = re.compile(r"^\s*(\S+)\s.*\bfilter=lfs\b", re.MULTILINE)


class ModelSafeFormats(EvidenceCheck):
    """Model files in formats that cannot carry code (safetensors, GGUF, ONNX)."""

    id: ClassVar[str] = "models.safe-formats"
    title: ClassVar[str] = "Models use safe serialisation formats"
    behaviours: ClassVar[tuple[str, ...]] = ("SD-3.d", "DV-1.b")
    remediation: ClassVar[str] = (
        "Convert pickle-based models (.pt, .pkl, .joblib, .bin) to safetensors, ONNX or "
        "GGUF, and load them without pickle."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports SD-3.d (verified) when every model file is in a safe format;
        undermines it for pickle-based or code-carrying model files."""
        models = model_files(project)
        if not models:
            return
        unsafe = [m for m in models if m.safety is Safety.UNSAFE]
        other = [m for m in models if m.safety is Safety.OTHER]
        if unsafe:
            listed = [f"{project.local(m.path)} ({m.why})" for m in unsafe]
            yield self.undermines(
                "SD-3.d",
                f"{len(unsafe)} of {fs.plural(len(models), 'model file')} use a format that "
                f"can run code when loaded: {fs.shown(listed)}",
                paths=[m.path for m in unsafe],
            )
            return
        formats = sorted({m.format for m in models if m.safety is Safety.SAFE})
        if not other:
            summary = (
                f"every model file is {' or '.join(formats)} ({fs.plural(len(models), 'file')})"
            )
            paths = [m.path for m in models][:20]
            yield self.supports("SD-3.d", summary, Strength.VERIFIED, paths)
            yield self.supports("DV-1.b", summary, Strength.HEURISTIC, paths)
            return
        yield self.supports(
            "SD-3.d",
            f"no pickle-based or code-carrying model among {fs.plural(len(models), 'file')}; "
            f"{len(other)} in other formats: {fs.shown([project.local(m.path) for m in other])}",
            Strength.HEURISTIC,
            [m.path for m in models][:20],
        )


def _bom_files(project: ProjectView) -> list[str]:
    """CycloneDX and SPDX documents among the project's own files."""
    found: list[str] = []
    read = 0
    named = set(project.glob(*BOM_PATTERNS, "*.spdx"))
    for relpath in fs.own_files(project):
        fmt = project.formats.get(relpath, "")
        if relpath in named:
            found.append(relpath)
        elif fmt == "json" and read < MAX_BOM_CANDIDATES:
            read += 1
            head = fs.read_head(project.root, relpath, _BOM_HEAD) or b""
            if looks_like_bom(head) or _SPDX.search(head):
                found.append(relpath)
    return found


def _listed_models(project: ProjectView, relpath: str) -> int:
    """Local model files (path and SHA-256) a CycloneDX BOM lists; 0 if none or unreadable."""
    text = fs.read_text_head(project, relpath, 16 * 1024 * 1024)
    if text is None:
        return 0
    try:
        document = parse_bom(text, named_as_bom=False)
    except BomProblem:
        return 0
    return len(document.models) if document is not None else 0


def ai_libraries(project: ProjectView) -> list[str]:
    """AI libraries the project uses: declared by any manifest for runtime or as an
    optional extra (a development-only dependency, such as ``openai`` in a ``test``
    group, is not a use), or imported by non-test code."""
    deps = load_deps(project)
    declared = {d.normalized for d in deps.dependencies if d.scope != SCOPE_DEVELOPMENT}
    code = load_code(project)
    imported = {
        module.split(".")[0]
        for module in AI_MODULES
        if any(not fs.incidental(project, f) for f in code.imported(module))
    }
    return sorted((declared & AI_PACKAGES) | imported)


class BomPresent(EvidenceCheck):
    """A CycloneDX or SPDX bill of materials, matched against the model files."""

    id: ClassVar[str] = "bom.present"
    title: ClassVar[str] = "An AI bill of materials is kept"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-3.c", "DV-2.a", "DV-1.a")
    remediation: ClassVar[str] = (
        "Generate a CycloneDX ML-BOM (aiwarden bom) listing models with their SHA-256, "
        "commit it, and check it in CI."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-3.c (verified when the BOM drift check passed); undermines it when
        a project with models or AI libraries keeps no BOM."""
        boms = _bom_files(project)
        if not boms:
            yield from self._missing(project)
            return
        listed = sum(_listed_models(project, b) for b in boms)
        scanned = {f.path for f in project.report.scanned}
        drift = list(project.findings("AIW-BOM001", "AIW-BOM002"))
        clean = not drift and project.report.complete and all(b in scanned for b in boms)
        if listed and clean:
            yield self.supports(
                "DV-3.c",
                f"the BOM matches the model files ({fs.plural(listed, 'model')} listed with "
                "SHA-256, checked by the scan)",
                Strength.VERIFIED,
                boms,
            )
        else:
            yield self.supports(
                "DV-3.c", f"a BOM is kept ({fs.shown(boms, 3)})", Strength.DOCUMENT_PRESENT, boms
            )
        yield self.supports(
            "DV-2.a", "a BOM inventories the AI assets", Strength.DOCUMENT_PRESENT, boms
        )
        yield self.supports(
            "DV-1.a", "a BOM records the supply chain", Strength.DOCUMENT_PRESENT, boms
        )

    def _missing(self, project: ProjectView) -> Iterator[Evidence]:
        models = model_files(project)
        ai = ai_libraries(project)
        if models:
            what = fs.plural(len(models), "model file")
        elif ai:
            what = "AI dependencies (" + fs.shown(ai, 3) + ")"
        else:
            return
        yield self.undermines(
            "DV-3.c",
            f"no CycloneDX or SPDX BOM although the project has {what}",
            paths=[m.path for m in models][:10],
        )


class ModelIntegrity(EvidenceCheck):
    """Checksums or signatures of the model files, verified where they are SHA-256."""

    id: ClassVar[str] = "models.integrity"
    title: ClassVar[str] = "Model files have verified hashes"
    behaviours: ClassVar[tuple[str, ...]] = ("DP-2.c", "DV-2.d")
    remediation: ClassVar[str] = (
        "Record the SHA-256 of every model file (sha256sum > SHA256SUMS, or sign them with "
        "model-signing) and verify it before loading."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Verified support or undermining of DP-2.c by hashing the model files."""
        models = [m for m in model_files(project) if "!" not in m.path]
        if not models:
            return
        records = load_records(project, models)
        checked = verify(project, records)
        sources = sorted(records.sources)
        if checked.mismatched:
            yield self.undermines(
                "DP-2.c",
                f"model files that do not match their recorded SHA-256 "
                f"({len(checked.mismatched)}): "
                f"{fs.shown([project.local(p) for p in checked.mismatched])}",
                Strength.VERIFIED,
                checked.mismatched + sources,
            )
        recorded = set(records.sha256) | records.other | records.signed
        missing = [m.path for m in models if m.path not in recorded]
        if missing:
            yield self.undermines(
                "DP-2.c",
                f"model files without a checksum or signature ({len(missing)} of "
                f"{len(models)}): {fs.shown([project.local(p) for p in missing])}",
                paths=missing[:20],
            )
        if not checked.mismatched:
            yield from self._support(models, checked.matched, checked.unverified, sources)

    def _support(
        self,
        models: list[ModelFile],
        matched: list[str],
        unverified: dict[str, str],
        sources: list[str],
    ) -> Iterator[Evidence]:
        if not matched and not sources:
            return
        if len(matched) == len(models):
            summary = (
                f"every model file matches its recorded SHA-256 ({fs.plural(len(models), 'file')})"
            )
            yield self.supports("DP-2.c", summary, Strength.VERIFIED, sources + matched)
            yield self.supports("DV-2.d", summary, Strength.HEURISTIC, sources + matched)
            return
        notes = sorted(set(unverified.values())) or ["signature or non-SHA-256 record only"]
        yield self.supports(
            "DP-2.c",
            f"integrity records cover model files ({len(matched)} of {len(models)} verified; "
            f"{'; '.join(notes)})",
            Strength.DOCUMENT_PRESENT,
            sources,
        )


class AssetVersioning(EvidenceCheck):
    """Data and model versioning: DVC, Git LFS, an MLflow model registry, a prompt registry."""

    id: ClassVar[str] = "assets.versioning"
    title: ClassVar[str] = "AI assets are versioned"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-2.d", "DV-2.a")
    remediation: ClassVar[str] = (
        "Track models, datasets and prompts with DVC, Git LFS or a model registry, so any "
        "version can be restored."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-2.d (and DV-2.a for registries) for each versioning mechanism found."""
        dvc = [
            f
            for f in fs.own_files(project)
            if PurePosixPath(f).name.lower() in ("dvc.yaml", "dvc.lock")
            or f.lower().endswith(".dvc")
            or project.local(f) == ".dvc/config"
        ]
        if dvc:
            summary = "data or models are versioned with DVC"
            yield self.supports("DV-2.d", summary, Strength.HEURISTIC, dvc[:10])
            yield self.supports("DV-2.a", summary, Strength.HEURISTIC, dvc[:10])
        lfs, patterns = self._lfs(project)
        if patterns:
            yield self.supports(
                "DV-2.d",
                f"Git LFS versions {fs.shown(patterns, 4)}",
                Strength.HEURISTIC,
                lfs,
            )
        code = load_code(project)
        for signal, what in (
            ("mlflow_registry", "models are registered in an MLflow model registry"),
            ("prompt_registry", "prompts are versioned in a prompt registry"),
        ):
            hits = code.signals.get(signal, [])
            if hits:
                yield self.supports("DV-2.d", what, Strength.HEURISTIC, hits[:10])
                yield self.supports("DV-2.a", what, Strength.HEURISTIC, hits[:10])

    @staticmethod
    def _lfs(project: ProjectView) -> tuple[list[str], list[str]]:
        for base in [project.prefix.rstrip("/"), *fs.ancestor_dirs(project)]:
            relpath = fs.join(base, ".gitattributes")
            text = fs.read_text_head(project, relpath)
            if text:
                patterns = _LFS.findall(text)
                if patterns:
                    return [relpath], patterns
        return [], []


CHECKS: tuple[EvidenceCheck, ...] = (
    ModelSafeFormats(),
    BomPresent(),
    ModelIntegrity(),
    AssetVersioning(),
)
