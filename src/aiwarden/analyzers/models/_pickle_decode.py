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

__all__ = ["iter_ops"]


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


def iter_ops(reader: _Reader) -> Iterator[tuple[pickletools.OpcodeInfo, Any, int]]:
    """Yield ``(opcode, argument, offset)`` up to and including ``STOP``, like ``genops``."""
    table = _TABLE
    read = reader.read
    tell = reader.tell
    while True:
        pos = tell()
        code = read(1)
        if not code:
            raise ValueError("pickle exhausted before seeing STOP")
        entry = table[code[0]]
        if entry is None:
            raise ValueError(f"at position {pos}, opcode {code!r} unknown")
        info, arg_reader = entry
        arg = None if arg_reader is None else arg_reader(reader)
        yield info, arg, pos
        if code == b".":
            return
