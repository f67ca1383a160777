"""Model inventory records: AI-BOM (GOV006), integrity records (GOV008), prompts (GOV007)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Final

from aiwarden.analyzers.governance import rules as r
from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance._gap import Gap
from aiwarden.analyzers.governance.documents import Bounds, covers, find, read_document, read_raw
from aiwarden.analyzers.governance.project import MODEL_SUFFIXES, PROMPT_DIR_NAMES, Project

MAX_BOM_BYTES: Final = 8 * 1024 * 1024
MAX_COMPONENTS: Final = 100_000
_SHOWN: Final = 5


@dataclass
class BomFacts:
    """What the project's BOM files say about models (names and hashed names)."""

    files: list[str] = field(default_factory=list)
    models: set[str] = field(default_factory=set)
    hashed: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def read_boms(project: Project, bounds: Bounds) -> BomFacts:
    """Parse the CycloneDX and SPDX files found by the walk (bounded)."""
    facts = BomFacts()
    for rel in project.inventory.boms[:50]:
        path = project.directory / rel
        try:
            data = read_raw(path, MAX_BOM_BYTES)
        except OSError as exc:
            facts.problems.append(f"{rel} cannot be read ({exc.strerror or exc})")
            continue
        if len(data) > MAX_BOM_BYTES:
            bounds.hit(f"{rel} is over {MAX_BOM_BYTES} bytes")
            continue
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):
            facts.problems.append(f"{rel} is not valid JSON")
            continue
        if isinstance(value, dict) and _collect(value, facts):
            facts.files.append(rel)
    return facts


def _collect(value: dict[str, object], facts: BomFacts) -> bool:
    """Record the models of one BOM document; False if it is neither CycloneDX nor SPDX."""
    if value.get("bomFormat") == "CycloneDX":
        stack = [value.get("components")]
        seen = 0
        while stack and seen < MAX_COMPONENTS:
            items = stack.pop()
            for item in items if isinstance(items, list) else []:
                seen += 1
                if isinstance(item, dict):
                    _component(item, facts)
                    stack.append(item.get("components"))
        return True
    if "spdxVersion" in value or "@context" in value:
        for key in ("packages", "files", "@graph"):
            for item in _as_list(value.get(key))[:MAX_COMPONENTS]:
                if isinstance(item, dict):
                    _spdx_item(item, facts)
        return True
    return False


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _component(item: dict[str, object], facts: BomFacts) -> None:
    name = str(item.get("name", ""))
    if item.get("type") != "machine-learning-model" and not _looks_like_model(name):
        return
    facts.models.add(name)
    if _as_list(item.get("hashes")):
        facts.hashed.add(name)


def _spdx_item(item: dict[str, object], facts: BomFacts) -> None:
    name = str(item.get("name") or item.get("fileName") or "")
    purpose = str(item.get("primaryPackagePurpose") or item.get("software_primaryPurpose") or "")
    kind = str(item.get("type", ""))
    if purpose.lower() != "model" and "AIPackage" not in kind and not _looks_like_model(name):
        return
    facts.models.add(name)
    if _as_list(item.get("checksums")) or _as_list(item.get("verifiedUsing")):
        facts.hashed.add(name)


def _looks_like_model(name: str) -> bool:
    return name.lower().endswith(MODEL_SUFFIXES)


def _listed(model: str, names: set[str]) -> bool:
    base = PurePosixPath(model).name
    return any(
        n == model or n.endswith("/" + model) or PurePosixPath(n).name == base for n in names
    )


def bom_gaps(project: Project, facts: BomFacts) -> Iterator[Gap]:
    """GOV006: a project with model files but no BOM listing models."""
    models = project.inventory.models
    if not models and not project.inventory.model_dirs:
        return
    if not facts.files:
        note = f" ({'; '.join(facts.problems[:2])})" if facts.problems else ""
        yield Gap(
            r.AI_BOM,
            f"The project holds {_count(models, project.inventory.model_dirs)} but no CycloneDX or "
            f"SPDX BOM (looked for *.cdx.json, bom.json, *.spdx.json){note}.",
            key=f"{r.AI_BOM.id}: missing",
        )
        return
    if not facts.models:
        yield Gap(
            r.AI_BOM,
            f"The BOM ({facts.files[0]}) lists no model although the project holds "
            f"{_count(models, project.inventory.model_dirs)}.",
            key=f"{r.AI_BOM.id}: no models",
            relpath=project.prefix + facts.files[0],
        )


def _count(models: Sequence[str], dirs: set[str]) -> str:
    if models:
        return f"{len(models)} model file{'s' if len(models) != 1 else ''}"
    return f"{len(dirs)} model director{'ies' if len(dirs) != 1 else 'y'}"


def integrity_gaps(project: Project, facts: BomFacts, bounds: Bounds) -> Iterator[Gap]:
    """GOV008: model files that no checksum manifest, hashed BOM entry or signature names."""
    inventory = project.inventory
    if not inventory.models:
        return
    manifests = _manifest_text(project)
    signed_dirs = {str(PurePosixPath(s).parent) for s in inventory.signatures}
    unrecorded = [
        m
        for m in inventory.models
        if not _recorded(m, manifests, facts.hashed, signed_dirs, inventory.checksums)
    ]
    if not unrecorded:
        return
    shown = ", ".join(unrecorded[:_SHOWN]) + (" ..." if len(unrecorded) > _SHOWN else "")
    yield Gap(
        r.INTEGRITY_RECORDS,
        f"{len(unrecorded)} of {len(inventory.models)} model files have no integrity record "
        f"(no SHA256SUMS/checksums line, *.sha256 file, hashed BOM entry or signature "
        f"names them): {shown}.",
        key=f"{r.INTEGRITY_RECORDS.id}: " + ",".join(sorted(unrecorded)[:20]),
        evidence=shown[:300],
    )


def _manifest_text(project: Project) -> str:
    parts = []
    for rel in project.inventory.checksums[:50]:
        try:
            parts.append(
                read_raw(project.directory / rel, MAX_BOM_BYTES).decode("utf-8", "replace")
            )
        except OSError:
            continue
    return "\n".join(parts)


def _recorded(
    model: str, manifests: str, hashed: set[str], signed_dirs: set[str], checksums: list[str]
) -> bool:
    path = PurePosixPath(model)
    if any(c.lower() in (f"{model}.sha256".lower(), f"{model}.sha512".lower()) for c in checksums):
        return True
    if any(_names_file(line, model) for line in manifests.splitlines()):
        return True
    if _listed(model, hashed):
        return True
    parents = {str(p) for p in path.parents}
    return bool(parents & signed_dirs)


def _names_file(line: str, model: str) -> bool:
    """True if a ``sha256sum``-style line (``<hash>  [*]path``) names ``model``."""
    fields = line.split()
    if len(fields) < 2:
        return False
    named = fields[-1].lstrip("*").removeprefix("./")
    return named == model or named.endswith("/" + model) or named == PurePosixPath(model).name


def prompt_gaps(project: Project, bounds: Bounds) -> Iterator[Gap]:
    """GOV007: prompt files whose directories have no README and no prompt docs."""
    prompts = project.inventory.prompts
    if not prompts or _project_documents_prompts(project, bounds):
        return
    undocumented = sorted(
        {
            str(PurePosixPath(p).parent)
            for p in prompts
            if not _documented(project, PurePosixPath(p).parent, bounds)
        }
    )
    if not undocumented:
        return
    shown = ", ".join(d if d != "." else "the project root" for d in undocumented[:_SHOWN])
    yield Gap(
        r.PROMPTS_UNDOCUMENTED,
        f"Prompt files in {shown} are not documented (no README in the prompt directory, "
        "no docs/*prompt* page and no Prompts section in the project README).",
        key=f"{r.PROMPTS_UNDOCUMENTED.id}: " + ",".join(undocumented[:20]),
        evidence=shown[:300],
    )


def _documented(project: Project, directory: PurePosixPath, bounds: Bounds) -> bool:
    for candidate in (directory, *directory.parents):
        if str(candidate) == ".":
            return False
        if candidate != directory and candidate.name.lower() not in PROMPT_DIR_NAMES:
            continue
        if find(project.directory / str(candidate), ("README*", "index.md"), bounds):
            return True
    return False


def _project_documents_prompts(project: Project, bounds: Bounds) -> bool:
    if find(project.directory, ("docs/*prompt*",), bounds):
        return True
    for path in find(project.directory, ("README.md", "README.rst", "README"), bounds):
        if covers(read_document(path, path.name).document, t.PROMPT_DOCS):
            return True
    return False
