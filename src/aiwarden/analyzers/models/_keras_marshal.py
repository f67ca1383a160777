"""Read the names and strings out of marshalled Python bytecode, without unmarshalling it.

Keras stores a Lambda's function as ``marshal.dumps(func.__code__)``. This module walks
the marshal format with its own bounded parser (never ``marshal.loads``) and collects
the strings a code object carries: ``co_names`` (globals and attributes it uses, such
as ``os`` and ``system``) and string constants (such as a shell command). The code
object's field layout is tried for Python 3.7, 3.8-3.10 and 3.11+. If the structure
cannot be parsed, a byte-level scan for marshal short strings is used instead.
"""

from __future__ import annotations

import re
import struct

_MAX_DEPTH = 48
_MAX_OBJECTS = 200_000
_MAX_SHOWN = 40
_FLAG_REF = 0x80
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_.]{0,79}")

SUSPICIOUS_NAMES = frozenset(
    {
        "os",
        "posix",
        "nt",
        "sys",
        "subprocess",
        "system",
        "popen",
        "Popen",
        "spawn",
        "execv",
        "execve",
        "check_output",
        "check_call",
        "exec",
        "eval",
        "compile",
        "__import__",
        "import_module",
        "importlib",
        "builtins",
        "__builtins__",
        "__globals__",
        "__subclasses__",
        "getattr",
        "globals",
        "open",
        "socket",
        "urllib",
        "urlopen",
        "requests",
        "http",
        "marshal",
        "pickle",
        "loads",
        "shutil",
        "rmtree",
        "ctypes",
        "pty",
        "runpy",
        "webbrowser",
        "environ",
        "getenv",
        "remove",
        "unlink",
        "b64decode",
        "codecs",
    }
)


class MarshalError(Exception):
    """The bytes are not a marshal stream this parser understands."""


class _Exhausted(Exception):
    """The object budget ran out (not retried with another layout)."""


class _Code:
    """A parsed code object (its contents were collected into the summary).

    A bare marker class: nothing compares or hashes it, so it needs no dataclass.
    """

    __slots__ = ()


class BytecodeSummary:
    """What could be read from the marshal data of one function.

    A plain class: a dataclass costs half a millisecond to create at import.
    """

    __slots__ = ("names", "size", "strings", "structured")

    def __init__(
        self,
        *,
        names: list[str] | None = None,
        strings: list[str] | None = None,
        structured: bool = True,
        size: int = 0,
    ) -> None:
        self.names = [] if names is None else names
        self.strings = [] if strings is None else strings
        self.structured = structured
        self.size = size

    @property
    def suspicious(self) -> list[str]:
        """The collected names that point at code execution or system access."""
        found = [n for n in self.names + self.strings if n in SUSPICIOUS_NAMES]
        return list(dict.fromkeys(found))

    def describe(self) -> str:
        """A short evidence text: suspicious names first, then all names and strings."""
        parts = []
        if self.suspicious:
            parts.append("suspicious: " + ", ".join(self.suspicious))
        if self.names:
            parts.append("names: " + ", ".join(self.names[:_MAX_SHOWN]))
        if self.strings:
            shown = ", ".join(repr(s[:120]) for s in self.strings[:_MAX_SHOWN])
            parts.append("strings: " + shown)
        how = "" if self.structured else " (byte scan; structure not parsed)"
        body = "; ".join(parts) if parts else "no names found"
        return f"{self.size} bytes of marshal data{how}; {body}"


def looks_like_code(data: bytes) -> bool:
    """True if ``data`` starts like a marshalled code object."""
    return len(data) >= 16 and data[0] & ~_FLAG_REF == ord("c")


def summarize(data: bytes) -> BytecodeSummary:
    """Collect names and strings from marshalled bytecode; never raises on bad input."""
    reader = _Reader(data)
    try:
        reader.read_object(0)
    except (MarshalError, _Exhausted, struct.error, IndexError, RecursionError):
        return _scan_bytes(data)
    return BytecodeSummary(
        names=list(dict.fromkeys(reader.names)),
        strings=list(dict.fromkeys(reader.strings)),
        size=len(data),
    )


def _scan_bytes(data: bytes) -> BytecodeSummary:
    """Fallback: every marshal short-ASCII string record that holds an identifier."""
    names: list[str] = []
    for pos, byte in enumerate(data[:-1]):
        if byte & ~_FLAG_REF not in (ord("z"), ord("Z")):
            continue
        length = data[pos + 1]
        chunk = data[pos + 2 : pos + 2 + length]
        if length and len(chunk) == length and _IDENT.fullmatch(chunk):
            names.append(chunk.decode("ascii"))
    return BytecodeSummary(names=list(dict.fromkeys(names)), structured=False, size=len(data))


class _Reader:
    """A bounded recursive reader of the marshal format (versions 2-5)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.refs: list[object] = []
        self.names: list[str] = []
        self.strings: list[str] = []
        self.count = 0

    def _take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise MarshalError(f"truncated at {self.pos}")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def _int(self) -> int:
        value: int = struct.unpack("<i", self._take(4))[0]
        return value

    def read_object(self, depth: int) -> object:
        """Read one object; strings are returned, containers as tuples, others as None."""
        self.count += 1
        if self.count > _MAX_OBJECTS:
            raise _Exhausted
        if depth > _MAX_DEPTH:
            raise MarshalError("nesting too deep")
        code = self._take(1)[0]
        kind = chr(code & ~_FLAG_REF)
        slot = -1
        if code & _FLAG_REF:
            slot = len(self.refs)
            self.refs.append(None)
        value = self._dispatch(kind, depth)
        if slot >= 0:
            self.refs[slot] = value
        return value

    def _dispatch(self, kind: str, depth: int) -> object:
        if kind in "0NFTS.":
            return None
        if kind in "iIfgxyl":
            self._skip_number(kind)
            return None
        if kind in "stuaAzZ":
            return self._string(kind)
        if kind in "()[<>":
            count = self._take(1)[0] if kind == ")" else self._int()
            return tuple(self._items(count, depth))
        if kind == "{":
            return self._dict(depth)
        if kind == "r":
            index = self._int()
            if not 0 <= index < len(self.refs):
                raise MarshalError("bad reference")
            return self.refs[index]
        if kind == "c":
            return self._code(depth)
        raise MarshalError(f"unknown type {kind!r}")

    def _skip_number(self, kind: str) -> None:
        if kind == "i":
            self._take(4)
        elif kind in "Ig":
            self._take(8)
        elif kind == "y":
            self._take(16)
        elif kind == "f":
            self._take(self._take(1)[0])
        elif kind == "x":
            self._take(self._take(1)[0])
            self._take(self._take(1)[0])
        else:  # "l": signed digit count, 2 bytes per digit
            self._take(abs(self._int()) * 2)

    def _string(self, kind: str) -> object:
        length = self._take(1)[0] if kind in "zZ" else self._int()
        raw = self._take(length)
        if kind == "s":
            return raw
        return raw.decode("utf-8", errors="replace")

    def _items(self, count: int, depth: int) -> list[object]:
        if count < 0 or count > len(self.data):
            raise MarshalError("bad container size")
        return [self.read_object(depth + 1) for _ in range(count)]

    def _dict(self, depth: int) -> object:
        while self.data[self.pos : self.pos + 1] not in (b"0", b""):
            self.read_object(depth + 1)
            self.read_object(depth + 1)
        self._take(1)
        return None

    def _code(self, depth: int) -> object:
        start, refs, names, strings = self.pos, len(self.refs), len(self.names), len(self.strings)
        for header_ints in (6, 5):
            try:
                return self._code_layout(header_ints, depth)
            except MarshalError:
                self.pos = start
                del self.refs[refs:], self.names[names:], self.strings[strings:]
        raise MarshalError("unknown code object layout")

    def _code_layout(self, header_ints: int, depth: int) -> object:
        marker = self.data[self.pos + 4 * header_ints : self.pos + 4 * header_ints + 1]
        if marker not in (b"s", bytes([ord("s") | _FLAG_REF])):
            raise MarshalError("no bytecode string where expected")
        self._take(4 * header_ints)
        fields = [self.read_object(depth + 1) for _ in range(8)]
        self._int()  # co_firstlineno
        self.read_object(depth + 1)  # lnotab / linetable
        if header_ints == 5 and isinstance(fields[4], bytes):  # 3.11+: localspluskinds
            self.read_object(depth + 1)  # exceptiontable
        self._collect(fields[1], fields[2])
        return _Code()

    def _collect(self, consts: object, names: object) -> None:
        if isinstance(names, tuple):
            self.names.extend(n for n in names if isinstance(n, str))
        if isinstance(consts, tuple):
            self.strings.extend(c for c in consts if isinstance(c, str))
