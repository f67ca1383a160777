"""The zip reader's and container helpers' fast paths agree with the general code.

``_find_eocd`` reads only the last 22 bytes when they are a comment-less end record,
``split_name`` avoids pathlib for plain member names, ``_odd_name`` uses one regex and
``iter_zip`` can reuse a directory already read: each is checked here against the
slow path it replaces.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models import _zip_reader
from aiwarden.analyzers.models import containers as _containers
from aiwarden.analyzers.models._pickle_ops import ScanContext
from aiwarden.analyzers.models._stream import Budget
from aiwarden.core.formats import FileFormat

_EOCD = struct.Struct("<4s4H2LH")


def _reference_eocd(handle: BinaryIO, size: int) -> tuple[int, tuple[int, ...]] | None:
    """The full backwards search over the 64 KiB tail (the only path before)."""
    tail_size = min(size, _EOCD.size + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    pos = tail.rfind(b"PK\x05\x06")
    while pos != -1:
        record = tail[pos : pos + _EOCD.size]
        if len(record) == _EOCD.size:
            fields = _EOCD.unpack(record)
            if pos + _EOCD.size + fields[7] <= len(tail):
                return size - tail_size + pos, fields
        pos = tail.rfind(b"PK\x05\x06", 0, pos)
    return None


def _zip(comment: bytes = b"", members: int = 2) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(members):
            archive.writestr(f"dir/m{index}.pkl", b"\x80\x02K%c." % index)
        archive.comment = comment
    return buffer.getvalue()


_RECORD = b"PK\x05\x06" + bytes(18)
ARCHIVES: list[tuple[str, bytes]] = [
    ("no comment", _zip()),
    ("comment", _zip(b"hello")),
    ("comment holding a fake end record", _zip(_RECORD)),
    ("data appended after the end record", _zip() + b"trailing"),
    ("last 22 bytes claim a comment", _zip() + b"PK\x05\x06" + bytes(16) + b"\x05\x00"),
    ("end record only", _RECORD),
    ("fake record in the last bytes", b"x" * 30 + _RECORD + b"PK\x05\x06"),
    ("shorter than a record", b"PK\x05\x06"),
    ("empty", b""),
]


@pytest.mark.parametrize(("what", "data"), ARCHIVES, ids=[a[0] for a in ARCHIVES])
def test_end_record_search_matches_the_full_search(what: str, data: bytes) -> None:
    expected = _reference_eocd(io.BytesIO(data), len(data))
    if expected is None:
        with pytest.raises(_zip_reader.ZipFormatError):
            _zip_reader._find_eocd(io.BytesIO(data), len(data))
    else:
        assert _zip_reader._find_eocd(io.BytesIO(data), len(data)) == expected, what


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.binary(max_size=40),
    fields=st.tuples(*[st.integers(0, 3)] * 4, st.integers(0, 9), st.integers(0, 9)),
    comment=st.integers(0, 30),
    suffix=st.binary(max_size=30),
)
def test_end_record_search_on_random_tails(
    prefix: bytes, fields: tuple[int, ...], comment: int, suffix: bytes
) -> None:
    data = prefix + _EOCD.pack(b"PK\x05\x06", *fields, comment) + suffix
    expected = _reference_eocd(io.BytesIO(data), len(data))
    if expected is None:
        with pytest.raises(_zip_reader.ZipFormatError):
            _zip_reader._find_eocd(io.BytesIO(data), len(data))
    else:
        assert _zip_reader._find_eocd(io.BytesIO(data), len(data)) == expected


def _reference_odd(name: str) -> bool:
    return any(ord(ch) < 32 or ch == "\ufffd" for ch in name)


def test_odd_characters_are_the_control_and_replacement_characters() -> None:
    for code in range(0x1_0000):
        name = f"a{chr(code)}b"
        odd = _zip_reader._odd_name(name) == "control or undecodable characters"
        assert odd is _reference_odd(name), hex(code)


_COMPONENTS = st.sampled_from(["a", "b.pkl", "data.pkl", ".", "..", "", ".x", "x.", "c.d.e"])


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(_COMPONENTS, max_size=6), lead=st.sampled_from(["", "/", "//", "///"]))
def test_split_name_matches_pathlib(parts: list[str], lead: str) -> None:
    name = lead + "/".join(parts)
    path = PurePosixPath(name)
    parent, base, components = _containers.split_name(name)
    assert (parent, base, tuple(components)) == (str(path.parent), path.name, path.parts)
    assert _containers.name_suffix(base) == path.suffix
    assert _containers._child(parent, "data") == str(path.parent / "data")


def test_iter_zip_with_a_directory_read_before_gives_the_same_events(tmp_path: Path) -> None:
    data = _zip(members=3)
    path = tmp_path / "model.zip"
    path.write_bytes(data)
    artifact = Artifact(path, path.name, FileFormat.ZIP, len(data))
    with path.open("rb") as handle:
        directory = _containers.open_zip(handle, Limits())
    assert isinstance(directory, _zip_reader.Directory)
    fresh = list(_containers.iter_zip(artifact, ScanContext(Budget(Limits()))))
    reused = list(_containers.iter_zip(artifact, ScanContext(Budget(Limits())), directory))
    assert [type(e).__name__ for e in fresh] == [type(e).__name__ for e in reused]
    assert [getattr(e, "member", None) for e in fresh] == [
        getattr(e, "member", None) for e in reused
    ]
    assert len(fresh) == 3
