"""Model cards, data cards and prompt documentation for the AI assets the project holds.

Which directories need a card is the governance analyzer's inventory (see
:mod:`._docs_project`), and a card is looked for where AIW-GOV002/003 look: a README
beside the files, a MODEL_CARD.md / DATA_CARD.md in the directory or a parent below
the assessed directory, or a docs/model_card*.md page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.cards import (
    DATA_CARD_DOCS,
    DATA_CARD_NAMES,
    MODEL_CARD_DOCS,
    MODEL_CARD_NAMES,
    _ancestors,
    _covers,
    has_licence,
)
from aiwarden.analyzers.governance.documents import GovDoc
from aiwarden.analyzers.governance.project import DATA_DIR_NAMES
from aiwarden.assess.evidence import _docs_vocab as v
from aiwarden.assess.evidence._docs_base import load, locate, names, plural, quote, series, subject
from aiwarden.assess.evidence._docs_project import ai_reason, assets
from aiwarden.assess.evidence._docs_text import lacking
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

MAX_DIRS: Final = 200
"""Model or dataset directories looked at (the first, in path order)."""
MIN_FIELDS: Final = 3
"""DV-3.b fields a set of cards must carry to support DV-3.b (fewer: AIW-GOV002/003 report)."""


@dataclass(frozen=True, slots=True)
class Cards:
    """Which directories have a card, and the cards read."""

    documented: tuple[str, ...]
    undocumented: tuple[str, ...]
    docs: tuple[GovDoc, ...]

    @property
    def paths(self) -> list[str]:
        """Scan-root relpaths of the cards."""
        return [d.relpath for d in self.docs]


def find_cards(view: ProjectView, dirs: Sequence[str], *, data: bool) -> Cards:
    """The card of each directory in ``dirs`` (local paths), looked for as GOV002/003 do."""
    index = {view.local(f).lower(): f for f in view.files}
    card_names = DATA_CARD_NAMES if data else (*MODEL_CARD_NAMES, "model_card.md")
    shared = locate(view, DATA_CARD_DOCS if data else MODEL_CARD_DOCS)[:1]
    documented: list[str] = []
    undocumented: list[str] = []
    found: dict[str, GovDoc] = {}
    for rel in dirs[:MAX_DIRS]:
        readme_dirs = [rel, *_data_roots(rel)] if data else [rel]
        relpath = _card(index, rel, readme_dirs, card_names) or next(iter(shared), None)
        doc = load(view, relpath) if relpath else None
        if doc is None:
            undocumented.append(rel)
            continue
        documented.append(rel)
        found.setdefault(doc.relpath, doc)
    return Cards(tuple(documented), tuple(undocumented), tuple(found.values()))


def _data_roots(rel: str) -> list[str]:
    """The ``data``-like parents of ``rel``, whose README covers it (as for GOV003)."""
    return [a for a in _ancestors(rel) if a and PurePosixPath(a).name.lower() in DATA_DIR_NAMES]


def _card(
    index: dict[str, str], rel: str, readme_dirs: Sequence[str], names_: Sequence[str]
) -> str | None:
    """A README in ``readme_dirs``, else a card named ``names_`` in ``rel`` or a parent."""
    for directory in readme_dirs:
        hit = index.get(_join(directory, "readme.md"))
        if hit:
            return hit
    for directory in _ancestors(rel):
        for name in names_:
            hit = index.get(_join(directory, name.lower()))
            if hit:
                return hit
    return None


def _join(directory: str, name: str) -> str:
    return f"{directory.lower()}/{name}" if directory else name


def _dirs(shown: Sequence[str]) -> str:
    """``models/ and data/`` for local directories ("" is the assessed directory)."""
    return series([f"{d}/" if d else "the project root" for d in shown[:3]]) + (
        f" and {len(shown) - 3} more" if len(shown) > 3 else ""
    )


def fields(docs: Sequence[GovDoc], topics: Sequence[t.Topic]) -> tuple[list[str], list[str]]:
    """``(covered, missing)`` DV-3.b field labels over the cards (front matter counts)."""
    covered = [x.label for x in topics if any(_covers(d.document, x) for d in docs)]
    return covered, [x.label for x in topics if x.label not in covered]


class _CardCheck(EvidenceCheck):
    """What model and data cards share: presence (DV-3.a) and DV-3.b fields."""

    kind: ClassVar[str]
    topics: ClassVar[tuple[t.Topic, ...]]

    def _presence(self, project: ProjectView, dirs: Sequence[str], cards: Cards) -> Evidence:
        kind = self.kind
        if not cards.docs:
            return self.undermines(
                "DV-3.a",
                f"{plural(len(dirs), kind + ' directory', kind + ' directories')} "
                f"({_dirs(dirs)}) {'hold' if len(dirs) != 1 else 'holds'} {kind} files but "
                f"none has a {kind} card (looked for a "
                f"README.md beside them, a {kind.upper()}_CARD.md and docs/{kind}_card*.md).",
            )
        missing = f"; none for {_dirs(cards.undocumented)}" if cards.undocumented else ""
        total = len(cards.documented) + len(cards.undocumented)
        counted = plural(total, f"{kind} directory", f"{kind} directories")
        return self.supports(
            "DV-3.a",
            f"{kind.capitalize()} cards ({names(project, cards.paths)}) document "
            f"{len(cards.documented)} of {counted}{missing}.",
            Strength.DOCUMENT_PRESENT,
            cards.paths,
        )

    def _fields(self, project: ProjectView, cards: Cards) -> Iterator[Evidence]:
        covered, missing = fields(cards.docs, self.topics)
        if len(covered) < MIN_FIELDS:
            return
        yield self.supports(
            "DV-3.b",
            f"{self.kind.capitalize()} cards ({names(project, cards.paths)}) carry "
            f"{len(covered)} of {len(self.topics)} security-relevant fields "
            f"({series(covered)}){lacking(missing)}.",
            Strength.DOCUMENT_PRESENT,
            cards.paths,
        )


class ModelCardsCheck(_CardCheck):
    """Model cards for the project's models (DV-3.a/b), limitations (DP-4.b), provenance (SD-4.b).

    Projects without model files or model directories get no evidence. Model
    directories without any card undermine DV-3.a (AIW-GOV002 maps to DV-3.b, not to
    DV-3.a); thin cards are left to AIW-GOV002.
    """

    id: ClassVar[str] = "docs.model-cards"
    title: ClassVar[str] = "Model cards"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-3.a", "DV-3.b", "DP-4.b", "SD-4.b")
    kind: ClassVar[str] = "model"
    topics: ClassVar[tuple[t.Topic, ...]] = v.MODEL_FIELDS
    remediation: ClassVar[str] = (
        "Add a model card for each model directory (README.md with Hugging Face front matter "
        "beside the weights, or MODEL_CARD.md): front matter with license, base_model and "
        "the pinned revision; sections for intended use and out-of-scope use, limitations "
        "and failure modes, training data sources (including fine-tuning data and feedback), "
        "guardrails around the model, SHA-256 hashes or signatures of the files, retention "
        "time and a review frequency."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the model cards document, or that models have none."""
        dirs = assets(project).model_dirs
        if not dirs:
            return
        cards = find_cards(project, dirs, data=False)
        yield self._presence(project, dirs, cards)
        if not cards.docs:
            return
        yield from self._fields(project, cards)
        limits = [
            d
            for d in cards.docs
            if _covers(d.document, t.MODEL_LIMITATIONS) or _covers(d.document, v.FAILURE_MODES)
        ]
        if limits:
            paths = [d.relpath for d in limits]
            yield self.supports(
                "DP-4.b",
                f"{subject(project, paths, 'The model cards')} "
                "publishes the model's limitations or failure modes.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        yield from self._provenance(project, cards.docs)

    def _provenance(self, project: ProjectView, docs: Sequence[GovDoc]) -> Iterator[Evidence]:
        parts: list[str] = []
        paths: list[str] = []
        for doc in docs:
            found = _provenance_of(doc)
            if found:
                paths.append(doc.relpath)
                parts.extend(p for p in found if p not in parts)
        if parts:
            yield self.supports(
                "SD-4.b",
                f"{subject(project, paths, 'The model cards')} "
                f"records the model's provenance ({series(parts[:4])}).",
                Strength.DOCUMENT_PRESENT,
                paths,
            )


def _provenance_of(doc: GovDoc) -> list[str]:
    front = doc.document.front_matter or {}
    found: list[str] = []
    base = front.get("base_model")
    if isinstance(base, str) and base.strip():
        found.append(f"base model {quote(base, 50)}")
    if has_licence(doc.document, t.MODEL_LICENCE):
        found.append("licence")
    if _covers(doc.document, v.REVISION) or front.get("revision"):
        found.append("pinned revision")
    if _covers(doc.document, t.MODEL_PROVENANCE):
        found.append("source or file hashes")
    return found


class DataCardsCheck(_CardCheck):
    """Data cards or datasheets for the project's datasets (DV-3.a, DV-3.b).

    Projects without datasets get no evidence; dataset directories without any card
    undermine DV-3.a in AI projects (AIW-GOV003 maps to DV-3.b, not DV-3.a; a web
    application's ``data/countries.csv`` is not training data); thin cards are left to
    AIW-GOV003.
    """

    id: ClassVar[str] = "docs.data-cards"
    title: ClassVar[str] = "Data cards"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-3.a", "DV-3.b")
    kind: ClassVar[str] = "data"
    topics: ClassVar[tuple[t.Topic, ...]] = v.DATA_FIELDS
    remediation: ClassVar[str] = (
        "Add a data card (DATA_CARD.md, or README.md in the data directory) for each dataset "
        "with: licence, sources (including fine-tuning data and user feedback), how the data "
        "was collected and labelled, how personal data was removed or protected, known biases "
        "and limitations, SHA-256 hashes of the files, retention time and a review frequency."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the data cards document, or that datasets have none."""
        dirs = assets(project).dataset_dirs
        if not dirs:
            return
        cards = find_cards(project, dirs, data=True)
        if cards.docs or ai_reason(project) is not None:
            yield self._presence(project, dirs, cards)
        if cards.docs:
            yield from self._fields(project, cards)
