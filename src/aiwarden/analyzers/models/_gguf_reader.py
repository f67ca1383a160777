"""A bounded reader of GGUF metadata (v1, v2, v3; little and big endian), never tensor data.

Layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic ``GGUF``,
``uint32`` version, tensor and key/value counts (``uint32`` in v1, ``uint64`` later),
the key/value pairs (a string key, a ``uint32`` value type, the value), then the tensor
infos (name, ``uint32`` dimension count, dimensions, ``uint32`` ggml type, ``uint64``
offset). Strings are a length (``uint32`` in v1, ``uint64`` later) and UTF-8 bytes. Big
endian files are recognised by a byte-swapped version, as llama.cpp does.

Every count and length is checked against the bytes left in the file before it is used,
so a hostile header costs at most one pass over the real metadata bytes.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, NamedTuple

from aiwarden.analyzers.interface import LimitExceeded

CHUNK = 1 << 20
MAX_KEY = 65_536
MAX_KEEP = 8 * 1024 * 1024
"""Longest string value kept in memory (chat templates); longer ones are skipped."""
MAX_COUNT = 1 << 24
MAX_NESTING = 3
MAX_DIMS = 4
"""GGML_MAX_DIMS."""

STRING, ARRAY = 8, 9
SCALARS: dict[int, str] = {
    0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d",
}  # fmt: skip
V1_TYPES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 9})


class GgufError(Exception):
    """The metadata is malformed at ``offset``."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class KeyValue:
    """One metadata entry; ``value`` is kept for scalars and short strings only.

    The records here are plain classes and a named tuple rather than dataclasses, which
    cost half a millisecond each to create when the module loads (every pooled scan).
    """

    __slots__ = ("key", "offset", "type", "value")

    def __init__(self, key: str, type: int, offset: int, value: object = None) -> None:
        self.key = key
        self.type = type
        self.offset = offset
        self.value = value


class TensorInfo(NamedTuple):
    """One tensor-info record."""

    name: str
    dims: tuple[int, ...]
    ggml_type: int
    offset: int
    at: int


class Header:
    """Everything parsed before the tensor data; ``end`` is where tensor infos stop."""

    __slots__ = ("big_endian", "end", "kvs", "n_kv", "n_tensors", "tensors", "version")

    def __init__(self) -> None:
        self.version = 0
        self.big_endian = False
        self.n_tensors = 0
        self.n_kv = 0
        self.kvs: list[KeyValue] = []
        self.tensors: list[TensorInfo] = []
        self.end = 0


def _as_int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError("expected an integer")
    return value


class Reader:
    """Sequential reads over a file through a bounded window."""

    def __init__(self, handle: BinaryIO, size: int, max_read: int) -> None:
        self._handle = handle
        self.size = size
        self._max_read = max_read
        self._read_total = 0
        self._buf = b""
        self._base = 0
        self.pos = 0
        self.order = "<"
        self.wide = True

    def _fill(self, n: int) -> None:
        if self.pos + n > self.size:
            raise GgufError(
                f"needs {n} bytes at offset {self.pos}, past the end of the file", self.pos
            )
        if self._base <= self.pos and self.pos + n <= self._base + len(self._buf):
            return
        want = max(n, CHUNK)
        self._read_total += want
        if self._read_total > self._max_read:
            raise LimitExceeded("max_read_bytes", self._max_read, "GGUF metadata is too large")
        self._handle.seek(self.pos)
        self._buf = self._handle.read(want)
        self._base = self.pos
        if len(self._buf) < n:
            raise GgufError(
                f"file ends inside metadata at offset {self.pos + len(self._buf)}", self.pos
            )

    def unpack(self, fmt: str) -> object:
        """Read one value of struct format ``fmt`` in the file's byte order."""
        size = struct.calcsize(fmt)
        self._fill(size)
        (value,) = struct.unpack_from(self.order + fmt, self._buf, self.pos - self._base)
        self.pos += size
        return value

    def u32(self) -> int:
        """A ``uint32``."""
        return _as_int(self.unpack("I"))

    def u64(self) -> int:
        """A ``uint64``."""
        return _as_int(self.unpack("Q"))

    def length(self) -> int:
        """A count or string length (``uint32`` in v1, ``uint64`` later)."""
        return _as_int(self.unpack("Q" if self.wide else "I"))

    def take(self, n: int) -> bytes:
        """The next ``n`` bytes."""
        self._fill(n)
        start = self.pos - self._base
        self.pos += n
        return self._buf[start : start + n]

    def skip(self, n: int) -> None:
        """Move past ``n`` bytes, which must lie inside the file."""
        if n < 0 or self.pos + n > self.size:
            raise GgufError(
                f"{n} bytes at offset {self.pos} run past the end of the file", self.pos
            )
        self.pos += n

    def string(self, keep: int) -> str | None:
        """A string: decoded if at most ``keep`` bytes, else skipped (``None``)."""
        at = self.pos
        n = self.length()
        if n > self.size - self.pos:
            raise GgufError(f"string of {n} bytes at offset {at} runs past the end of the file", at)
        if n > keep:
            self.skip(n)
            return None
        return self.take(n).decode("utf-8", errors="replace")

    def skip_strings(self, count: int) -> None:
        """Move past ``count`` strings (token lists), checking each length.

        The inner loop walks the buffered window directly: token and merge lists hold
        hundreds of thousands of strings.
        """
        width = 8 if self.wide else 4
        unpack = struct.Struct(self.order + ("Q" if self.wide else "I")).unpack_from
        remaining = count
        while remaining:
            self._fill(width)
            buf, base, size = self._buf, self._base, self.size
            end = base + len(buf)
            pos = self.pos
            while remaining and pos + width <= end:
                (n,) = unpack(buf, pos - base)
                pos += width
                if n > size - pos:
                    self.pos = pos - width
                    raise GgufError(
                        f"string of {n} bytes at offset {pos - width} runs past the end", pos
                    )
                pos += n
                remaining -= 1
            self.pos = pos
