"""aiwarden db import: OSV all.zip and directories into SQLite, with hostile members."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from aiwarden.osv.importer import ImportFailed, ImportLimits, import_dump
from aiwarden.osv.matching import match_all
from aiwarden.osv.sqlite_store import DatabaseError, SqliteStore, connect_for_writing


def osv(record_id: str, name: str, fixed: str, ecosystem: str = "PyPI", **extra: Any) -> bytes:
    data = {
        "id": record_id,
        "modified": "2025-01-01T00:00:00Z",
        "summary": f"bug in {name}",
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
        **extra,
    }
    return json.dumps(data).encode()


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_import_zip_and_query(tmp_path: Path) -> None:
    dump = make_zip(
        tmp_path / "all.zip",
        {
            "PYSEC-1.json": osv("PYSEC-1", "Some_Pkg", "2.0"),
            "GHSA-1.json": osv("GHSA-1", "some-pkg", "2.1", aliases=["PYSEC-1"]),
            "MAL-1.json": osv("MAL-1", "evil", "9.9", withdrawn="2025-02-02T00:00:00Z"),
            "npm-1.json": osv("GHSA-2", "@scope/pkg", "1.0.0", ecosystem="npm"),
        },
    )
    db = tmp_path / "cache" / "osv.sqlite3"
    report = import_dump(dump, db)
    assert report.records == 4 and report.withdrawn == 1
    assert report.ecosystems == {"PyPI": 3, "npm": 1}
    assert not report.skipped
    store = SqliteStore(db)
    records = store.records_for("PyPI", "some.pkg")
    assert [r.id for r in records] == ["GHSA-1", "PYSEC-1"]
    matches = match_all(records, "PyPI", "some-pkg", "1.5")
    assert len(matches) == 1 and matches[0].fixed == ("2.1", "2.0")
    assert [r.id for r in store.records_for("npm", "@scope/pkg")] == ["GHSA-2"]
    assert match_all(store.records_for("PyPI", "evil"), "PyPI", "evil", "1.0") == []
    info = store.info()
    assert info.records == 4 and ("ecosystem PyPI", "3 records") in info.details
    store.close()


def test_reimport_replaces_records(tmp_path: Path) -> None:
    db = tmp_path / "osv.sqlite3"
    import_dump(make_zip(tmp_path / "a.zip", {"X.json": osv("X-1", "alpha", "1.0")}), db)
    import_dump(make_zip(tmp_path / "b.zip", {"X.json": osv("X-1", "beta", "1.0")}), db)
    store = SqliteStore(db)
    assert store.records_for("PyPI", "alpha") == []
    assert [r.id for r in store.records_for("PyPI", "beta")] == ["X-1"]
    assert store.info().records == 1


def test_hostile_members_are_skipped_and_counted(tmp_path: Path) -> None:
    huge = b'{"id": "BIG", "summary": "' + b"A" * 5000 + b'"}'
    dump = make_zip(
        tmp_path / "all.zip",
        {
            "ok.json": osv("OK-1", "fine", "1.0"),
            "../escape.json": osv("ESC-1", "escape", "1.0"),
            "/abs.json": osv("ABS-1", "abs", "1.0"),
            "dir/../../up.json": osv("UP-1", "up", "1.0"),
            "huge.json": huge,
            "readme.txt": b"not json",
            "broken.json": b"{not json",
            "list.json": b"[1, 2, 3]",
            "deep.json": b"[" * 100_000 + b"]" * 100_000,
            "noid.json": b'{"summary": "x"}',
        },
    )
    report = import_dump(dump, tmp_path / "osv.sqlite3", ImportLimits(max_member_bytes=4096))
    assert report.records == 1
    assert dict(report.skipped) == {
        "unsafe name": 3,
        "too large": 2,  # huge.json and the deeply nested deep.json
        "not JSON": 1,
        "not an OSV record": 3,
    }


def test_deep_nesting_within_size_limit_is_not_a_crash(tmp_path: Path) -> None:
    dump = make_zip(tmp_path / "all.zip", {"deep.json": b"[" * 100_000 + b"]" * 100_000})
    report = import_dump(dump, tmp_path / "osv.sqlite3")
    assert report.records == 0 and report.skipped == {"not an OSV record": 1}


def test_member_count_and_total_size_bounds_abort_without_changes(tmp_path: Path) -> None:
    db = tmp_path / "osv.sqlite3"
    import_dump(make_zip(tmp_path / "first.zip", {"A.json": osv("A-1", "a", "1.0")}), db)
    many = make_zip(
        tmp_path / "many.zip", {f"{i}.json": osv(f"M-{i}", "m", "1.0") for i in range(5)}
    )
    with pytest.raises(ImportFailed, match="5 members"):
        import_dump(many, db, ImportLimits(max_members=4))
    with pytest.raises(ImportFailed, match="decompressed"):
        import_dump(many, db, ImportLimits(max_total_bytes=600))
    store = SqliteStore(db)
    assert store.info().records == 1 and store.records_for("PyPI", "m") == []


def test_directory_import(tmp_path: Path) -> None:
    folder = tmp_path / "records" / "PyPI"
    folder.mkdir(parents=True)
    (folder / "A.json").write_bytes(osv("A-1", "a", "1.0"))
    (folder / "notes.md").write_text("x")
    report = import_dump(tmp_path / "records", tmp_path / "osv.sqlite3")
    assert report.records == 1 and report.skipped == {"not JSON": 1}


def test_not_a_zip_or_missing(tmp_path: Path) -> None:
    bogus = tmp_path / "all.zip"
    bogus.write_bytes(b"definitely not a zip")
    with pytest.raises(ImportFailed, match="not a readable zip"):
        import_dump(bogus, tmp_path / "osv.sqlite3")
    with pytest.raises(ImportFailed, match="no such file"):
        import_dump(tmp_path / "missing.zip", tmp_path / "osv.sqlite3")


def test_a_database_of_another_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "osv.sqlite3"
    connection = connect_for_writing(db)
    connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="schema 99"):
        SqliteStore(db)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(DatabaseError):
        SqliteStore(garbage)
