"""The local OSV database: records imported from OSV dumps, in one SQLite file.

Schema (``SCHEMA_VERSION``): ``records(id, modified, body)`` holds each record's JSON;
``affected(ecosystem, name, id)`` indexes it by package (name normalised as in
:func:`~aiwarden.osv.model.normalize_name`); ``imports`` logs each import; ``meta``
holds the schema version. Scans open the file read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from aiwarden.errors import AiwardenError
from aiwarden.osv.model import OsvRecord, RecordError, normalize_name, parse_record
from aiwarden.osv.store import AdvisoryStore, StoreInfo

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, modified TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS affected (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (ecosystem, name, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_id ON affected (id);
CREATE TABLE IF NOT EXISTS imports (
    source TEXT NOT NULL, imported_at TEXT NOT NULL, records INTEGER NOT NULL
);
"""


class DatabaseError(AiwardenError):
    """The local OSV database is missing, corrupt or of another schema version."""


def connect_for_writing(path: Path) -> sqlite3.Connection:
    """Open (creating it and its directory if needed) the database at ``path`` for import."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        connection.executescript(SCHEMA)
        _check_version(connection, path, create=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open the OSV database: {exc}") from None
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create the OSV database: {exc.strerror}") from None
    return connection


def _check_version(connection: sqlite3.Connection, path: Path, *, create: bool) -> None:
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None and create:
        connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        connection.commit()
        return
    if row is None or row[0] != SCHEMA_VERSION:
        found = "none" if row is None else row[0]
        raise DatabaseError(
            f"{path}: OSV database schema {found}, expected {SCHEMA_VERSION}; re-import it"
        )


class SqliteStore(AdvisoryStore):
    """Records from an imported database, opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            _check_version(self._db, path, create=False)
        except sqlite3.Error as exc:
            raise DatabaseError(f"{path}: not a readable OSV database: {exc}") from None

    def records_for(self, ecosystem: str, name: str) -> Sequence[OsvRecord]:
        """Records with an affected entry for ``name``; unparseable bodies are skipped
        (the import validated them, so that means a hand-edited database)."""
        rows = self._db.execute(
            "SELECT r.body FROM affected a JOIN records r ON r.id = a.id "
            "WHERE a.ecosystem = ? AND a.name = ? ORDER BY r.id",
            (ecosystem, normalize_name(ecosystem, name)),
        ).fetchall()
        out = []
        for (body,) in rows:
            try:
                out.append(parse_record(json.loads(body)))
            except (ValueError, RecordError, RecursionError):
                continue
        return out

    def info(self) -> StoreInfo:
        """Counts per ecosystem and the import log."""
        db = self._db
        records = db.execute("SELECT count(*) FROM records").fetchone()[0]
        packages = db.execute(
            "SELECT count(DISTINCT ecosystem || ':' || name) FROM affected"
        ).fetchone()[0]
        per_ecosystem = db.execute(
            "SELECT ecosystem, count(DISTINCT id) FROM affected "
            "GROUP BY ecosystem ORDER BY ecosystem"
        ).fetchall()
        imports = db.execute(
            "SELECT source, imported_at, records FROM imports ORDER BY rowid DESC LIMIT 5"
        ).fetchall()
        details = [(f"ecosystem {eco}", f"{count} records") for eco, count in per_ecosystem]
        details += [
            (f"imported {when}", f"{source} ({count} records)") for source, when, count in imports
        ]
        return StoreInfo(
            "local OSV database", str(self.path), int(records), int(packages), tuple(details)
        )

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
