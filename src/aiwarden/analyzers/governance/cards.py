"""Model cards and data cards for the model and dataset directories found (GOV002, GOV003)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Final, Protocol

from aiwarden.analyzers.governance import rules as r
from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance._gap import Gap, looked_in, thin_gap
from aiwarden.analyzers.governance.documents import Bounds, GovDoc, covers, find, read_document
from aiwarden.analyzers.governance.markdown import Document
from aiwarden.analyzers.governance.project import DATA_DIR_NAMES, Project
from aiwarden.core.rule import Rule

MODEL_CARD_NAMES: Final = ("MODEL_CARD.md", "MODELCARD.md", "model-card.md")
MODEL_CARD_DOCS: Final = ("docs/model_card*.md", "docs/model-card*.md", "docs/modelcard*.md")
DATA_CARD_NAMES: Final = (
    "DATA_CARD.md",
    "DATACARD.md",
    "data-card.md",
    "DATASHEET.md",
    "DATASET_CARD.md",
    "dataset-card.md",
)
DATA_CARD_DOCS: Final = ("docs/data_card*.md", "docs/data-card*.md", "docs/datasheet*.md")
MAX_GROUPS: Final = 200
"""Model or dataset directories reported per project (the rest are counted)."""

MODEL_TOPICS: Final = (
    t.MODEL_INTENDED_USE,
    t.MODEL_LIMITATIONS,
    t.MODEL_TRAINING_DATA,
    t.MODEL_EVALUATION,
    t.MODEL_PROVENANCE,
)
DATA_TOPICS: Final = (
    t.DATA_SOURCE,
    t.DATA_COLLECTION,
    t.DATA_PERSONAL,
    t.DATA_BIASES,
)


def card_gaps(project: Project, bounds: Bounds) -> Iterator[Gap]:
    """GOV002 for model directories, GOV003 for dataset directories."""
    inventory = project.inventory
    yield from _gaps(
        project, bounds, r.MODEL_CARD, sorted(inventory.model_dirs), "model", _model_card
    )
    yield from _gaps(
        project, bounds, r.DATA_CARD, sorted(inventory.dataset_dirs), "dataset", _data_card
    )


def _gaps(
    project: Project,
    bounds: Bounds,
    rule: Rule,
    directories: Sequence[str],
    kind: str,
    finder: _Finder,
) -> Iterator[Gap]:
    reported: set[str] = set()
    if len(directories) > MAX_GROUPS:
        bounds.hit(f"more than {MAX_GROUPS} {kind} directories; the first were checked")
    for rel in directories[:MAX_GROUPS]:
        card = finder(project, rel, bounds)
        shown = f"{rel}/" if rel else "the project root"
        if card is None:
            yield Gap(
                rule,
                f"No {kind} card found for the {kind} files in {shown} "
                f"({looked_in(_names(kind), f' in {shown} and its parents')}).",
                key=f"{rule.id}: missing: {rel}",
                evidence=shown,
            )
            continue
        if card.relpath in reported:
            continue
        reported.add(card.relpath)
        missing = _missing(card, kind)
        if missing:
            yield thin_gap(rule, [card], f"{kind} card", missing)


class _Finder(Protocol):
    def __call__(self, project: Project, rel: str, bounds: Bounds, /) -> GovDoc | None: ...


def _names(kind: str) -> tuple[str, ...]:
    if kind == "model":
        return (*MODEL_CARD_NAMES, "README.md beside the model")
    return (*DATA_CARD_NAMES, "README.md in the data directory")


def _ancestors(rel: str) -> list[str]:
    """``rel`` and its parents inside the project, nearest first ("" is the project root)."""
    parts = PurePosixPath(rel).parts if rel else ()
    return ["/".join(parts[:n]) for n in range(len(parts), -1, -1)]


def _first(
    project: Project, dirs: Sequence[str], names: Sequence[str], bounds: Bounds
) -> Path | None:
    for rel in dirs:
        directory = project.directory / rel if rel else project.directory
        found = find(directory, names, bounds)
        if found:
            return found[0]
    return None


def _model_card(project: Project, rel: str, bounds: Bounds) -> GovDoc | None:
    path = _first(project, [rel], ("README.md",), bounds)
    path = path or _first(project, _ancestors(rel), MODEL_CARD_NAMES, bounds)
    path = path or _first(project, [""], MODEL_CARD_DOCS, bounds)
    return read_document(path, project.relpath(path)) if path else None


def _data_card(project: Project, rel: str, bounds: Bounds) -> GovDoc | None:
    data_roots = [
        a for a in _ancestors(rel) if a and PurePosixPath(a).name.lower() in DATA_DIR_NAMES
    ]
    path = _first(project, [rel, *data_roots], ("README.md",), bounds)
    path = path or _first(project, _ancestors(rel), DATA_CARD_NAMES, bounds)
    path = path or _first(project, [""], DATA_CARD_DOCS, bounds)
    return read_document(path, project.relpath(path)) if path else None


def _missing(card: GovDoc, kind: str) -> list[t.Topic]:
    document = card.document
    topics = MODEL_TOPICS if kind == "model" else DATA_TOPICS
    missing = [topic for topic in topics if not _covers(document, topic)]
    licence_topic = t.MODEL_LICENCE if kind == "model" else t.DATA_LICENCE
    if not has_licence(document, licence_topic):
        missing.insert(0, licence_topic)
    return missing


def _covers(document: Document, topic: t.Topic) -> bool:
    front = document.front_matter or {}
    if topic is t.MODEL_TRAINING_DATA and front.get("datasets"):
        return True
    if topic is t.MODEL_EVALUATION and front.get("model-index"):
        return True
    return covers(document, topic)


def has_licence(document: Document, topic: t.Topic) -> bool:
    """A ``license``/``licence`` front matter key, or (data cards) a licence section."""
    front = document.front_matter or {}
    if any(front.get(key) for key in ("license", "licence", "license_name")):
        return True
    return topic is t.DATA_LICENCE and covers(document, topic)
