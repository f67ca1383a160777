"""The SQLite history of assessments."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from aiwarden.assess.history import MAX_POINTS, HistoryError, previous_runs, record
from aiwarden.assess.model import AreaResult, GuidelineResult, ScanSummary, Scorecard, Status


def scorecard(
    project: str = "app", status: Status = Status.NOT_MET, score: float = 0.0
) -> Scorecard:
    guideline = GuidelineResult("SD-1", "Awareness", "SD", status, score, ())
    return Scorecard(
        tool_version="0.1.0",
        project=project,
        generated_at="2026-11-26T00:00:00+00:00",
        scan=ScanSummary(1, 0, True, {}, 0),
        profile=(),
        areas=(AreaResult("SD", "Secure design", score, ("SD-1",)),),
        guidelines=(guideline,),
        next_steps=(),
        attestations_file=None,
    )


def test_a_new_database_has_no_history_and_records_runs(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    assert previous_runs(db, "app") == ()
    record(db, scorecard())
    record(db, scorecard(status=Status.MET, score=1.0))
    record(db, scorecard(project="other"))
    points = previous_runs(db, "app")
    assert [p.statuses["SD-1"] for p in points] == ["not met", "met"]
    assert [p.score for p in points] == [0.0, 1.0]


def test_only_the_most_recent_runs_are_returned(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    for i in range(MAX_POINTS + 5):
        record(db, dataclasses.replace(scorecard(), generated_at=f"run-{i:03d}"))
    points = previous_runs(db, "app")
    assert len(points) == MAX_POINTS
    assert points[-1].generated_at == f"run-{MAX_POINTS + 4:03d}"
    assert points[0].generated_at == "run-005"


def test_a_file_that_is_not_a_database_is_an_error_and_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my notes, not sqlite\n" * 100)
    with pytest.raises(HistoryError, match="not an aiwarden history database"):
        record(db, scorecard())
    assert db.read_text().startswith("my notes")


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(HistoryError, match="schema version 0"):
        previous_runs(db, "app")


def test_a_corrupt_row_is_an_error(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    record(db, scorecard())
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE assessments SET statuses = '[not json'")
    with pytest.raises(HistoryError, match="corrupt"):
        previous_runs(db, "app")
