"""Evaluate, on constants only, the few pure functions that payloads use to hide themselves.

A payload can build an import name with ``str.join``, reach ``os.system`` through
``getattr(__import__('os'), 'system')``, or hide a second pickle behind base64 and zlib.
The emulator asks :func:`evaluate` for the result of such calls; it never imports or
calls what the pickle names, it re-implements each function on bytes and strings,
bounded by the caller's output limit. Anything else evaluates to ``None`` (unknown).
"""

from __future__ import annotations

import base64
import binascii
import bz2
import lzma
import zlib
from collections.abc import Callable
from typing import Final

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models._pickle_values import Call, Ref, SList, Value, resolve

_Decoder = Callable[[bytes], bytes]

_B64: Final[dict[str, _Decoder]] = {
    "b64decode": lambda b: base64.b64decode(b),
    "standard_b64decode": lambda b: base64.standard_b64decode(b),
    "urlsafe_b64decode": lambda b: base64.urlsafe_b64decode(b),
    "decodebytes": lambda b: base64.decodebytes(b),
    "b32decode": lambda b: base64.b32decode(b),
    "b16decode": lambda b: base64.b16decode(b, casefold=True),
    "b85decode": lambda b: base64.b85decode(b),
    "a85decode": lambda b: base64.a85decode(b),
}
_BINASCII: Final[dict[str, _Decoder]] = {
    "a2b_base64": lambda b: binascii.a2b_base64(b),
    "a2b_hex": lambda b: binascii.a2b_hex(b),
    "unhexlify": lambda b: binascii.unhexlify(b),
}
_CODEC_DECODERS: Final[dict[str, str]] = {
    "base64": "b64",
    "base64_codec": "b64",
    "base_64": "b64",
    "hex": "hex",
    "hex_codec": "hex",
    "zlib": "zlib",
    "zlib_codec": "zlib",
    "zip": "zlib",
    "bz2": "bz2",
    "bz2_codec": "bz2",
}
_DECOMPRESSORS: Final = frozenset(
    {"zlib.decompress", "bz2.decompress", "lzma.decompress", "gzip.decompress"}
)
_BYTES_IO: Final = frozenset({"io.BytesIO", "_io.BytesIO"})
_IMPORTERS: Final = frozenset({"builtins.__import__", "importlib.import_module"})
_RESOLVERS: Final = frozenset({"pkgutil.resolve_name", "pydoc.locate", "pydoc.locate.__call__"})
_JOINS: Final = frozenset({"builtins.str.join", "str.join", "builtins.bytes.join"})
_ADDS: Final = frozenset(
    {"operator.add", "operator.concat", "_operator.add", "_operator.concat", "builtins.str.__add__"}
)

LOADS_LIKE: Final = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "pickle._loads",
        "pickle._load",
        "_pickle.loads",
        "_pickle.load",
        "dill.loads",
        "dill.load",
        "dill._dill.loads",
        "dill._dill.load",
        "cloudpickle.loads",
        "cloudpickle.load",
        "joblib.load",
        "numpy.load",
        "torch.load",
        "torch.serialization.load",
        "torch.storage._load_from_bytes",
        "pandas.read_pickle",
    }
)
"""Callables that deserialise a pickle given as bytes or a file object."""


def as_bytes(value: Value) -> bytes | None:
    """``value`` as bytes when it is (or evaluates to) a byte or latin-1 string constant."""
    value = resolve(value)
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        try:
            return value.encode("latin-1")
        except UnicodeEncodeError:
            return value.encode("utf-8")
    return None


def _text(value: Value) -> str | None:
    value = resolve(value)
    return value if isinstance(value, str) else None


def _args(call: Call) -> tuple[Value, ...]:
    args = resolve(call.args)
    return args if isinstance(args, tuple) else ()


def _bounded_decompress(kind: str, data: bytes, limit: int) -> bytes:
    """Decompress at most ``limit`` bytes; raise :class:`LimitExceeded` beyond."""
    if kind == "zlib.decompress":
        obj: zlib._Decompress | bz2.BZ2Decompressor | lzma.LZMADecompressor
        out = zlib.decompressobj().decompress(data, limit + 1)
    elif kind == "gzip.decompress":
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, limit + 1)
    else:
        obj = bz2.BZ2Decompressor() if kind == "bz2.decompress" else lzma.LZMADecompressor()
        out = obj.decompress(data, max_length=limit + 1)
    if len(out) > limit:
        raise LimitExceeded("max_decompressed_bytes", limit, f"{kind} inside a pickle")
    return out


def _decode(dotted: str, args: tuple[Value, ...], limit: int) -> Value:
    module, _, name = dotted.rpartition(".")
    data = as_bytes(args[0]) if args else None
    if data is None:
        return None
    try:
        if module == "base64" and name in _B64:
            return _B64[name](data)
        if module == "binascii" and name in _BINASCII:
            return _BINASCII[name](data)
        if dotted in _DECOMPRESSORS:
            return _bounded_decompress(dotted, data, limit)
        if dotted in ("codecs.decode", "_codecs.decode") and len(args) > 1:
            return _codec_decode(data, _text(args[1]) or "", limit)
        if dotted in ("_codecs.encode", "codecs.encode") and isinstance(resolve(args[0]), str):
            return data
        if dotted in ("builtins.bytes.fromhex", "builtins.bytearray.fromhex"):
            return bytes.fromhex(data.decode("latin-1"))
        if dotted in ("builtins.bytes", "builtins.bytearray") and isinstance(resolve(args[0]), str):
            return data
    except (ValueError, TypeError, binascii.Error, OSError, EOFError, zlib.error, lzma.LZMAError):
        return None
    return None


def _codec_decode(data: bytes, encoding: str, limit: int) -> Value:
    kind = _CODEC_DECODERS.get(encoding.lower().replace("-", "_"))
    if kind == "b64":
        return base64.b64decode(data)
    if kind == "hex":
        return binascii.unhexlify(data)
    if kind == "zlib":
        return _bounded_decompress("zlib.decompress", data, limit)
    if kind == "bz2":
        return _bounded_decompress("bz2.decompress", data, limit)
    return None


def _join(args: tuple[Value, ...]) -> Value:
    if len(args) != 2:
        return None
    sep, seq = resolve(args[0]), resolve(args[1])
    items = seq.items if isinstance(seq, SList) and not seq.dropped else seq
    if not isinstance(items, list | tuple) or not isinstance(sep, str | bytes):
        return None
    parts = [resolve(item) for item in items]
    if isinstance(sep, str) and all(isinstance(p, str) for p in parts):
        return sep.join(p for p in parts if isinstance(p, str))
    if isinstance(sep, bytes) and all(isinstance(p, bytes) for p in parts):
        return sep.join(p for p in parts if isinstance(p, bytes))
    return None


def _add(args: tuple[Value, ...]) -> Value:
    if len(args) != 2:
        return None
    left, right = resolve(args[0]), resolve(args[1])
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, bytes) and isinstance(right, bytes):
        return left + right
    return None


def _derive(dotted: str, args: tuple[Value, ...], call: Call) -> Value:
    """``getattr``/``__import__``/``resolve_name`` on constants: the reference they reach."""
    if dotted in _IMPORTERS and args and (module := _text(args[0])) is not None:
        return Ref(module, None, call.opcode, call.offset, via=dotted, is_module=True)
    if dotted in _RESOLVERS and args and (path := _text(args[0])) is not None:
        module, sep, name = path.partition(":")
        if not sep:
            module, _, name = path.rpartition(".")
        return Ref(module or None, name or None, call.opcode, call.offset, via=dotted)
    if dotted == "builtins.getattr" and len(args) >= 2:
        return getattr_ref(resolve(args[0]), _text(args[1]), call, dotted)
    return None


def getattr_ref(target: Value, attr: str | None, call: Call, via: str) -> Value:
    """The reference ``getattr(target, attr)`` reaches when ``target`` is a reference."""
    if not isinstance(target, Ref) or attr is None:
        return None
    if target.is_module:
        return Ref(target.module, attr, call.opcode, call.offset, via=via)
    name = f"{target.name}.{attr}" if target.name is not None else None
    return Ref(target.module, name, call.opcode, call.offset, via=via)


_EVALUATED: Final = frozenset(
    {
        *_JOINS,
        *_ADDS,
        *_BYTES_IO,
        *_IMPORTERS,
        *_RESOLVERS,
        "builtins.getattr",
        *(f"base64.{name}" for name in _B64),
        *(f"binascii.{name}" for name in _BINASCII),
        *_DECOMPRESSORS,
        "codecs.decode",
        "_codecs.decode",
        "codecs.encode",
        "_codecs.encode",
        "builtins.bytes.fromhex",
        "builtins.bytearray.fromhex",
        "builtins.bytes",
        "builtins.bytearray",
    }
)
"""Every dotted name :func:`evaluate` models: any other resolved callable evaluates to None."""


def evaluate(call: Call, limit: int) -> Value:
    """The result of ``call`` when it is a modelled pure function on constants, else None."""
    func = resolve(call.func)
    if isinstance(func, Call) and isinstance(func.func, Ref):
        # operator.attrgetter('system')(module) reaches module.system.
        inner = func.func.dotted
        args = _args(call)
        if inner in ("operator.attrgetter", "_operator.attrgetter") and args:
            getter_args = _args(func)
            attr = _text(getter_args[0]) if getter_args else None
            return getattr_ref(resolve(args[0]), attr, call, inner)
        return None
    if not isinstance(func, Ref) or not func.resolved:
        return None
    dotted = func.dotted
    if dotted not in _EVALUATED:
        return None  # not modelled (a class, a tensor rebuild ...): the common case
    args = _args(call)
    if dotted in _JOINS:
        return _join(args)
    if dotted in _ADDS:
        return _add(args)
    if dotted in _BYTES_IO:
        return as_bytes(args[0]) if args else b""
    derived = _derive(dotted, args, call)
    if derived is not None:
        return derived
    return _decode(dotted, args, limit)
