"""Byte-level zip manipulation: the header tricks published against scanners."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Iterable

EOCD = b"PK\x05\x06"
CENTRAL = b"PK\x01\x02"


def build(members: Iterable[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    """A zip written by :mod:`zipfile` (duplicate names are allowed)."""
    buffer = io.BytesIO()
    with (
        warnings.catch_warnings(),
        zipfile.ZipFile(buffer, "w", compression=method) as archive,
    ):
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def _central_entries(data: bytes) -> list[int]:
    """Offsets of every central-directory header."""
    eocd = data.rindex(EOCD)
    count, _size, offset = struct.unpack_from("<HII", data, eocd + 10)
    entries = []
    for _ in range(count):
        if data[offset : offset + 4] != CENTRAL:
            raise ValueError("bad central directory")
        entries.append(offset)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + name_len + extra_len + comment_len
    return entries


def _local_offset(data: bytes, central: int) -> int:
    return int(struct.unpack_from("<I", data, central + 42)[0])


def set_flag_bits(data: bytes, bits: int) -> bytes:
    """OR ``bits`` into the general-purpose flags of every local and central header."""
    out = bytearray(data)
    for central in _central_entries(data):
        local = _local_offset(data, central)
        for pos in (central + 8, local + 6):
            (flags,) = struct.unpack_from("<H", out, pos)
            struct.pack_into("<H", out, pos, flags | bits)
    return bytes(out)


def rename_local(data: bytes, old: str, new: str) -> bytes:
    """Rename a member in its local header only (the central directory keeps ``old``)."""
    if len(old) != len(new):
        raise ValueError("same length only")
    out = bytearray(data)
    for central in _central_entries(data):
        local = _local_offset(data, central)
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_len] == old.encode():
            out[local + 30 : local + 30 + name_len] = new.encode()
    return bytes(out)


def corrupt_crc(data: bytes) -> bytes:
    """Flip the CRC-32 of every member in both headers; the data stay intact."""
    out = bytearray(data)
    for central in _central_entries(data):
        local = _local_offset(data, central)
        for pos in (central + 16, local + 14):
            (crc,) = struct.unpack_from("<I", out, pos)
            struct.pack_into("<I", out, pos, crc ^ 0xDEADBEEF)
    return bytes(out)
