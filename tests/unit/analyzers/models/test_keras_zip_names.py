"""How the Keras analyzer recognises and claims Keras v3 zips without re-reading them.

A small zip whose bytes spell no Keras member name is rejected without ``zipfile``; any
other zip is listed with ``zipfile`` once, and :meth:`accepts`, :meth:`claims` and
:meth:`claimed_members` share that listing for the same artifact object only.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from aiwarden.analyzers.interface import Artifact
from aiwarden.analyzers.models import keras
from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core.formats import FileFormat


def _zip(path: Path, members: dict[str, bytes], *, comment: bytes = b"") -> Artifact:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.comment = comment
    return Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths the analyzer lists with ``zipfile``, in order."""
    seen: list[Path] = []
    real = keras._read_zip_names

    def counting(artifact: Artifact) -> list[str] | None:
        seen.append(artifact.path)
        return real(artifact)

    monkeypatch.setattr(keras, "_read_zip_names", counting)
    return seen


def test_small_zip_without_keras_names_is_not_listed(tmp_path: Path, reads: list[Path]) -> None:
    art = _zip(tmp_path / "model.pt", {"archive/data.pkl": b"\x80\x02N.", "archive/version": b"3"})
    analyzer = KerasAnalyzer()
    assert not analyzer.accepts(art)
    assert not analyzer.claims(art)
    assert reads == []


@pytest.mark.parametrize(
    "members",
    [
        {"metadata.json": b"{}", "config.json": b"{}"},
        {"model.weights.h5": b"", "config.json": b"{}"},
        {"shard_0.weights.h5": b""},
        {"config.json": b"{}"},
    ],
)
def test_keras_zip_is_listed_once_for_all_three_calls(
    tmp_path: Path, reads: list[Path], members: dict[str, bytes]
) -> None:
    art = _zip(tmp_path / "model.keras", members)
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(art) and analyzer.claims(art)
    claimed = analyzer.claimed_members(art)
    assert claimed is not None and set(members) <= claimed
    assert reads == [art.path]


def test_marker_bytes_outside_the_names_go_to_zipfile(tmp_path: Path, reads: list[Path]) -> None:
    """The byte search is only a necessary condition: ``zipfile`` decides."""
    art = _zip(tmp_path / "bundle.zip", {"readme.txt": b"see metadata.json and config.json"})
    assert not KerasAnalyzer().accepts(art)
    assert reads == [art.path]


def test_config_json_beside_other_members_is_not_keras(tmp_path: Path) -> None:
    art = _zip(tmp_path / "bundle.zip", {"config.json": b"{}", "vocab.txt": b"a"})
    assert not KerasAnalyzer().accepts(art)


def test_large_zip_is_listed_whatever_its_bytes(tmp_path: Path, reads: list[Path]) -> None:
    big = bytes(range(256)) * (keras._SMALL_ZIP // 256 + 1)
    art = _zip(tmp_path / "big.zip", {"blob.bin": big}, comment=b"x")
    assert art.size > keras._SMALL_ZIP
    assert not KerasAnalyzer().accepts(art)
    assert reads == [art.path]


def test_listing_is_kept_for_the_same_artifact_object_only(
    tmp_path: Path, reads: list[Path]
) -> None:
    art = _zip(tmp_path / "model.keras", {"metadata.json": b"{}", "config.json": b"{}"})
    twin = Artifact(art.path, art.relpath, art.format, art.size)
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(art)
    assert analyzer.claims(twin)  # equal but not the same object: listed again
    assert reads == [art.path, art.path]


def test_rewritten_file_is_seen_by_a_new_artifact(tmp_path: Path) -> None:
    path = tmp_path / "model.keras"
    first = _zip(path, {"metadata.json": b"{}", "config.json": b"{}"})
    analyzer = KerasAnalyzer()
    assert analyzer.accepts(first)
    path.unlink()
    second = _zip(path, {"model.weights.h5": b"", "shard_1.weights.h5": b""})
    claimed = analyzer.claimed_members(second)
    assert claimed is not None and "shard_1.weights.h5" in claimed


def test_unreadable_zip_is_neither_accepted_nor_given_extra_members(tmp_path: Path) -> None:
    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04metadata.json" + b"\x00" * 40)
    art = Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)
    analyzer = KerasAnalyzer()
    assert not analyzer.accepts(art)
    assert analyzer.claimed_members(art) == frozenset(
        {"config.json", "metadata.json", "model.weights.h5", "model.weights.npz"}
        | {"model.weights.json"}
    )
