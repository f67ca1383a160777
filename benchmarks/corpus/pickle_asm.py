"""A tiny pickle *assembler*: turns a symbolic value tree into opcodes.

The corpus must never import or run what it describes, so callables are
named, never resolved: ``Global("os", "system")`` is two strings.  The
encoder follows what CPython's pickler emits for each protocol (GLOBAL vs
STACK_GLOBAL, MARK-based vs TUPLE1..3, BINUNICODE vs SHORT_BINUNICODE, ...).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

PROTO = b"\x80"
STOP = b"."
MARK = b"("
FRAME = b"\x95"


@dataclass(frozen=True)
class Global:
    """A module-level name, pushed with GLOBAL (proto < 4) or STACK_GLOBAL."""

    module: str
    name: str


@dataclass(frozen=True)
class Call:
    """``func(*args)`` via REDUCE."""

    func: object
    args: tuple[object, ...] = ()


@dataclass(frozen=True)
class Build:
    """``obj.__setstate__(state)`` / ``obj.__dict__.update(state)`` via BUILD."""

    obj: object
    state: object


@dataclass(frozen=True)
class PersId:
    """A persistent id (torch storages): ``pid`` then BINPERSID."""

    pid: object


@dataclass(frozen=True)
class Raw:
    """Pre-assembled opcodes that push exactly one value."""

    data: bytes


class Encoder:
    """Encodes values for one pickle protocol (0-5)."""

    def __init__(self, protocol: int) -> None:
        if not 0 <= protocol <= 5:
            raise ValueError(f"protocol {protocol}")
        self.protocol = protocol

    def encode(self, value: object) -> bytes:
        if value is None:
            return b"N"
        if isinstance(value, bool):
            return self._bool(value)
        if isinstance(value, int):
            return self._int(value)
        if isinstance(value, float):
            return self._float(value)
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self._bytes(value)
        if isinstance(value, tuple):
            return self._tuple(value)
        if isinstance(value, list):
            return self._list(value)
        if isinstance(value, dict):
            return self._dict(value)
        return self._symbolic(value)

    def _symbolic(self, value: object) -> bytes:
        if isinstance(value, Global):
            return self.global_(value.module, value.name)
        if isinstance(value, Call):
            return self.encode(value.func) + self._tuple(value.args) + b"R"
        if isinstance(value, Build):
            return self.encode(value.obj) + self.encode(value.state) + b"b"
        if isinstance(value, PersId):
            if self.protocol == 0:
                raise ValueError("PersId needs protocol >= 1")
            return self.encode(value.pid) + b"Q"
        if isinstance(value, Raw):
            return value.data
        raise TypeError(f"cannot encode {type(value).__name__}")

    def global_(self, module: str, name: str) -> bytes:
        if self.protocol >= 4:
            return self.text(module) + self.text(name) + b"\x93"
        return b"c" + module.encode() + b"\n" + name.encode() + b"\n"

    def text(self, value: str) -> bytes:
        data = value.encode("utf-8")
        if self.protocol == 0:
            escaped = value.encode("raw-unicode-escape").replace(b"\\", b"\\u005c")
            return b"V" + escaped.replace(b"\n", b"\\u000a") + b"\n"
        if self.protocol >= 4 and len(data) < 256:
            return b"\x8c" + bytes([len(data)]) + data
        return b"X" + struct.pack("<I", len(data)) + data

    def _bool(self, value: bool) -> bytes:
        if self.protocol >= 2:
            return b"\x88" if value else b"\x89"
        return b"I01\n" if value else b"I00\n"

    def _int(self, value: int) -> bytes:
        if self.protocol == 0 or not -(2**31) <= value < 2**31:
            return b"I" + str(value).encode() + b"\n"
        if 0 <= value < 256:
            return b"K" + bytes([value])
        return b"J" + struct.pack("<i", value)

    def _float(self, value: float) -> bytes:
        if self.protocol == 0:
            return b"F" + repr(value).encode() + b"\n"
        return b"G" + struct.pack(">d", value)

    def _bytes(self, value: bytes) -> bytes:
        if self.protocol >= 3:
            if len(value) < 256:
                return b"C" + bytes([len(value)]) + value
            return b"B" + struct.pack("<I", len(value)) + value
        # What CPython does for bytes below protocol 3.
        return self.encode(Call(Global("_codecs", "encode"), (value.decode("latin1"), "latin1")))

    def _tuple(self, items: tuple[object, ...]) -> bytes:
        body = b"".join(self.encode(item) for item in items)
        if self.protocol >= 2 and len(items) <= 3:
            return body + (b")", b"\x85", b"\x86", b"\x87")[len(items)]
        if self.protocol >= 1 and not items:
            return b")"
        return MARK + body + b"t"

    def _list(self, items: list[object]) -> bytes:
        body = b"".join(self.encode(item) for item in items)
        if self.protocol == 0:
            return MARK + body + b"l"
        return b"]" + (MARK + body + b"e" if items else b"")

    def _dict(self, items: dict[object, object]) -> bytes:
        body = b"".join(self.encode(k) + self.encode(v) for k, v in items.items())
        if self.protocol == 0:
            return MARK + body + b"d"
        return b"}" + (MARK + body + b"u" if items else b"")


def dumps(value: object, protocol: int = 4, *, frame: bool = True) -> bytes:
    """A complete pickle (PROTO header, optional FRAME, STOP)."""
    body = Encoder(protocol).encode(value) + STOP
    if protocol >= 4 and frame:
        body = FRAME + struct.pack("<Q", len(body)) + body
    if protocol >= 2:
        body = PROTO + bytes([protocol]) + body
    return body


def text(value: str, protocol: int = 4) -> bytes:
    """Opcodes pushing one string."""
    return Encoder(protocol).text(value)
