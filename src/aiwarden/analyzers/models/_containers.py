"""Find the pickle streams inside an artifact: raw, zip members, .npy, compressed.

Each ``iter_*`` function yields :class:`FoundStream` for every pickle stream it parsed
and :class:`ContainerProblem` for a container that could not be opened or decoded.
Nothing is loaded: zip members and compressed streams are read incrementally through
:class:`~aiwarden.analyzers.models._stream.BoundedReader`.
"""

from __future__ import annotations

import ast
import bz2
import gzip
import lzma
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO, Final

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models._pickle_ops import StreamScan, iter_streams
from aiwarden.analyzers.models._stream import (
    BoundedReader,
    Budget,
    ContainerError,
    Source,
    ZlibSource,
)
from aiwarden.core.formats import FileFormat

NPY_MAGIC: Final = b"\x93NUMPY"
MAX_NPY_HEADER: Final = 1024 * 1024
"""Largest .npy header parsed; numpy itself refuses more than 10 000 bytes by default."""
MAX_COMPRESSION_RATIO: Final = 1000
"""Zip members declaring a higher expansion than this (deflate tops out near 1032:1)."""
RATIO_MIN_SIZE: Final = 1024 * 1024
"""Members smaller than this are never refused for their ratio."""
MAX_CENTRAL_DIRECTORY_ENTRY: Final = 4096
"""Average bytes per central-directory entry allowed before parsing the directory."""
_PICKLE_SUFFIXES: Final = (".pkl", ".pickle")
_PROTOS: Final = frozenset({2, 3, 4, 5})
_ZIP_OPEN_ERRORS: Final = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True, slots=True)
class FoundStream:
    """A pickle stream, with the archive member that holds it."""

    scan: StreamScan
    member: str | None = None
    npy: bool = False


@dataclass(frozen=True, slots=True)
class ContainerProblem:
    """A container that could not be opened, decoded or parsed."""

    message: str
    member: str | None = None
    offset: int | None = None


Event = FoundStream | ContainerProblem


class _NpyError(Exception):
    """A malformed .npy header."""


def starts_like_pickle(head: bytes, protos: frozenset[int] = _PROTOS) -> bool:
    """True for ``\\x80`` followed by a protocol number in ``protos``."""
    return len(head) >= 2 and head[0] == 0x80 and head[1] in protos


def _streams(reader: BoundedReader, member: str | None, *, committed: bool) -> Iterator[Event]:
    for scan in iter_streams(reader, committed=committed):
        yield FoundStream(scan, member)


def iter_raw_pickle(artifact: Artifact, budget: Budget) -> Iterator[Event]:
    """A file that is a pickle (or several, as in the legacy torch format)."""
    with artifact.open() as handle:
        reader = BoundedReader(handle, budget, decompressed=False, label=artifact.relpath)
        if reader.at_eof():
            yield ContainerProblem("the file holds no pickle data")
            return
        yield from _streams(reader, None, committed=True)


def _decompressor(fmt: FileFormat, handle: BinaryIO) -> Source:
    if fmt is FileFormat.GZIP:
        return gzip.GzipFile(fileobj=handle, mode="rb")
    if fmt is FileFormat.BZIP2:
        return bz2.BZ2File(handle)
    if fmt is FileFormat.XZ:
        return lzma.LZMAFile(handle)
    return ZlibSource(handle)


def iter_compressed(artifact: Artifact, budget: Budget) -> Iterator[Event]:
    """A gzip/bz2/xz/zlib stream (joblib's compressed dumps); pickles inside are parsed."""
    with artifact.open() as handle:
        label = f"{artifact.relpath} (decompressed)"
        reader = BoundedReader(
            _decompressor(artifact.format, handle), budget, decompressed=True, label=label
        )
        try:
            committed = starts_like_pickle(reader.peek(2), frozenset(range(6)))
            yield from _streams(reader, None, committed=committed)
        except ContainerError as exc:
            message = f"the {artifact.format.value} stream could not be decompressed: {exc}"
            yield ContainerProblem(message, offset=reader.tell())


def iter_numpy(artifact: Artifact, budget: Budget) -> Iterator[Event]:
    """A .npy file; an object-dtype array is a pickle after the header."""
    with artifact.open() as handle:
        reader = BoundedReader(handle, budget, decompressed=False, label=artifact.relpath)
        yield from _npy(reader, None)


def _npy(reader: BoundedReader, member: str | None) -> Iterator[Event]:
    try:
        header = _read_npy_header(reader)
        has_object = _descr_has_object(header.get("descr"))
    except _NpyError as exc:
        yield ContainerProblem(f"malformed .npy header: {exc}", member=member, offset=reader.tell())
        return
    if has_object:
        for scan in iter_streams(reader, committed=True):
            yield FoundStream(scan, member, npy=True)


def _read_npy_header(reader: BoundedReader) -> dict[object, object]:
    """Parse the header dict of a .npy file with ``ast.literal_eval`` (a literal parser)."""
    if reader.read(len(NPY_MAGIC)) != NPY_MAGIC:
        raise _NpyError("missing \\x93NUMPY magic")
    version = reader.read(2)
    if len(version) < 2 or version[0] not in (1, 2, 3):
        raise _NpyError(f"unsupported format version {version!r}")
    size_format = "<H" if version[0] == 1 else "<I"
    raw_size = reader.read(struct.calcsize(size_format))
    if len(raw_size) < struct.calcsize(size_format):
        raise _NpyError("truncated header length")
    (size,) = struct.unpack(size_format, raw_size)
    if size > MAX_NPY_HEADER:
        raise LimitExceeded("max_npy_header_bytes", MAX_NPY_HEADER, f"header of {size} bytes")
    raw = reader.read(size)
    if len(raw) < size:
        raise _NpyError("truncated header")
    text = raw.decode("utf-8" if version[0] == 3 else "latin-1", errors="replace")
    try:
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise _NpyError(f"header is not a Python literal ({type(exc).__name__})") from exc
    if not isinstance(header, dict) or "descr" not in header:
        raise _NpyError("header is not a dict with a 'descr' key")
    return header


def _descr_has_object(descr: object, depth: int = 0) -> bool:
    """True if a numpy dtype description (``'|O'``, or a list of fields) holds objects."""
    if depth > 32:
        raise _NpyError("dtype description nested too deeply")
    if isinstance(descr, str):
        return descr.lstrip("<>|=").startswith("O")
    if isinstance(descr, list):
        for item in descr:
            if not isinstance(item, tuple) or len(item) < 2:
                raise _NpyError(f"malformed dtype field {item!r:.80}")
            if _descr_has_object(item[1], depth + 1):
                return True
        return False
    raise _NpyError(f"unexpected dtype description of type {type(descr).__name__}")


def iter_zip(artifact: Artifact, budget: Budget) -> Iterator[Event]:
    """Every member of a zip that holds a pickle (PyTorch checkpoints, .npz, anything)."""
    limits = budget.limits
    with artifact.open() as handle:
        _check_central_directory(handle, limits)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except _ZIP_OPEN_ERRORS as exc:
            yield ContainerProblem(f"the zip archive could not be opened: {exc}")
            return
        with archive:
            infos = archive.infolist()
            if len(infos) > limits.max_archive_members:
                raise LimitExceeded(
                    "max_archive_members", limits.max_archive_members, f"{len(infos)} members"
                )
            storage_dirs = _torch_storage_dirs(infos)
            for info in infos:
                if not info.is_dir():
                    yield from _zip_member(archive, info, budget, storage_dirs, artifact.relpath)


def _torch_storage_dirs(infos: list[zipfile.ZipInfo]) -> frozenset[str]:
    """``<prefix>/data`` for each ``<prefix>/data.pkl``: where torch keeps raw tensor bytes."""
    dirs = set()
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.name == "data.pkl":
            dirs.add(str(path.parent / "data"))
    return frozenset(dirs)


def _member_kind(name: str, head: bytes, storage_dirs: frozenset[str]) -> str | None:
    """``pickle``, ``maybe-pickle`` (parse speculatively), ``npy`` or None to skip."""
    path = PurePosixPath(name)
    if path.suffix.lower() in _PICKLE_SUFFIXES:
        return "pickle"
    if path.suffix.lower() == ".npy" or head.startswith(NPY_MAGIC):
        return "npy"
    if starts_like_pickle(head):
        # Raw tensor bytes can start with 0x80 0x02 by chance: only a parse that
        # imports something makes them a pickle.
        return "maybe-pickle" if str(path.parent) in storage_dirs else "pickle"
    return None


def _zip_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    budget: Budget,
    storage_dirs: frozenset[str],
    relpath: str,
) -> Iterator[Event]:
    name = info.filename
    if info.flag_bits & 0x1:
        if PurePosixPath(name).suffix.lower() in _PICKLE_SUFFIXES:
            yield ContainerProblem("the member is encrypted and cannot be inspected", member=name)
        return
    try:
        handle = archive.open(info)
    except _ZIP_OPEN_ERRORS as exc:
        yield ContainerProblem(f"the member could not be opened: {exc}", member=name)
        return
    with handle:
        reader = BoundedReader(handle, budget, decompressed=True, label=f"{relpath}!{name}")
        try:
            kind = _member_kind(name, reader.peek(len(NPY_MAGIC)), storage_dirs)
            if kind is not None:
                _check_ratio(info, relpath)
            if kind == "npy":
                yield from _npy(reader, name)
            elif kind is not None:
                yield from _streams(reader, name, committed=kind == "pickle")
        except ContainerError as exc:
            message = f"the member could not be decompressed: {exc}"
            yield ContainerProblem(message, member=name, offset=reader.tell())


def _check_ratio(info: zipfile.ZipInfo, relpath: str) -> None:
    """Refuse a member whose declared expansion is a decompression bomb's."""
    if info.file_size < RATIO_MIN_SIZE:
        return
    if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        detail = (
            f"{relpath}!{info.filename} declares {info.file_size} bytes "
            f"from {info.compress_size} compressed"
        )
        raise LimitExceeded("max_compression_ratio", MAX_COMPRESSION_RATIO, detail)


def _check_central_directory(handle: BinaryIO, limits: Limits) -> None:
    """Refuse, before zipfile parses it, a central directory with too many entries."""
    size = handle.seek(0, 2)
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    index = tail.rfind(b"PK\x05\x06")
    if index < 0 or len(tail) - index < 22:
        return  # not a zip: zipfile reports it
    entries, cd_size = struct.unpack("<10xHL6x", tail[index : index + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        entries, cd_size = _zip64_counts(handle, size - tail_size + index)
    limit = limits.max_archive_members
    if entries > limit or cd_size > limit * MAX_CENTRAL_DIRECTORY_ENTRY:
        detail = f"central directory declares {entries} members in {cd_size} bytes"
        raise LimitExceeded("max_archive_members", limit, detail)


def _zip64_counts(handle: BinaryIO, eocd_offset: int) -> tuple[int, int]:
    """Member count and directory size from the zip64 end record (where zipfile reads it)."""
    record_offset = eocd_offset - 20 - 56
    if record_offset < 0:
        return 0, 0
    handle.seek(record_offset)
    record = handle.read(56)
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        return 0, 0
    entries, cd_size = struct.unpack("<32xQQ8x", record)
    return int(entries), int(cd_size)
