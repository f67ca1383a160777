"""The Guidelines for Secure AI System Development, and the taxonomies rules map to, as data.

The catalogue ships as ``catalogue.json`` inside the package: 4 areas, 17 guidelines
(SD-1..OM-4) with their behaviours (SD-3.d ...), the OWASP Top 10 for LLM Applications
2025 and the MITRE ATLAS techniques and mitigations aiwarden maps to.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Final, NamedTuple


class Behaviour(NamedTuple):
    """One recommended behaviour of a guideline (``SD-3.d``).

    The catalogue's records are named tuples (immutable, compared and hashed by value,
    cheap to create at import, where a dataclass costs about half a millisecond).
    """

    id: str
    text: str


class Guideline(NamedTuple):
    """One of the 17 guidelines (``SD-3``), with its behaviours and cross-walks."""

    id: str
    title: str
    area_id: str
    behaviours: tuple[Behaviour, ...]
    owasp_llm: tuple[str, ...]
    atlas: tuple[str, ...]


class Area(NamedTuple):
    """One of the four lifecycle areas (SD, DV, DP, OM)."""

    id: str
    title: str
    summary: str
    guidelines: tuple[Guideline, ...]


class TaxonomyEntry(NamedTuple):
    """An OWASP LLM Top 10 or MITRE ATLAS entry."""

    id: str
    name: str


_CATALOGUE_FIELDS: Final = (
    "source_title",
    "source_url",
    "source_note",
    "areas",
    "owasp_llm_edition",
    "owasp_llm",
    "atlas_version",
    "atlas",
)


class Catalogue:
    """The whole catalogue; look things up by id with the ``*_by_id`` maps.

    Immutable, and equal (and hashed) by its fields. A plain slotted class rather than a
    named tuple because it keeps an index of the guidelines by id beside its fields.
    """

    __slots__ = ("_by_id", *_CATALOGUE_FIELDS)

    source_title: str
    source_url: str
    source_note: str
    areas: tuple[Area, ...]
    owasp_llm_edition: str
    owasp_llm: tuple[TaxonomyEntry, ...]
    atlas_version: str
    atlas: tuple[TaxonomyEntry, ...]
    _by_id: dict[str, Guideline]

    def __init__(
        self,
        source_title: str,
        source_url: str,
        source_note: str,
        areas: tuple[Area, ...],
        owasp_llm_edition: str,
        owasp_llm: tuple[TaxonomyEntry, ...],
        atlas_version: str,
        atlas: tuple[TaxonomyEntry, ...],
    ) -> None:
        values = (
            source_title,
            source_url,
            source_note,
            areas,
            owasp_llm_edition,
            owasp_llm,
            atlas_version,
            atlas,
        )
        for name, value in zip(_CATALOGUE_FIELDS, values, strict=True):
            object.__setattr__(self, name, value)
        by_id = {g.id: g for area in areas for g in area.guidelines}
        object.__setattr__(self, "_by_id", by_id)

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _CATALOGUE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalogue) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

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
