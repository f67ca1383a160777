"""A zip reader for model archives that reports what loaders and scanners disagree on.

PyTorch reads checkpoints with its own zip reader (miniz), which ignores the
encryption flag and CRC errors and trusts the central directory; Python's
:mod:`zipfile` refuses or raises on the same files. Published scanner bypasses live
in that gap (encryption flag bit, bad CRC, local-header name differing from the
central-directory name, data prepended to the archive). This module parses the end
record, the central directory and each member's local header itself (``struct``), so
it reads every member the way torch does and reports every such anomaly. Only the
directory, the local headers and the members asked for are read: a multi-GB
checkpoint costs the same as a small one.
"""

from __future__ import annotations

import bz2
import itertools
import lzma
import re
import struct
import zlib
from typing import BinaryIO, Final, NamedTuple

from aiwarden.analyzers.interface import LimitExceeded, Limits

_EOCD: Final = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR: Final = struct.Struct("<4sLQL")
_EOCD64: Final = struct.Struct("<4sQ2H2L4Q")
_CENTRAL: Final = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL: Final = struct.Struct("<4s2B4HL2L2H")
_MAX_COMMENT: Final = 65535
_MAX_ENTRY_BYTES: Final = 4096
"""Average bytes per central-directory entry accepted before reading the directory."""
RAW_CHUNK: Final = 64 * 1024
_ODD_CHARS: Final = re.compile("[\x00-\x1f\ufffd]")
"""A control character (code point under 32) or the replacement of an undecodable byte."""
SUPPORTED_METHODS: Final = frozenset({0, 8, 12, 14})  # stored, deflate, bzip2, lzma


class ZipFormatError(Exception):
    """The archive's end record or central directory cannot be parsed."""


class MemberError(Exception):
    """A member's local header or data cannot be read."""


class Anomaly(NamedTuple):
    """A structural oddity a genuine writer never produces (a named tuple: cheaper to
    create at import than a dataclass, and only ever built and read)."""

    kind: str
    message: str
    member: str | None = None
    offset: int | None = None


class ZipEntry:
    """One central-directory record (offsets absolute in the file).

    This and :class:`Directory` are plain classes: a dataclass costs half a millisecond
    to create when the module loads (every pooled scan), and these are only built,
    read, and given their data offset.
    """

    __slots__ = (
        "compress_size",
        "crc",
        "data_offset",
        "file_size",
        "flags",
        "header_offset",
        "method",
        "name",
        "raw_name",
    )

    def __init__(
        self,
        name: str,
        raw_name: bytes,
        flags: int,
        method: int,
        crc: int,
        compress_size: int,
        file_size: int,
        header_offset: int,
    ) -> None:
        self.name = name
        self.raw_name = raw_name
        self.flags = flags
        self.method = method
        self.crc = crc
        self.compress_size = compress_size
        self.file_size = file_size
        self.header_offset = header_offset
        self.data_offset: int | None = None

    @property
    def is_dir(self) -> bool:
        """True for a directory entry."""
        return self.name.endswith("/")


class Directory:
    """The parsed central directory and the anomalies found while parsing it."""

    __slots__ = ("anomalies", "entries", "size")

    def __init__(self, entries: list[ZipEntry], size: int = 0) -> None:
        self.entries = entries
        self.anomalies: list[Anomaly] = []
        self.size = size


def _decode_name(raw: bytes, flags: int) -> str:
    return raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")


def _find_eocd(handle: BinaryIO, size: int) -> tuple[int, tuple[int, ...]]:
    """The position and fields of the last end record whose comment fits in the file.

    Most archives end with an end record and no comment: its 22 bytes are read first.
    The full search below would pick that same record, because it tries candidates
    from the end and no complete record can start in the last 21 bytes, so only other
    archives pay for reading the 64 KiB tail.
    """
    if size >= _EOCD.size:
        handle.seek(size - _EOCD.size)
        record = handle.read(_EOCD.size)
        if len(record) == _EOCD.size and record.startswith(b"PK\x05\x06"):
            fields = _EOCD.unpack(record)
            if fields[7] == 0:
                return size - _EOCD.size, fields
    tail_size = min(size, _EOCD.size + _MAX_COMMENT)
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
    raise ZipFormatError("no end-of-central-directory record")


def _zip64_end(handle: BinaryIO, eocd_pos: int) -> tuple[int, int, int, int] | None:
    """(record position, entries, directory size, directory offset) from the zip64 record."""
    if eocd_pos < _EOCD64_LOCATOR.size:
        return None
    handle.seek(eocd_pos - _EOCD64_LOCATOR.size)
    locator = handle.read(_EOCD64_LOCATOR.size)
    if len(locator) < _EOCD64_LOCATOR.size or not locator.startswith(b"PK\x06\x07"):
        return None
    record_pos = eocd_pos - _EOCD64_LOCATOR.size - _EOCD64.size
    if record_pos < 0:
        raise ZipFormatError("zip64 end record lies before the file start")
    handle.seek(record_pos)
    record = handle.read(_EOCD64.size)
    if len(record) < _EOCD64.size or not record.startswith(b"PK\x06\x06"):
        raise ZipFormatError("zip64 locator without a zip64 end record")
    fields = _EOCD64.unpack(record)
    return record_pos, int(fields[7]), int(fields[8]), int(fields[9])


def read_directory(handle: BinaryIO, limits: Limits) -> Directory:
    """Parse the end record and the central directory of the zip in ``handle``."""
    size = handle.seek(0, 2)
    eocd_pos, eocd = _find_eocd(handle, size)
    _, disk, cd_disk, disk_entries, total, cd_size, cd_offset, _ = eocd
    end_pos = eocd_pos
    zip64 = _zip64_end(handle, eocd_pos)
    if zip64 is not None:
        end_pos, total, cd_size, cd_offset = zip64
    if (
        total > limits.max_archive_members
        or cd_size > limits.max_archive_members * _MAX_ENTRY_BYTES
    ):
        detail = f"central directory declares {total} members in {cd_size} bytes"
        raise LimitExceeded("max_archive_members", limits.max_archive_members, detail)
    concat = end_pos - cd_size - cd_offset
    if concat < 0:
        raise ZipFormatError("the central directory lies outside the file")
    handle.seek(cd_offset + concat)
    raw = handle.read(cd_size)
    if len(raw) < cd_size:
        raise ZipFormatError("the central directory is truncated")
    directory = Directory(_parse_entries(raw, concat, limits), size=size)
    _directory_anomalies(directory, total, (disk, cd_disk, disk_entries), concat)
    return directory


def _parse_entries(raw: bytes, concat: int, limits: Limits) -> list[ZipEntry]:
    entries: list[ZipEntry] = []
    pos = 0
    while pos + _CENTRAL.size <= len(raw):
        fields = _CENTRAL.unpack_from(raw, pos)
        if fields[0] != b"PK\x01\x02":
            raise ZipFormatError(f"bad central directory record at directory offset {pos}")
        name_len, extra_len, comment_len = fields[12], fields[13], fields[14]
        start = pos + _CENTRAL.size
        raw_name = raw[start : start + name_len]
        extra = raw[start + name_len : start + name_len + extra_len]
        csize, usize, offset = fields[10], fields[11], fields[18]
        if extra:
            csize, usize, offset = _zip64_sizes(extra, csize, usize, offset)
        flags = fields[5]
        entries.append(
            ZipEntry(
                _decode_name(raw_name, flags), raw_name, flags, fields[6], fields[9],
                csize, usize, offset + concat,
            )
        )  # fmt: skip
        if len(entries) > limits.max_archive_members:
            detail = f"more than {limits.max_archive_members} central directory records"
            raise LimitExceeded("max_archive_members", limits.max_archive_members, detail)
        pos = start + name_len + extra_len + comment_len
    return entries


def _zip64_sizes(extra: bytes, csize: int, usize: int, offset: int) -> tuple[int, int, int]:
    """Apply a zip64 extra field (id 1) to the 0xFFFFFFFF placeholders, in spec order."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if tag == 1:
            values = [v for (v,) in struct.iter_unpack("<Q", body[: len(body) // 8 * 8])]
            if usize == 0xFFFFFFFF and values:
                usize = values.pop(0)
            if csize == 0xFFFFFFFF and values:
                csize = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
        pos += 4 + length
    return csize, usize, offset


def _odd_name(name: str) -> str | None:
    if not name:
        return "an empty name"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if "\\" in name:
        return "a backslash"
    if ".." in name.split("/"):
        return "a '..' component"
    if _ODD_CHARS.search(name):
        return "control or undecodable characters"
    return None


def _directory_anomalies(
    directory: Directory, total: int, disks: tuple[int, int, int], concat: int
) -> None:
    found = directory.anomalies
    entries = directory.entries
    if total != len(entries) or disks[2] not in (total, 0xFFFF) or disks[:2] != (0, 0):
        found.append(
            Anomaly(
                "entry-count",
                f"the end record declares {total} members but the central directory holds "
                f"{len(entries)} (disk fields {disks})",
            )
        )
    first = min((e.header_offset for e in entries), default=concat)
    if first > 0:
        found.append(
            Anomaly("prepended-data", f"{first} bytes precede the first zip member", offset=0)
        )
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            found.append(Anomaly("duplicate-name", "the member name appears twice", entry.name))
        seen.add(entry.name)
        odd = _odd_name(entry.name)
        if odd is not None:
            found.append(Anomaly("odd-name", f"the member name has {odd}", entry.name))
        if entry.flags & 0x61:
            _flag_anomalies(entry, found)


def _flag_anomalies(entry: ZipEntry, found: list[Anomaly]) -> None:
    if entry.flags & 0x1:
        found.append(
            Anomaly("encrypted", "the encryption flag (bit 0) is set; torch ignores it", entry.name)
        )
    if entry.flags & 0x20:
        found.append(Anomaly("patched", "the patched-data flag (bit 5) is set", entry.name))
    if entry.flags & 0x40:
        found.append(Anomaly("encrypted", "the strong-encryption flag (bit 6) is set", entry.name))


def read_local_header(handle: BinaryIO, entry: ZipEntry, anomalies: list[Anomaly]) -> None:
    """Read ``entry``'s local header, set its data offset and note any disagreement."""
    handle.seek(entry.header_offset)
    header = handle.read(_LOCAL.size)
    if len(header) < _LOCAL.size or not header.startswith(b"PK\x03\x04"):
        raise MemberError("no local file header at the offset the central directory gives")
    fields = _LOCAL.unpack(header)
    flags, method, crc, csize, usize, name_len, extra_len = fields[3:5] + fields[7:]
    raw_name = handle.read(name_len)
    entry.data_offset = entry.header_offset + _LOCAL.size + name_len + extra_len
    where = entry.header_offset
    if raw_name != entry.raw_name:
        local = _decode_name(raw_name, flags)
        anomalies.append(
            Anomaly(
                "name-mismatch",
                f"the local header names the member {local!r}, the central directory "
                f"{entry.name!r}",
                entry.name,
                where,
            )
        )
    if method != entry.method:
        message = f"compression method {method} in the local header, {entry.method} centrally"
        anomalies.append(Anomaly("header-mismatch", message, entry.name, where))
    sized = not flags & 0x8 and 0xFFFFFFFF not in (csize, usize)
    if sized and (csize, usize, crc) != (entry.compress_size, entry.file_size, entry.crc):
        message = "the local header's sizes or CRC differ from the central directory's"
        anomalies.append(Anomaly("header-mismatch", message, entry.name, where))


def overlap_anomalies(entries: list[ZipEntry]) -> list[Anomaly]:
    """Members whose data overlaps the next member's header (a zip-bomb construction)."""
    found: list[Anomaly] = []
    ordered = sorted(
        (e for e in entries if e.data_offset is not None), key=lambda e: e.header_offset
    )
    for current, following in itertools.pairwise(ordered):
        assert current.data_offset is not None
        if current.data_offset + current.compress_size > following.header_offset:
            message = f"the member's data overlaps member {following.name!r}"
            found.append(Anomaly("overlap", message, current.name, current.header_offset))
    return found


class MemberSource:
    """Decompressed bytes of one member, read the way torch does (flags ignored).

    Tracks the CRC-32 of what it produced; :attr:`crc_ok` is ``None`` until the
    member has been read to its end.
    """

    def __init__(self, handle: BinaryIO, entry: ZipEntry) -> None:
        if entry.method not in SUPPORTED_METHODS:
            raise MemberError(f"compression method {entry.method} is not supported")
        assert entry.data_offset is not None
        self._handle = handle
        self._entry = entry
        self._raw_pos = entry.data_offset
        self._raw_left = entry.compress_size
        self._crc = 0
        self._done = False
        self._pending = b""
        self._inflate: zlib._Decompress | bz2.BZ2Decompressor | lzma.LZMADecompressor | None
        self._inflate = None
        if entry.method == 8:
            self._inflate = zlib.decompressobj(-15)
        elif entry.method == 12:
            self._inflate = bz2.BZ2Decompressor()
        elif entry.method == 14:
            self._inflate = self._lzma_decompressor()
        self.crc_ok: bool | None = None

    def _lzma_decompressor(self) -> lzma.LZMADecompressor:
        """Zip's LZMA members start with a version, a property length and LZMA1 properties."""
        head = self._raw(4)
        size = int.from_bytes(head[2:4], "little") if len(head) == 4 else -1
        props = self._raw(size) if 0 < size <= 64 else b""
        if len(props) != size:
            raise MemberError("the LZMA member header is malformed")
        try:
            # The same decoding of the properties that zipfile itself uses.
            lzma1 = lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)  # type: ignore[attr-defined]
        except lzma.LZMAError as exc:
            raise MemberError(f"the LZMA properties are invalid ({exc})") from exc
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[lzma1])

    def _raw(self, size: int) -> bytes:
        size = min(size, self._raw_left)
        if size <= 0:
            return b""
        self._handle.seek(self._raw_pos)
        data = self._handle.read(size)
        if not data:
            raise EOFError("the member's data is cut off by the end of the file")
        self._raw_pos += len(data)
        self._raw_left -= len(data)
        return data

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` decompressed bytes; ``b''`` at the end of the member."""
        if size < 0:
            raise ValueError("unbounded read refused")
        out = self._raw(size) if self._inflate is None else self._inflated(size)
        self._crc = zlib.crc32(out, self._crc)
        if not out and not self._done:
            self._done = True
            self.crc_ok = self._crc == self._entry.crc
        return out

    def _inflated(self, size: int) -> bytes:
        out = bytearray()
        inflate = self._inflate
        assert inflate is not None
        while len(out) < size:
            if isinstance(inflate, bz2.BZ2Decompressor | lzma.LZMADecompressor):
                if inflate.eof:
                    break
                data = self._pending or self._raw(RAW_CHUNK)
                self._pending = b""
                if not data and inflate.needs_input and isinstance(inflate, lzma.LZMADecompressor):
                    break  # zip LZMA may omit the end marker; the CRC check still applies
                if not data and inflate.needs_input:
                    raise EOFError("the bzip2 stream ends before its end marker")
                out += inflate.decompress(data, max_length=size - len(out))
                continue
            if inflate.eof:
                break
            data = inflate.unconsumed_tail or self._raw(RAW_CHUNK)
            if not data:
                raise EOFError("the deflate stream ends before its end marker")
            out += inflate.decompress(data, size - len(out))
        return bytes(out)
