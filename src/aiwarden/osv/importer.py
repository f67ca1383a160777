"""``aiwarden db import``: load an OSV ecosystem dump (``all.zip``) or a directory of OSV
JSON files into the local SQLite database.

The zip is streamed member by member and never extracted. Bounds: member count, bytes
per member (checked against the header and again while reading, since headers can
lie) and total decompressed bytes. Members that are not ``*.json``, whose names are
absolute or contain ``..``, that are too large, or that do not hold a usable OSV
record are skipped and counted. Hitting the member-count or total-size bound aborts
the import and leaves the database as it was (one transaction).
"""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiwarden.errors import AiwardenError
from aiwarden.osv.model import RecordError, ecosystem_base, normalize_name, parse_record
from aiwarden.osv.sqlite_store import connect_for_writing


class ImportFailed(AiwardenError):
    """The dump cannot be imported (unreadable, not a zip, over a bound)."""


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """Bounds on what one import reads."""

    max_members: int = 2_000_000
    max_member_bytes: int = 32 * 1024 * 1024
    max_total_bytes: int = 16 * 1024 * 1024 * 1024


@dataclass(slots=True)
class ImportReport:
    """What an import did: records stored, and members skipped by reason."""

    source: str
    records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    ecosystems: Counter[str] = field(default_factory=Counter)
    withdrawn: int = 0


def import_dump(source: Path, db_path: Path, limits: ImportLimits | None = None) -> ImportReport:
    """Import ``source`` (an OSV ``all.zip`` or a directory of ``*.json``) into ``db_path``."""
    limits = limits or ImportLimits()
    if source.is_dir():
        members = _directory_members(source, limits)
    elif source.is_file():
        members = _zip_members(source, limits)
    else:
        raise ImportFailed(f"{source}: no such file or directory")
    report = ImportReport(source=str(source))
    connection = connect_for_writing(db_path)
    try:
        with connection:
            for name, data in members:
                _store(connection, name, data, report)
            connection.execute(
                "INSERT INTO imports VALUES (?, ?, ?)",
                (str(source), datetime.now(UTC).isoformat(timespec="seconds"), report.records),
            )
    except sqlite3.Error as exc:
        raise ImportFailed(f"{db_path}: database error during import: {exc}") from None
    finally:
        connection.close()
    return report


Member = tuple[str, bytes | str]
"""A member name and either its bytes or the reason it was skipped."""


def _zip_members(path: Path, limits: ImportLimits) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(f"{path}: not a readable zip archive ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise ImportFailed(
                f"{path}: {len(infos)} members, over the limit of {limits.max_members}"
            )
        total = 0
        for info in infos:
            if info.filename.endswith("/"):  # ZipInfo.is_dir() fails on an empty name
                continue
            reason = _name_problem(info.filename)
            if reason is None and info.file_size > limits.max_member_bytes:
                reason = "too large"
            if reason is not None:
                yield info.filename, reason
                continue
            data = _read_member(archive, info, limits.max_member_bytes)
            if isinstance(data, bytes):
                total += len(data)
                if total > limits.max_total_bytes:
                    raise ImportFailed(
                        f"{path}: more than {limits.max_total_bytes} bytes decompressed; aborted"
                    )
            yield info.filename, data


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | str:
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError):
        return "unreadable"
    return "too large" if len(data) > limit else data


def _name_problem(name: str) -> str | None:
    parts = name.replace("\\", "/").split("/")
    if not name or name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        return "unsafe name"
    if not name.lower().endswith(".json"):
        return "not JSON"
    return None


def _directory_members(root: Path, limits: ImportLimits) -> Iterator[Member]:
    count = total = 0
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(current) / name
            count += 1
            if count > limits.max_members:
                raise ImportFailed(f"{root}: more than {limits.max_members} files; aborted")
            rel = path.relative_to(root).as_posix()
            if not name.lower().endswith(".json"):
                yield rel, "not JSON"
                continue
            if path.is_symlink() or not path.is_file():
                yield rel, "not a regular file"
                continue
            try:
                with path.open("rb") as handle:
                    data = handle.read(limits.max_member_bytes + 1)
            except OSError:
                yield rel, "unreadable"
                continue
            if len(data) > limits.max_member_bytes:
                yield rel, "too large"
                continue
            total += len(data)
            if total > limits.max_total_bytes:
                raise ImportFailed(f"{root}: more than {limits.max_total_bytes} bytes; aborted")
            yield rel, data


def _store(
    connection: sqlite3.Connection, name: str, data: bytes | str, report: ImportReport
) -> None:
    if isinstance(data, str):
        report.skipped[data] += 1
        return
    try:
        text = data.decode("utf-8")
        record = parse_record(json.loads(text))
    except (ValueError, RecordError, RecursionError):
        report.skipped["not an OSV record"] += 1
        return
    if record.withdrawn:
        report.withdrawn += 1
    connection.execute("DELETE FROM affected WHERE id = ?", (record.id,))
    connection.execute(
        "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
        (record.id, record.modified, text),
    )
    keys = {
        (ecosystem_base(a.ecosystem), normalize_name(ecosystem_base(a.ecosystem), a.name))
        for a in record.affected
        if a.ecosystem and a.name
    }
    connection.executemany(
        "INSERT OR IGNORE INTO affected VALUES (?, ?, ?)", [(e, n, record.id) for e, n in keys]
    )
    report.records += 1
    for ecosystem, _ in keys:
        report.ecosystems[ecosystem] += 1
    del name
