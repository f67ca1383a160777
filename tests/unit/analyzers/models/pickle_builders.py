"""Build pickle bytes opcode by opcode, for tests. Nothing here ever unpickles."""

from __future__ import annotations

import struct


def proto(n: int) -> bytes:
    """PROTO n."""
    return b"\x80" + bytes([n])


def frame(body: bytes) -> bytes:
    """FRAME wrapping ``body`` (protocol 4+)."""
    return b"\x95" + struct.pack("<Q", len(body)) + body


def sbu(text: str) -> bytes:
    """SHORT_BINUNICODE."""
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


def binunicode(text: str) -> bytes:
    """BINUNICODE (4-byte length)."""
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def global_(module: str, name: str) -> bytes:
    """GLOBAL 'module name' (protocols 0-3)."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def binput(index: int) -> bytes:
    """BINPUT index."""
    return b"q" + bytes([index])


def binget(index: int) -> bytes:
    """BINGET index."""
    return b"h" + bytes([index])


def binint1(value: int) -> bytes:
    """BININT1."""
    return b"K" + bytes([value])


MEMOIZE = b"\x94"
STACK_GLOBAL = b"\x93"
MARK = b"("
TUPLE = b"t"
TUPLE1 = b"\x85"
TUPLE2 = b"\x86"
EMPTY_TUPLE = b")"
REDUCE = b"R"
SETITEM = b"s"
BINPERSID = b"Q"
NEWFALSE = b"\x89"
POP = b"0"
STOP = b"."


def call_with_string(callable_bytes: bytes, argument: str) -> bytes:
    """``callable(argument)`` given the opcodes that push the callable."""
    return callable_bytes + sbu(argument) + TUPLE1 + REDUCE


def os_system_protocol0(command: str = "echo hi") -> bytes:
    """The classic protocol-0 payload: ``os.system(command)``."""
    return b"cos\nsystem\n(S'" + command.encode() + b"'\ntR."


def rebuilt_tensor() -> bytes:
    """Opcodes that push a 2x2 float tensor the way ``torch.save`` writes one:
    ``torch._utils._rebuild_tensor_v2`` over the persistent-id storage
    ``('storage', torch.FloatStorage, '0', 'cpu', 4)``."""
    storage = (
        MARK
        + binunicode("storage")
        + global_("torch", "FloatStorage")
        + binunicode("0")
        + binunicode("cpu")
        + binint1(4)
        + TUPLE
        + BINPERSID
    )
    size_and_stride = binint1(2) + binint1(2) + TUPLE2 + binint1(2) + binint1(1) + TUPLE2
    hooks = global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE
    return (
        global_("torch._utils", "_rebuild_tensor_v2")
        + MARK
        + storage
        + binint1(0)
        + size_and_stride
        + NEWFALSE
        + hooks
        + TUPLE
        + REDUCE
    )


def state_dict_pickle() -> bytes:
    """A protocol-2 pickle shaped like ``torch.save({'weight': tensor})`` writes it."""
    ordered_dict = global_("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE
    return proto(2) + ordered_dict + binunicode("weight") + rebuilt_tensor() + SETITEM + STOP


def call(callable_bytes: bytes, *args: bytes) -> bytes:
    """``callable(*args)`` given the opcodes that push the callable and each argument."""
    return callable_bytes + MARK + b"".join(args) + TUPLE + REDUCE


def binbytes(data: bytes) -> bytes:
    """BINBYTES (protocol 3+)."""
    return b"B" + struct.pack("<I", len(data)) + data


def stack_global(module: str, name: str) -> bytes:
    """Protocol-4 STACK_GLOBAL import of ``module.name``."""
    return sbu(module) + sbu(name) + STACK_GLOBAL


def payload(module: str = "os", name: str = "system", argument: str = "id", p: int = 2) -> bytes:
    """A complete pickle that calls ``module.name(argument)``."""
    return proto(p) + call_with_string(global_(module, name), argument) + STOP
