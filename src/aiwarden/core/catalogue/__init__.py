"""The Guidelines for Secure AI System Development, and the taxonomies rules map to, as data.

The catalogue ships as ``catalogue.json`` inside the package: 4 areas, 17 guidelines
(SD-1..OM-4) with their behaviours (SD-3.d ...), the OWASP Top 10 for LLM Applications
2025 and the MITRE ATLAS techniques and mitigations aiwarden maps to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One recommended behaviour of a guideline (``SD-3.d``)."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Guideline:
    """One of the 17 guidelines (``SD-3``), with its behaviours and cross-walks."""

    id: str
    title: str
    area_id: str
    behaviours: tuple[Behaviour, ...]
    owasp_llm: tuple[str, ...]
    atlas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Area:
    """One of the four lifecycle areas (SD, DV, DP, OM)."""

    id: str
    title: str
    summary: str
    guidelines: tuple[Guideline, ...]


@dataclass(frozen=True, slots=True)
class TaxonomyEntry:
    """An OWASP LLM Top 10 or MITRE ATLAS entry."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The whole catalogue; look things up by id with the ``*_by_id`` maps."""

    source_title: str
    source_url: str
    source_note: str
    areas: tuple[Area, ...]
    owasp_llm_edition: str
    owasp_llm: tuple[TaxonomyEntry, ...]
    atlas_version: str
    atlas: tuple[TaxonomyEntry, ...]
    _by_id: dict[str, Guideline] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {g.id: g for area in self.areas for g in area.guidelines}
        object.__setattr__(self, "_by_id", by_id)

    @property
    def guidelines(self) -> tuple[Guideline, ...]:
        """All 17 guidelines in catalogue order."""
        return tuple(g for area in self.areas for g in area.guidelines)

    def guideline(self, gid: str) -> Guideline:
        """The guideline ``SD-3``, also when given a behaviour id ``SD-3.d``."""
        return self._guidelines_by_id()[gid.split(".", 1)[0]]

    def area_of(self, gid: str) -> Area:
        """The area that holds guideline or behaviour ``gid``."""
        area_id = self.guideline(gid).area_id
        return next(a for a in self.areas if a.id == area_id)

    def knows_guideline(self, gid: str) -> bool:
        """True for a known guideline id (``SD-3``) or behaviour id (``SD-3.d``)."""
        base = gid.split(".", 1)[0]
        guideline = self._guidelines_by_id().get(base)
        if guideline is None:
            return False
        return gid == base or any(b.id == gid for b in guideline.behaviours)

    def owasp_name(self, oid: str) -> str | None:
        """The name of an OWASP LLM id (``LLM03:2025``), or None if unknown."""
        return next((e.name for e in self.owasp_llm if e.id == oid), None)

    def atlas_name(self, aid: str) -> str | None:
        """The name of an ATLAS id (``AML.T0011.000``), or None if unknown."""
        return next((e.name for e in self.atlas if e.id == aid), None)

    def _guidelines_by_id(self) -> dict[str, Guideline]:
        return self._by_id


def _build(data: dict[str, Any]) -> Catalogue:
    areas = tuple(
        Area(
            id=a["id"],
            title=a["title"],
            summary=a["summary"],
            guidelines=tuple(
                Guideline(
                    id=g["id"],
                    title=g["title"],
                    area_id=a["id"],
                    behaviours=tuple(Behaviour(b["id"], b["text"]) for b in g["behaviours"]),
                    owasp_llm=tuple(g["owasp_llm"]),
                    atlas=tuple(g["atlas"]),
                )
                for g in a["guidelines"]
            ),
        )
        for a in data["areas"]
    )
    return Catalogue(
        source_title=data["source"]["title"],
        source_url=data["source"]["url"],
        source_note=data["source"]["note"],
        areas=areas,
        owasp_llm_edition=data["owasp_llm"]["edition"],
        owasp_llm=tuple(TaxonomyEntry(e["id"], e["name"]) for e in data["owasp_llm"]["entries"]),
        atlas_version=data["atlas"]["version"],
        atlas=tuple(TaxonomyEntry(e["id"], e["name"]) for e in data["atlas"]["entries"]),
    )


@cache
def load_catalogue() -> Catalogue:
    """Load the catalogue shipped with the package (cached)."""
    return _build(json.loads(_catalogue_text()))


def _catalogue_text() -> str:
    """The text of ``catalogue.json``: read beside this module where it is a plain file.

    ``importlib.resources`` (a few milliseconds to import) is only needed when the
    package is not on the file system, for example inside a zip archive.
    """
    try:
        return (Path(__file__).parent / "catalogue.json").read_text(encoding="utf-8")
    except OSError:
        from importlib import resources

        return resources.files(__name__).joinpath("catalogue.json").read_text(encoding="utf-8")


__all__ = ["Area", "Behaviour", "Catalogue", "Guideline", "TaxonomyEntry", "load_catalogue"]
