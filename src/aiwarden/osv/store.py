"""Advisory stores: where OSV records come from.

:class:`AdvisoryStore` is the interface: records for one package, and a description
for ``aiwarden db status``. :class:`BundledStore` serves the curated snapshot shipped in
``aiwarden/osv/data``; :class:`~aiwarden.osv.sqlite_store.SqliteStore` an imported OSV
dump; :class:`CombinedStore` asks several and drops duplicate records.
:func:`default_store` is what scans use: the snapshot plus the local database if one
has been imported.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from aiwarden.core.log import get_logger
from aiwarden.osv.model import OsvRecord, RecordError, ecosystem_base, normalize_name, parse_record
from aiwarden.osv.paths import default_db_path

logger = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What a store holds, for ``aiwarden db status``."""

    name: str
    location: str
    records: int
    packages: int
    details: tuple[tuple[str, str], ...] = ()


class AdvisoryStore(abc.ABC):
    """A source of OSV records, looked up by ecosystem and package name."""

    @abc.abstractmethod
    def records_for(self, ecosystem: str, name: str) -> Sequence[OsvRecord]:
        """Every record with an ``affected`` entry for ``name`` in ``ecosystem``."""

    @abc.abstractmethod
    def info(self) -> StoreInfo:
        """A description of what the store holds."""


class BundledStore(AdvisoryStore):
    """The curated snapshot in ``aiwarden/osv/data/*.json`` (each file a list of records)."""

    def __init__(self, records: Sequence[OsvRecord] | None = None) -> None:
        self._records = tuple(records) if records is not None else bundled_records()
        index: dict[tuple[str, str], list[OsvRecord]] = {}
        for record in self._records:
            for affected in record.affected:
                key = (ecosystem_base(affected.ecosystem), affected.normalized)
                if record not in index.setdefault(key, []):
                    index[key].append(record)
        self._index = index

    def records_for(self, ecosystem: str, name: str) -> Sequence[OsvRecord]:
        """Records for one package (an in-memory lookup)."""
        return self._index.get((ecosystem, normalize_name(ecosystem, name)), ())

    def info(self) -> StoreInfo:
        """The snapshot's record and package counts."""
        return StoreInfo(
            "bundled snapshot", "aiwarden/osv/data", len(self._records), len(self._index)
        )

    @property
    def records(self) -> tuple[OsvRecord, ...]:
        """Every record of the snapshot."""
        return self._records


class CombinedStore(AdvisoryStore):
    """Several stores asked in order; a record whose id was already seen is dropped."""

    def __init__(self, stores: Sequence[AdvisoryStore]) -> None:
        self.stores = tuple(stores)

    def records_for(self, ecosystem: str, name: str) -> Sequence[OsvRecord]:
        """The records of every store, first store first, without repeated ids."""
        seen: set[str] = set()
        out: list[OsvRecord] = []
        for store in self.stores:
            for record in store.records_for(ecosystem, name):
                if record.id not in seen:
                    seen.add(record.id)
                    out.append(record)
        return out

    def info(self) -> StoreInfo:
        """The sum of the stores' counts (packages may be counted twice)."""
        infos = [s.info() for s in self.stores]
        return StoreInfo(
            " + ".join(i.name for i in infos),
            "; ".join(i.location for i in infos),
            sum(i.records for i in infos),
            sum(i.packages for i in infos),
        )


@lru_cache(maxsize=1)
def bundled_records() -> tuple[OsvRecord, ...]:
    """Every record of the bundled snapshot (parsed once per process)."""
    records: list[OsvRecord] = []
    folder = resources.files("aiwarden.osv") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        for raw in json.loads(entry.read_text(encoding="utf-8")):
            try:
                records.append(parse_record(raw))
            except RecordError as exc:  # a packaging bug: the snapshot is tested
                logger.warning("bundled OSV record skipped: %s", exc)
    return tuple(records)


def default_store(db_path: Path | None = None) -> AdvisoryStore:
    """The snapshot, plus the local SQLite database when it exists.

    The database comes first so that its (newer, fuller) copy of a record wins over
    the snapshot's; records are merged by alias when matched.
    """
    from aiwarden.osv.sqlite_store import SqliteStore

    path = db_path if db_path is not None else default_db_path()
    bundled = BundledStore()
    if path.is_file():
        return CombinedStore((SqliteStore(path), bundled))
    return bundled
