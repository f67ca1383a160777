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
import re
import struct
import tarfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import BinaryIO, Final, NamedTuple

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models._pickle_ops import ScanContext, StreamScan, iter_streams
from aiwarden.analyzers.models._stream import BoundedReader, ContainerError, Source, ZlibSource
from aiwarden.analyzers.models._zip_reader import (
    Anomaly,
    Directory,
    MemberError,
    MemberSource,
    ZipEntry,
    ZipFormatError,
    overlap_anomalies,
    read_directory,
    read_local_header,
)
from aiwarden.core.formats import FileFormat

NPY_MAGIC: Final = b"\x93NUMPY"
MAX_NPY_HEADER: Final = 1024 * 1024
"""Largest .npy header parsed; numpy itself refuses more than 10 000 bytes by default."""
MAX_COMPRESSION_RATIO: Final = 1000
"""Zip members declaring a higher expansion than this (deflate tops out near 1032:1)."""
RATIO_MIN_SIZE: Final = 1024 * 1024
"""Members smaller than this are never refused for their ratio."""
MAX_SPECULATIVE: Final = 64 * 1024 * 1024
"""Largest member parsed speculatively or read to its end for a CRC check."""
LZMA_ALONE_PREFIX: Final = b"]\x00\x00"
"""joblib's ``lzma`` compression writes the legacy .lzma ("alone") format."""
_PICKLE_SUFFIXES: Final = (".pkl", ".pickle", ".joblib")
_PROTOS: Final = frozenset({2, 3, 4, 5})
_PROTOCOL0_STARTS: Final = frozenset(bytes([c]) for c in b"c(}]).NIJLSVFGKMX\x8c\x80")
_TEXT_SUFFIXES: Final = frozenset(
    {".py", ".json", ".yaml", ".yml", ".md", ".txt", ".toml", ".cfg", ".ipynb", ".js", ".sh"}
)


class FoundStream(NamedTuple):
    """A pickle stream, with the archive member that holds it.

    This and :class:`ContainerProblem` are named tuples, not dataclasses: they are
    created at import on every scan that loads the pickle analyzer, where a named tuple
    costs a tenth as much; events are only built, matched by type and read.
    """

    scan: StreamScan
    member: str | None = None
    npy: bool = False


class ContainerProblem(NamedTuple):
    """A container that could not be opened, decoded or parsed."""

    message: str
    member: str | None = None
    offset: int | None = None


Event = FoundStream | ContainerProblem | Anomaly


class _NpyError(Exception):
    """A malformed .npy header."""


def starts_like_pickle(head: bytes, protos: frozenset[int] = _PROTOS) -> bool:
    """True for ``\\x80`` followed by a protocol number in ``protos``."""
    return len(head) >= 2 and head[0] == 0x80 and head[1] in protos


def _streams(
    reader: BoundedReader, member: str | None, ctx: ScanContext, *, committed: bool
) -> Iterator[Event]:
    for scan in iter_streams(reader, ctx, committed=committed):
        yield FoundStream(scan, member)


def iter_raw_pickle(artifact: Artifact, ctx: ScanContext) -> Iterator[Event]:
    """A file that is a pickle (or several, as in the legacy torch format)."""
    with artifact.open() as handle:
        reader = BoundedReader(handle, ctx.budget, decompressed=False, label=artifact.relpath)
        if reader.at_eof():
            yield ContainerProblem("the file holds no pickle data")
            return
        yield from _streams(reader, None, ctx, committed=True)


def is_lzma_alone(head: bytes) -> bool:
    """True for the header of a legacy .lzma stream as joblib writes it."""
    return head.startswith(LZMA_ALONE_PREFIX) and len(head) >= 13


def _decompressor(fmt: FileFormat, handle: BinaryIO) -> Source:
    if fmt is FileFormat.BINARY:
        return lzma.LZMAFile(handle, format=lzma.FORMAT_ALONE)
    if fmt is FileFormat.GZIP:
        return gzip.GzipFile(fileobj=handle, mode="rb")
    if fmt is FileFormat.BZIP2:
        return bz2.BZ2File(handle)
    if fmt is FileFormat.XZ:
        return lzma.LZMAFile(handle)
    return ZlibSource(handle)


def iter_compressed(artifact: Artifact, ctx: ScanContext) -> Iterator[Event]:
    """A gzip/bz2/xz/zlib/lzma stream (joblib's compressed dumps); pickles inside are parsed."""
    with artifact.open() as handle:
        label = f"{artifact.relpath} (decompressed)"
        reader = BoundedReader(
            _decompressor(artifact.format, handle), ctx.budget, decompressed=True, label=label
        )
        try:
            committed = starts_like_pickle(reader.peek(2), frozenset(range(6)))
            yield from _streams(reader, None, ctx, committed=committed)
        except ContainerError as exc:
            message = f"the {artifact.format.value} stream could not be decompressed: {exc}"
            yield ContainerProblem(message, offset=reader.tell())


def iter_numpy(artifact: Artifact, ctx: ScanContext) -> Iterator[Event]:
    """A .npy file; an object-dtype array is a pickle after the header."""
    with artifact.open() as handle:
        reader = BoundedReader(handle, ctx.budget, decompressed=False, label=artifact.relpath)
        yield from _npy(reader, None, ctx)


def _npy(reader: BoundedReader, member: str | None, ctx: ScanContext) -> Iterator[Event]:
    try:
        header = _read_npy_header(reader)
        has_object = _descr_has_object(header.get("descr"))
    except _NpyError as exc:
        yield ContainerProblem(f"malformed .npy header: {exc}", member=member, offset=reader.tell())
        return
    if has_object:
        for scan in iter_streams(reader, ctx, committed=True):
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
        header = _literal(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise _NpyError(f"header is not a Python literal ({type(exc).__name__})") from exc
    if not isinstance(header, dict) or "descr" not in header:
        raise _NpyError("header is not a dict with a 'descr' key")
    return header


_PY2_LONG = re.compile(r"(?<![\w.])(\d+)[lL]\b")


def _literal(text: str) -> object:
    """``ast.literal_eval``, also for headers written by Python 2 numpy (``(3L,)``),
    whose long-integer suffix numpy itself strips when loading."""
    with warnings.catch_warnings():
        # hostile headers carry invalid escapes; the parser's warnings are noise here
        warnings.simplefilter("ignore")
        try:
            return ast.literal_eval(text)
        except SyntaxError:
            return ast.literal_eval(_PY2_LONG.sub(r"\1", text))


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


def split_name(name: str) -> tuple[str, str, Sequence[str]]:
    """``(str(p.parent), p.name, p.parts)`` for ``p = PurePosixPath(name)``.

    pathlib drops empty and ``.`` components and keeps a leading ``/`` or ``//`` as a
    root. A name without empty or ``.`` components (what archive writers produce)
    splits on ``/`` into exactly pathlib's components, with no root, so only other
    names pay for building a path object.
    """
    parts = name.split("/")
    if "" in parts or "." in parts:
        path = PurePosixPath(name)
        return str(path.parent), path.name, path.parts
    return "/".join(parts[:-1]) or ".", parts[-1], parts


def name_suffix(base: str) -> str:
    """``PurePosixPath(...).suffix`` of a path whose last component is ``base``."""
    dot = base.rfind(".")
    return base[dot:] if 0 < dot < len(base) - 1 else ""


def _member_kind(entry: ZipEntry, head: bytes, storage_dirs: frozenset[str]) -> str | None:
    """``pickle``, ``maybe-pickle`` (parse speculatively), ``npy`` or None to skip."""
    parent, base, _parts = split_name(entry.name)
    suffix = name_suffix(base).lower()
    if suffix in _PICKLE_SUFFIXES:
        return "pickle"
    if suffix == ".npy" or head.startswith(NPY_MAGIC):
        return "npy"
    in_storage = parent in storage_dirs
    if starts_like_pickle(head):
        # Raw tensor bytes can start with 0x80 0x02 by chance: only a parse that
        # imports something makes them a pickle.
        return "maybe-pickle" if in_storage else "pickle"
    if not in_storage and head[:1] in _PROTOCOL0_STARTS and entry.file_size <= MAX_SPECULATIVE:
        return "maybe-pickle"
    return None


def zip_layout(directory: Directory) -> str | None:
    """``torch``, ``torchscript``, ``npz`` or ``pickles`` for a model zip, None otherwise."""
    names = [e.name for e in directory.entries if not e.is_dir]
    bases = {split_name(n)[1] for n in names}
    if "constants.pkl" in bases and any("/code/" in f"/{n}" for n in names):
        return "torchscript"
    if "data.pkl" in bases:
        return "torch"
    if names and all(n.lower().endswith(".npy") for n in names):
        return "npz"
    suffixes = {name_suffix(b).lower() for b in bases}
    if suffixes & {".pkl", ".pickle", ".joblib"} and not suffixes & _TEXT_SUFFIXES:
        return "pickles"
    return None


def _storage_dirs(entries: list[ZipEntry]) -> frozenset[str]:
    """``<prefix>/data`` for each ``<prefix>/data.pkl``: where torch keeps raw tensor bytes."""
    dirs: set[str] = set()
    for entry in entries:
        if "data.pkl" in entry.name or "constants.pkl" in entry.name:  # cheap pre-check
            parent, base, _parts = split_name(entry.name)
            if base in ("data.pkl", "constants.pkl"):
                dirs.add(_child(parent, "data"))
    return frozenset(dirs)


def _child(parent: str, name: str) -> str:
    """``str(PurePosixPath(parent) / name)`` for a ``parent`` that pathlib normalised."""
    if parent == ".":
        return name
    return parent + name if parent.endswith("/") else f"{parent}/{name}"


def open_zip(handle: BinaryIO, limits: Limits) -> Directory | ContainerProblem:
    """The archive's directory, or the problem that prevents reading it."""
    try:
        return read_directory(handle, limits)
    except (ZipFormatError, struct.error, OSError, ValueError) as exc:
        return ContainerProblem(f"the zip archive could not be read: {exc}")


_TORCH_METADATA: Final = frozenset(
    {"version", "byteorder", ".format_version", ".storage_alignment", "serialization_id"}
)
"""Small files ``torch.save`` writes beside ``data.pkl`` (read as part of the checkpoint)."""


def handled_members(handle: BinaryIO, directory: Directory) -> frozenset[str]:
    """The members of a model zip this analyzer reads: pickles, arrays, tensor storages.

    Everything else (TorchScript ``code/``, ``extra/`` files, a nested archive) is left
    for the engine to expand and hand to the other analyzers.
    """
    storage_dirs = _storage_dirs(directory.entries)
    handled: set[str] = set()
    for entry in directory.entries:
        if entry.is_dir:
            continue
        parent, base, parts = split_name(entry.name)
        if parent in storage_dirs or base in _TORCH_METADATA or ".data" in parts:
            handled.add(entry.name)  # tensor bytes and torch's own small metadata files
            continue
        try:
            read_local_header(handle, entry, [])
            head = MemberSource(handle, entry).read(len(NPY_MAGIC))
        except (MemberError, OSError, struct.error, ContainerError, EOFError, ValueError):
            handled.add(entry.name)  # the analyzer reports it as unreadable
            continue
        if _member_kind(entry, head, storage_dirs) is not None:
            handled.add(entry.name)
    return frozenset(handled)


def iter_zip(
    artifact: Artifact, ctx: ScanContext, directory: Directory | None = None
) -> Iterator[Event]:
    """Every member of a model zip that holds a pickle, and every structural anomaly.

    ``directory`` is the archive's directory when the caller has just read it (with
    ``ctx``'s limits), so that it is not parsed twice.
    """
    with artifact.open() as handle:
        if directory is None:
            opened = open_zip(handle, ctx.budget.limits)
            if isinstance(opened, ContainerProblem):
                yield opened
                return
            directory = opened
        yield from directory.anomalies
        storage_dirs = _storage_dirs(directory.entries)
        anomalies: list[Anomaly] = []
        for entry in directory.entries:
            if entry.is_dir:
                continue
            yield from _zip_member(handle, entry, ctx, storage_dirs, artifact.relpath, anomalies)
            yield from anomalies
            anomalies.clear()
        yield from overlap_anomalies(directory.entries)


def _zip_member(
    handle: BinaryIO,
    entry: ZipEntry,
    ctx: ScanContext,
    storage_dirs: frozenset[str],
    relpath: str,
    anomalies: list[Anomaly],
) -> Iterator[Event]:
    name = entry.name
    try:
        read_local_header(handle, entry, anomalies)
        source = MemberSource(handle, entry)
    except (MemberError, OSError, struct.error) as exc:
        yield ContainerProblem(f"the member could not be read: {exc}", member=name)
        return
    reader = BoundedReader(source, ctx.budget, decompressed=True, label=f"{relpath}!{name}")
    try:
        kind = _member_kind(entry, reader.peek(len(NPY_MAGIC)), storage_dirs)
        if kind is not None:
            _check_ratio(entry, relpath)
        if kind == "npy":
            yield from _npy(reader, name, ctx)
        elif kind is not None:
            yield from _streams(reader, name, ctx, committed=kind == "pickle")
            if kind == "pickle":
                _drain(reader, entry)
    except ContainerError as exc:
        message = f"the member could not be decompressed: {exc}"
        yield ContainerProblem(message, member=name, offset=reader.tell())
        return
    if source.crc_ok is False:
        anomalies.append(
            Anomaly("crc", "the member's CRC-32 does not match its data", name, entry.header_offset)
        )


def _drain(reader: BoundedReader, entry: ZipEntry) -> None:
    """Read a pickle member to its end so that its CRC can be checked."""
    left = entry.file_size - reader.tell()
    if 0 < left <= MAX_SPECULATIVE:
        reader.skip(left)
    reader.at_eof()


def _check_ratio(entry: ZipEntry, relpath: str) -> None:
    """Refuse a member whose declared expansion is a decompression bomb's."""
    if entry.file_size < RATIO_MIN_SIZE:
        return
    if entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
        detail = (
            f"{relpath}!{entry.name} declares {entry.file_size} bytes "
            f"from {entry.compress_size} compressed"
        )
        raise LimitExceeded("max_compression_ratio", MAX_COMPRESSION_RATIO, detail)


TORCH_TAR_MEMBERS: Final = frozenset({"sys_info", "pickle", "storages", "tensors"})


def tar_is_torch(handle: BinaryIO, limits: Limits) -> bool:
    """True for the old torch tar format (members ``sys_info``, ``pickle``, ``storages``)."""
    try:
        with tarfile.open(fileobj=handle, mode="r:") as archive:
            names = set()
            for count, info in enumerate(archive):
                if count >= limits.max_archive_members:
                    break
                names.add(info.name.lstrip("./"))
    except (tarfile.TarError, OSError, ValueError, EOFError):
        return False
    return {"pickle", "sys_info"} <= names


def iter_tar(artifact: Artifact, ctx: ScanContext) -> Iterator[Event]:
    """The pickles of an old-format torch tar: ``sys_info``, ``pickle``, ``storages``, ..."""
    limits = ctx.budget.limits
    with artifact.open() as handle:
        try:
            archive = tarfile.open(fileobj=handle, mode="r:")  # noqa: SIM115 - closed below
        except (tarfile.TarError, OSError, ValueError, EOFError) as exc:
            yield ContainerProblem(f"the tar archive could not be read: {exc}")
            return
        with archive:
            for count, info in enumerate(archive):
                if count >= limits.max_archive_members:
                    raise LimitExceeded("max_archive_members", limits.max_archive_members)
                yield from _tar_member(archive, info, ctx, artifact.relpath)


def _tar_member(
    archive: tarfile.TarFile, info: tarfile.TarInfo, ctx: ScanContext, relpath: str
) -> Iterator[Event]:
    name = info.name
    if not info.isfile():
        return
    base = split_name(name)[1]
    member = archive.extractfile(info)
    if member is None:
        return
    reader = BoundedReader(member, ctx.budget, decompressed=True, label=f"{relpath}!{name}")
    try:
        head = reader.peek(len(NPY_MAGIC))
        if base in TORCH_TAR_MEMBERS or name_suffix(base).lower() in _PICKLE_SUFFIXES:
            yield from _streams(reader, name, ctx, committed=True)
        elif starts_like_pickle(head):
            yield from _streams(reader, name, ctx, committed=False)
    except ContainerError as exc:
        yield ContainerProblem(f"the member could not be read: {exc}", member=name)
