"""A fast pickle opcode decoder: what :func:`pickletools.genops` yields, with less overhead.

``genops`` reads every argument through a generic descriptor object; sklearn and
joblib files hold tens of thousands of opcodes, so the per-opcode cost dominates the
scan of a model. :func:`iter_ops` decodes the binary argument types (the bulk of any
protocol 2+ pickle) with one ``struct`` call each and hands the rare text-protocol
arguments (``GLOBAL``, ``STRING``, ``INT``...) to pickletools' own readers, so its
output (opcode, argument, offset) and its errors match ``genops`` exactly. It never
imports or calls anything named in the data.
"""

from __future__ import annotations

import pickletools
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, Final, Protocol, cast

from aiwarden.analyzers.models._stream import BoundedReader

__all__ = ["TABLE", "decode_buffered", "iter_ops"]


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def tell(self) -> int: ...


_ArgReader = Callable[[_Reader], Any]

_U2: Final = struct.Struct("<H").unpack
_I4: Final = struct.Struct("<i").unpack
_U4: Final = struct.Struct("<I").unpack
_U8: Final = struct.Struct("<Q").unpack
_F8: Final = struct.Struct(">d").unpack


def _exact(reader: _Reader, size: int, what: str) -> bytes:
    data = reader.read(size)
    if len(data) != size:
        if what.startswith("long"):  # pickletools words these two differently
            raise ValueError(f"not enough data in stream to read {what}")
        raise ValueError(f"expected {size} bytes in a {what}, but only {len(data)} remain")
    return data


def _fixed(size: int, unpack: Callable[[bytes], tuple[Any, ...]], what: str) -> _ArgReader:
    def read(reader: _Reader) -> Any:
        data = reader.read(size)
        if len(data) != size:
            raise ValueError(f"not enough data in stream to read {what}")
        return unpack(data)[0]

    return read


def _uint1(reader: _Reader) -> int:
    data = reader.read(1)
    if not data:
        raise ValueError("not enough data in stream to read uint1")
    return data[0]


_uint2 = _fixed(2, _U2, "uint2")
_int4 = _fixed(4, _I4, "int4")
_uint4 = _fixed(4, _U4, "uint4")
_uint8 = _fixed(8, _U8, "uint8")
_float8 = _fixed(8, _F8, "float8")


def _counted(count: _ArgReader, what: str, convert: Callable[[bytes], Any]) -> _ArgReader:
    def read(reader: _Reader) -> Any:
        size = count(reader)
        if size < 0:
            raise ValueError(f"{what} byte count < 0: {size}")
        if size > sys.maxsize:
            raise ValueError(f"{what} byte count > sys.maxsize: {size}")
        return convert(_exact(reader, size, what))

    return read


def _latin1(data: bytes) -> str:
    return data.decode("latin-1")


def _utf8(data: bytes) -> str:
    return str(data, "utf-8", "surrogatepass")


def _long(data: bytes) -> int:
    return int.from_bytes(data, "little", signed=True)


def _same(data: bytes) -> bytes:
    return data


_FAST: Final[dict[str, _ArgReader]] = {
    "uint1": _uint1,
    "uint2": _uint2,
    "int4": _int4,
    "uint4": _uint4,
    "uint8": _uint8,
    "float8": _float8,
    "long1": _counted(_uint1, "long1", _long),
    "long4": _counted(_int4, "long4", _long),
    "string1": _counted(_uint1, "string1", _latin1),
    "string4": _counted(_int4, "string4", _latin1),
    "bytes1": _counted(_uint1, "bytes1", _same),
    "bytes4": _counted(_uint4, "bytes4", _same),
    "bytes8": _counted(_uint8, "bytes8", _same),
    "bytearray8": _counted(_uint8, "bytearray8", bytearray),
    "unicodestring1": _counted(_uint1, "unicodestring1", _utf8),
    "unicodestring4": _counted(_uint4, "unicodestring4", _utf8),
    "unicodestring8": _counted(_uint8, "unicodestring8", _utf8),
}


def _table() -> list[tuple[pickletools.OpcodeInfo, _ArgReader | None] | None]:
    table: list[tuple[pickletools.OpcodeInfo, _ArgReader | None] | None] = [None] * 256
    for info in pickletools.opcodes:
        arg = info.arg
        reader = None if arg is None else _FAST.get(arg.name) or cast(_ArgReader, arg.reader)
        table[ord(info.code.encode("latin-1"))] = (info, reader)
    return table


_TABLE: Final = _table()
TABLE: Final = _TABLE
"""Each byte's opcode and argument reader (None for an unknown byte)."""


def iter_ops(reader: _Reader) -> Iterator[tuple[pickletools.OpcodeInfo, Any, int]]:
    """Yield ``(opcode, argument, offset)`` up to and including ``STOP``, like ``genops``."""
    if isinstance(reader, BoundedReader):
        return _iter_buffered(reader)
    return _iter_any(reader)


def _iter_any(reader: _Reader) -> Iterator[tuple[pickletools.OpcodeInfo, Any, int]]:
    table = _TABLE
    read = reader.read
    tell = reader.tell
    while True:
        info, arg, pos = _next_op(read, tell(), reader, table)
        yield info, arg, pos
        if info.code == ".":
            return


def _next_op(
    read: Callable[[int], bytes],
    pos: int,
    reader: _Reader,
    table: list[tuple[pickletools.OpcodeInfo, _ArgReader | None] | None],
) -> tuple[pickletools.OpcodeInfo, Any, int]:
    code = read(1)
    if not code:
        raise ValueError("pickle exhausted before seeing STOP")
    entry = table[code[0]]
    if entry is None:
        raise ValueError(f"at position {pos}, opcode {code!r} unknown")
    info, arg_reader = entry
    return info, None if arg_reader is None else arg_reader(reader), pos


# How the buffered path reads each opcode's argument straight from the buffer:
# (opcode, kind, size, unpack, convert). _NONE: no argument; _BYTE: one byte; _FIXED:
# ``size`` bytes through the struct ``unpack``; _COUNTED: a ``size``-byte count
# (``unpack``) then that many bytes given to ``convert``; _SLOW: a text-protocol
# argument, read through the reader by pickletools.
_SLOW, _NONE, _BYTE, _FIXED, _COUNTED = range(5)
_Plan = tuple[pickletools.OpcodeInfo, int, int, Any, Any]
_UNPACK_FROM: Final[dict[str, tuple[int, Callable[[bytes, int], tuple[Any, ...]]]]] = {
    "uint1": (1, struct.Struct("<B").unpack_from),
    "uint2": (2, struct.Struct("<H").unpack_from),
    "int4": (4, struct.Struct("<i").unpack_from),
    "uint4": (4, struct.Struct("<I").unpack_from),
    "uint8": (8, struct.Struct("<Q").unpack_from),
    "float8": (8, struct.Struct(">d").unpack_from),
}
_COUNTS: Final[dict[str, tuple[str, Callable[[bytes], Any]]]] = {
    "long1": ("uint1", _long),
    "string1": ("uint1", _latin1),
    "bytes1": ("uint1", _same),
    "unicodestring1": ("uint1", _utf8),
    "long4": ("int4", _long),
    "string4": ("int4", _latin1),
    "bytes4": ("uint4", _same),
    "unicodestring4": ("uint4", _utf8),
    "bytes8": ("uint8", _same),
    "bytearray8": ("uint8", bytearray),
    "unicodestring8": ("uint8", _utf8),
}


def _plan(info: pickletools.OpcodeInfo) -> _Plan:
    arg = info.arg
    if arg is None:
        return (info, _NONE, 0, None, None)
    if arg.name == "uint1":
        return (info, _BYTE, 1, None, None)
    if arg.name in _UNPACK_FROM:
        size, unpack = _UNPACK_FROM[arg.name]
        return (info, _FIXED, size, unpack, None)
    if arg.name in _COUNTS:
        count, convert = _COUNTS[arg.name]
        size, unpack = _UNPACK_FROM[count]
        return (info, _COUNTED, size, unpack, convert)
    return (info, _SLOW, 0, None, None)


_PLANS: Final[list[_Plan | None]] = [None if entry is None else _plan(entry[0]) for entry in _TABLE]


def _iter_buffered(reader: BoundedReader) -> Iterator[tuple[pickletools.OpcodeInfo, Any, int]]:
    """:func:`iter_ops` over a :class:`BoundedReader`: :func:`decode_buffered` until STOP."""
    while True:
        info, arg, pos = decode_buffered(reader)
        yield info, arg, pos
        if info.code == ".":
            return


def decode_buffered(reader: BoundedReader) -> tuple[pickletools.OpcodeInfo, Any, int]:
    """Read one opcode, its argument and offset from ``reader``, decoding in place where it can.

    An opcode whose bytes (opcode, argument, counted payload) all lie in the part of
    the reader's buffer that :meth:`BoundedReader.read` would hand out without a limit
    check (buffered, within ``_fast``) is decoded there and taken as those reads would
    have taken it (the fast path of :meth:`BoundedReader.read`, inlined). Any other
    opcode (at a buffer or allowance edge, unknown, text-protocol) is read through the
    reader as :func:`pickletools.genops` reads it, errors included. The reader's state
    is read afresh on every call: the VM may read array buffers, skip bytes or close a
    speculative window between two opcodes.
    """
    data, off, pos = reader._data, reader._off, reader._pos
    avail = min(reader._fast, len(data) - off)
    plan = _PLANS[data[off]] if avail > 0 else None
    if plan is not None:
        info, kind, size, unpack, convert = plan
        arg: Any = None
        if kind == _NONE:
            taken = 1
        elif kind == _SLOW or size >= avail:
            taken = 0
        elif kind == _BYTE:
            taken, arg = 2, data[off + 1]
        else:
            taken, arg = 1 + size, unpack(data, off + 1)[0]
            if kind == _COUNTED:
                taken = taken + arg if 0 <= arg <= avail - taken else 0
        if taken:
            budget = reader._budget
            reader._off, reader._pos = off + taken, pos + taken
            reader._fast -= taken
            budget.read_left -= taken
            if reader._decompressed:
                budget.decompressed_left -= taken
            if kind == _COUNTED:  # converted after the bytes were taken, as read() does
                arg = convert(data[off + 1 + size : off + taken])
            return info, arg, pos
    return _next_op(reader.read, pos, reader, _TABLE)
