"""Small phrasing helpers shared by the document checks' summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiwarden.analyzers.governance.documents import GovDoc, covers
from aiwarden.assess.evidence._docs_base import first_match, quote, series

if TYPE_CHECKING:
    from aiwarden.analyzers.governance.topics import Topic


def lacking(missing: Sequence[str]) -> str:
    """``; no a or b`` for the labels of missing topics, empty when none is missing."""
    return f"; no {series(list(missing), 'or')}" if missing else ""


def section_named(docs: Sequence[GovDoc], topic: Topic) -> str | None:
    """The title of the first section whose heading matches ``topic`` (with enough text)."""
    if topic.headings is None:
        return None
    for doc in docs:
        for section in doc.document.sections:
            if topic.headings.search(section.title) and section.words >= topic.min_words:
                return quote(section.title, 50)
    return None


def covered_in(docs: Sequence[GovDoc], topic: Topic) -> bool:
    """True if any of ``docs`` covers ``topic``."""
    return any(covers(doc.document, topic) for doc in docs)


def problems(docs: Sequence[GovDoc]) -> str:
    """`` (X: only its first ... were analysed)`` for truncated documents, else empty."""
    notes = [f"{doc.relpath.rsplit('/', 1)[-1]}: {doc.problem}" for doc in docs if doc.problem]
    return f" ({'; '.join(notes[:2])})" if notes else ""


def phrase_in(docs: Sequence[GovDoc], topic: Topic, fallback: str) -> str:
    """The first phrase of ``docs`` that matches ``topic``, else ``fallback``."""
    found = first_match(docs, topic.phrases) if topic.phrases is not None else None
    return found or fallback


def how(docs: Sequence[GovDoc], topic: Topic) -> str:
    """``its 'Limitations' section`` or ``'may produce incorrect answers'``."""
    section = section_named(docs, topic)
    if section:
        return f"its '{section}' section"
    return f"'{phrase_in(docs, topic, 'a matching passage')}'"
