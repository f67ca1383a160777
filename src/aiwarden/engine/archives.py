"""Expansion of plain zip and tar archives into member artifacts.

A zip or tar archive that no analyzer claims as a model container is opened here, and
each regular member is copied (bounded) to a private temporary file so that every
analyzer can see it as an artifact of its own, located as ``archive!member``. Member
names are never used as paths on disk, so a hostile name cannot write anywhere; names
and link targets that would escape an extraction directory are reported
(``AIW-ARC001``). Member counts, total decompressed bytes and nesting depth are bounded
by :class:`~aiwarden.analyzers.interface.Limits`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, NamedTuple

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.engine._archive_meta import ARCHIVE_RULES, EXPANDABLE_CANDIDATES, PATH_ESCAPE

_COPY_CHUNK = 1 << 20
_TAR_COMPRESSED: dict[FileFormat, Callable[[BinaryIO], io.BufferedIOBase]] = {
    # the callers open these in a with-block
    FileFormat.GZIP: lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    FileFormat.BZIP2: lambda raw: bz2.BZ2File(raw),
    FileFormat.XZ: lambda raw: lzma.LZMAFile(raw),  # noqa: SIM115
}


__all__ = [
    "ARCHIVE_RULES",
    "EXPANDABLE_CANDIDATES",
    "PATH_ESCAPE",
    "ArchiveError",
    "Budget",
    "Member",
    "escapes",
    "expandable",
    "is_tar_stream",
    "iter_members",
]


class ArchiveError(Exception):
    """The archive (or one of its members) could not be read."""


class Budget:
    """Decompressed bytes and members left for one scanned file, across nesting levels.

    A plain slotted class, updated in place and never compared or printed (a dataclass
    would cost its creation at import).
    """

    __slots__ = ("bytes_used", "limits", "members_seen")

    def __init__(self, limits: Limits, bytes_used: int = 0, members_seen: int = 0) -> None:
        self.limits = limits
        self.bytes_used = bytes_used
        self.members_seen = members_seen

    def charge_member(self) -> None:
        """Count one more member, or raise when over ``max_archive_members``."""
        self.members_seen += 1
        if self.members_seen > self.limits.max_archive_members:
            raise LimitExceeded("max_archive_members", self.limits.max_archive_members)

    def charge_bytes(self, size: int) -> None:
        """Count decompressed bytes, or raise when over ``max_decompressed_bytes``."""
        self.bytes_used += size
        if self.bytes_used > self.limits.max_decompressed_bytes:
            raise LimitExceeded("max_decompressed_bytes", self.limits.max_decompressed_bytes)


class Member(NamedTuple):
    """A member copied to ``path``; ``name`` is its name inside the archive (a named tuple:
    an immutable record, cheap to create at import)."""

    name: str
    path: Path
    size: int


def escapes(name: str) -> bool:
    """True if extracting ``name`` relative to a directory would leave that directory."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return True
    return posixpath.normpath(normalised).split("/")[0] == ".."


def is_tar_stream(artifact: Artifact, limit: int = 1024) -> bool:
    """True if a gzip/bz2/xz artifact decompresses to a tar archive (reads <= 1 KiB)."""
    opener = _TAR_COMPRESSED.get(artifact.format)
    if opener is None:
        return False
    try:
        with artifact.open() as raw, opener(raw) as stream:
            head: bytes = stream.read(limit)
    except (OSError, EOFError, lzma.LZMAError):
        return False
    return head[257:262] == b"ustar"


def expandable(artifact: Artifact) -> bool:
    """True for zip and tar archives, including compressed tars."""
    if artifact.format in (FileFormat.ZIP, FileFormat.TAR):
        return True
    return artifact.format in _TAR_COMPRESSED and is_tar_stream(artifact)


def _copy(source: IO[bytes], target: Path, budget: Budget) -> int:
    copied = 0
    try:
        out = target.open("wb")
    except FileNotFoundError:  # the first copy into this scratch directory makes it
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    with out:
        while chunk := source.read(_COPY_CHUNK):
            budget.charge_bytes(len(chunk))
            out.write(chunk)
            copied += len(chunk)
    return copied


def _escape_finding(artifact: Artifact, name: str, what: str) -> Finding:
    return make_finding(
        PATH_ESCAPE,
        artifact.location(member=name),
        f"archive {what} {name!r} would be written outside the extraction directory",
        evidence=name[:200],
        fingerprint_key=name,
    )


def _zip_members(
    artifact: Artifact, scratch: Path, budget: Budget, skip: frozenset[str]
) -> Iterator[Member | Finding]:
    try:
        with artifact.open() as handle, zipfile.ZipFile(handle) as archive:
            for index, info in enumerate(archive.infolist()):
                budget.charge_member()
                if escapes(info.filename):
                    yield _escape_finding(artifact, info.filename, "member")
                if info.filename.endswith("/") or info.filename in skip:  # is_dir() fails on ""
                    continue
                if info.flag_bits & 0x1:
                    raise ArchiveError(f"member {info.filename!r} is encrypted and cannot be read")
                target = scratch / f"m{budget.members_seen}-{index}"
                with archive.open(info) as source:
                    size = _copy(source, target, budget)
                yield Member(info.filename, target, size)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ArchiveError(f"zip archive could not be read: {exc}") from exc
    except (ValueError, struct.error, OverflowError) as exc:  # a UTF-8-flagged name that
        # is not UTF-8, offsets zipfile cannot seek to: hostile bytes, not a crash
        raise ArchiveError(f"zip archive could not be read: {type(exc).__name__}: {exc}") from exc
    except (zlib.error, lzma.LZMAError, OSError) as exc:
        raise ArchiveError(f"zip member could not be decompressed: {exc}") from exc


def _tar_link_escapes(member: tarfile.TarInfo) -> bool:
    if member.issym():
        base = posixpath.dirname(member.name.replace("\\", "/"))
        return escapes(posixpath.join(base, member.linkname))
    return member.islnk() and escapes(member.linkname)


def _tar_members(
    artifact: Artifact, scratch: Path, budget: Budget, skip: frozenset[str]
) -> Iterator[Member | Finding]:
    try:
        with artifact.open() as handle, tarfile.open(fileobj=handle, mode="r|*") as archive:
            for index, info in enumerate(archive):
                budget.charge_member()
                if escapes(info.name):
                    yield _escape_finding(artifact, info.name, "member")
                if _tar_link_escapes(info):
                    yield _escape_finding(artifact, info.name, "link")
                wanted = info.isfile() and info.name not in skip
                source = archive.extractfile(info) if wanted else None
                if source is None:
                    continue
                target = scratch / f"m{budget.members_seen}-{index}"
                yield Member(info.name, target, _copy(source, target, budget))
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
        raise ArchiveError(f"tar archive could not be read: {exc}") from exc
    except (ValueError, struct.error, OverflowError) as exc:
        raise ArchiveError(f"tar archive could not be read: {type(exc).__name__}: {exc}") from exc


def iter_members(
    artifact: Artifact, scratch: Path, budget: Budget, *, skip: frozenset[str] = frozenset()
) -> Iterator[Member | Finding]:
    """Yield each regular member of ``artifact`` copied into ``scratch``, one at a time.

    Members named in ``skip`` (read by the analyzer that claimed the archive) are not
    copied; ``scratch`` is made when the first member is (often none is). Also yields
    ``AIW-ARC001`` findings for names and links that escape. The caller deletes each
    member's copy when done with it. Raises :class:`ArchiveError` for an
    unreadable archive and :class:`~aiwarden.analyzers.interface.LimitExceeded` at a
    limit.
    """
    if artifact.format is FileFormat.ZIP:
        return _zip_members(artifact, scratch, budget, skip)
    return _tar_members(artifact, scratch, budget, skip)
