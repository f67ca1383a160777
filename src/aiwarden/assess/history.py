"""Assessment history in SQLite (``aiwarden assess --history DB``).

Each assessment is one row: when, which project, the overall score and each
guideline's status. :func:`previous_runs` returns the earlier runs of the same project
(oldest first) so a report can show how the scorecard changed; :func:`record` appends
the current one. The schema is versioned with ``PRAGMA user_version``; a database of a
different version, or a file that is not a database, is a clear error, never
overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Final

from aiwarden.assess.model import Scorecard, TrendPoint
from aiwarden.errors import AiwardenError

SCHEMA_VERSION: Final = 1
MAX_POINTS: Final = 50
"""At most this many earlier runs are returned (the most recent ones)."""

_CREATE = """
CREATE TABLE IF NOT EXISTS assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    score REAL,
    statuses TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS assessments_project ON assessments (project, id);
"""


class HistoryError(AiwardenError):
    """The history database cannot be used."""


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: not an aiwarden history database ({exc})") from None
    if version == 0 and not tables:
        with connection:
            connection.executescript(_CREATE)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version != SCHEMA_VERSION:
        connection.close()
        raise HistoryError(
            f"{path}: history schema version {version}, this aiwarden uses {SCHEMA_VERSION}"
        )
    return connection


def previous_runs(path: Path, project: str) -> tuple[TrendPoint, ...]:
    """Earlier assessments of ``project`` (oldest first); none when the file is new."""
    if not path.exists():
        return ()
    connection = _connect(path)
    try:
        rows = connection.execute(
            "SELECT generated_at, score, statuses FROM assessments WHERE project = ? "
            "ORDER BY id DESC LIMIT ?",
            (project, MAX_POINTS),
        ).fetchall()
    finally:
        connection.close()
    points = []
    for generated_at, score, statuses in reversed(rows):
        try:
            decoded = json.loads(statuses)
        except json.JSONDecodeError:
            raise HistoryError(f"{path}: a stored assessment is corrupt") from None
        if not isinstance(decoded, dict):
            raise HistoryError(f"{path}: a stored assessment is corrupt")
        points.append(
            TrendPoint(str(generated_at), score, {str(k): str(v) for k, v in decoded.items()})
        )
    return tuple(points)


def record(path: Path, scorecard: Scorecard) -> None:
    """Append ``scorecard`` to the history at ``path`` (created when missing)."""
    statuses = {g.id: g.status.value for g in scorecard.guidelines}
    connection = _connect(path)
    try:
        with connection:
            connection.execute(
                "INSERT INTO assessments (project, generated_at, tool_version, score, statuses) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    scorecard.project,
                    scorecard.generated_at,
                    scorecard.tool_version,
                    scorecard.score,
                    json.dumps(statuses, sort_keys=True),
                ),
            )
    except sqlite3.DatabaseError as exc:
        raise HistoryError(f"{path}: cannot record the assessment: {exc}") from None
    finally:
        connection.close()
