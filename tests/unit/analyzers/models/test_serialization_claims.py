"""The pickle analyzer reads a model zip's directory once for claims() and claimed_members().

The directory :meth:`claims` reads is handed to :meth:`claimed_members` for the same
artifact object, once; anything else (another object, a second call, a zip that was
not claimed) reads the directory again, with the same answers as before.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

import pytest

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models import containers as _containers
from aiwarden.analyzers.models._zip_reader import Directory
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.formats import FileFormat

TORCH = {
    "archive/data.pkl": b"\x80\x02}q\x00.",
    "archive/version": b"3\n",
    "archive/data/0": b"\x00" * 16,
    "archive/extra/notes.txt": b"left for the engine",
}


def _zip(path: Path, members: dict[str, bytes]) -> Artifact:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per zip directory the analyzer parses."""
    seen: list[int] = []
    real = _containers.open_zip

    def counting(handle: BinaryIO, limits: Limits) -> object:
        seen.append(1)
        return real(handle, limits)

    monkeypatch.setattr(_containers, "open_zip", counting)
    return seen


def test_claimed_zip_directory_is_read_once(tmp_path: Path, reads: list[int]) -> None:
    art = _zip(tmp_path / "model.pt", TORCH)
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(art)
    members = analyzer.claimed_members(art)
    assert members is not None and "archive/data.pkl" in members
    assert "archive/extra/notes.txt" not in members
    assert len(reads) == 1


def test_directory_is_handed_over_once(tmp_path: Path, reads: list[int]) -> None:
    art = _zip(tmp_path / "model.pt", TORCH)
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(art)
    first = analyzer.claimed_members(art)
    assert analyzer.claimed_members(art) == first
    assert len(reads) == 2


def test_other_artifact_object_reads_its_own_directory(tmp_path: Path, reads: list[int]) -> None:
    art = _zip(tmp_path / "model.pt", TORCH)
    twin = Artifact(art.path, art.relpath, art.format, art.size)
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(art)
    assert analyzer.claimed_members(twin) == PickleSerializationAnalyzer().claimed_members(art)
    assert len(reads) == 3


def test_unclaimed_zip_keeps_nothing(tmp_path: Path) -> None:
    plain = _zip(tmp_path / "docs.zip", {"readme.md": b"hi"})
    analyzer = PickleSerializationAnalyzer()
    assert not analyzer.claims(plain)
    assert analyzer._directory is None


def test_unreadable_zip_is_not_claimed(tmp_path: Path) -> None:
    path = tmp_path / "broken.pt"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    art = Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)
    analyzer = PickleSerializationAnalyzer()
    assert not analyzer.claims(art)
    assert analyzer.claimed_members(art) is None


def test_zip_over_the_member_limit_is_claimed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    art = _zip(tmp_path / "model.pt", TORCH)
    monkeypatch.setattr(
        "aiwarden.analyzers.models.serialization.Limits", lambda: Limits(max_archive_members=1)
    )
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(art)  # too big to judge: analyze reports the limit
    assert analyzer.claimed_members(art) is None


def test_claimed_members_does_not_change_the_directory_claims_read(tmp_path: Path) -> None:
    """What claims() keeps is exactly what a fresh read returns (nothing read ahead)."""
    art = _zip(tmp_path / "model.pt", TORCH)
    analyzer = PickleSerializationAnalyzer()
    assert analyzer.claims(art)
    assert analyzer._directory is not None
    kept = analyzer._directory[1]
    assert isinstance(kept, Directory)
    assert all(entry.data_offset is None for entry in kept.entries)
