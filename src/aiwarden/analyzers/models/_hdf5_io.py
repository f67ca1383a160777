"""Bounded reads for the pure-Python HDF5 reader (:mod:`._hdf5_lite`).

Every read is at an absolute offset, inside the file (or the end of file the superblock
records), and counted against one budget of metadata bytes; any structure that does not
fit raises :class:`Unsupported`, which sends the file to h5py.
"""

from __future__ import annotations

from typing import BinaryIO, Final

MAX_READ_BYTES: Final = 64 * 1024 * 1024
"""Metadata bytes read in all before giving up on the file (h5py decides)."""


class Unsupported(Exception):
    """The file uses something this reader does not handle: the caller uses h5py."""


class File:
    """Bounds-checked reads at absolute offsets of a seekable binary file."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.size = handle.seek(0, 2)
        self._left = MAX_READ_BYTES
        self.offset_size = 8
        self.length_size = 8

    def read(self, offset: int, size: int) -> bytes:
        """``size`` bytes at ``offset``; Unsupported outside the file or the budget."""
        if offset < 0 or size < 0 or offset + size > self.size:
            raise Unsupported(f"read of {size} bytes at {offset} is outside the file")
        self._left -= size
        if self._left < 0:
            raise Unsupported("too much metadata")
        self._handle.seek(offset)
        data = self._handle.read(size)
        if len(data) != size:
            raise Unsupported("short read")
        return data

    def undefined(self, address: int) -> bool:
        """True for the all-ones "undefined address" of the file's offset size."""
        return address == (1 << (8 * self.offset_size)) - 1


def uint(data: bytes, at: int, size: int) -> int:
    """The little-endian unsigned integer of ``size`` bytes at ``at`` in ``data``."""
    if at + size > len(data):
        raise Unsupported("truncated structure")
    return int.from_bytes(data[at : at + size], "little")


__all__ = ["MAX_READ_BYTES", "File", "Unsupported", "uint"]
