"""A small, bounded reader for the protobuf wire format.

It decodes only the wire format (varint, 64-bit, length-delimited, 32-bit fields;
groups are rejected) over a read-only buffer, normally a memory map of the file, and
never copies a length-delimited payload unless asked to: a multi-GB ONNX initializer
is skipped by moving an offset. Callers walk only the fields they need, by number,
taken from the official ``.proto`` files.

Every error (truncated data, a length past the end of its enclosing message, an
unknown wire type, an over-long varint, a field number of 0) raises
:class:`ProtobufError` with the byte offset, so callers can fail closed. A budget on
the number of fields visited bounds the work on hostile input.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, NamedTuple, Protocol, TypeVar

from aiwarden.analyzers.interface import Artifact, LimitExceeded
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.rule import Rule

VARINT = 0
I64 = 1
LEN = 2
START_GROUP = 3
END_GROUP = 4
I32 = 5

MAX_FIELD_NUMBER = (1 << 29) - 1
_MAX_VARINT_BYTES = 10
_MASK64 = (1 << 64) - 1

DEFAULT_MAX_FIELDS = 20_000_000
"""How many fields one walk may visit before it stops with :class:`LimitExceeded`."""

Buffer = bytes | mmap.mmap
"""What a :class:`Walker` reads: indexing gives an int, slicing gives bytes."""


class ProtobufError(Exception):
    """The bytes are not valid protobuf wire format at ``offset``."""

    def __init__(self, message: str, offset: int) -> None:
        self.message = message
        self.offset = offset
        super().__init__(f"{message} at byte {offset}")


class Field(NamedTuple):
    """One decoded field.

    ``offset`` is where its tag starts. For ``LEN`` fields ``start``/``end`` delimit
    the payload and ``value`` is its length; for the other wire types ``value`` is the
    decoded integer (fixed-width fields little-endian, unsigned) and ``start``/``end``
    delimit its encoded bytes.
    """

    number: int
    wire: int
    value: int
    offset: int
    start: int
    end: int


class Walker:
    """Decodes fields from ``buf`` within explicit bounds, counting what it visits.

    With ``salvage`` a length-delimited field that runs past its enclosing message is
    cut at that message's end instead of raising, and the first such error is kept in
    :attr:`truncation` for the caller to report: the part of a truncated file that is
    there still gets checked. Every other error raises at once.
    """

    def __init__(
        self, buf: Buffer, *, max_fields: int = DEFAULT_MAX_FIELDS, salvage: bool = False
    ) -> None:
        self.buf = buf
        self.size = len(buf)
        self.max_fields = max_fields
        self.visited = 0
        self.salvage = salvage
        self.truncation: ProtobufError | None = None

    def fields(self, start: int, end: int) -> Iterator[Field]:
        """Yield each field of the message spanning ``[start, end)``; raise on bad bytes."""
        if not 0 <= start <= end <= self.size:
            raise ProtobufError("message bounds outside the buffer", start)
        pos = start
        while pos < end:
            field = self._field(pos, end)
            self.visited += 1
            if self.visited > self.max_fields:
                raise LimitExceeded("protobuf_fields", self.max_fields, "too many protobuf fields")
            yield field
            pos = field.end

    def _field(self, pos: int, end: int) -> Field:
        key = self.buf[pos]
        if key < 0x80:  # fast path: one-byte tag (field numbers 1..15)
            body = pos + 1
        else:
            key, body = self.varint(pos, end)
        number, wire = key >> 3, key & 7
        if number == 0 or number > MAX_FIELD_NUMBER:
            raise ProtobufError(f"invalid field number {number}", pos)
        if wire == VARINT:
            value, after = self.varint(body, end)
            return Field(number, wire, value, pos, body, after)
        if wire == LEN:
            if body < end and self.buf[body] < 0x80:
                length, payload = self.buf[body], body + 1
            else:
                length, payload = self.varint(body, end)
            if length > end - payload:
                error = ProtobufError(f"field {number} length {length} runs past its message", pos)
                if not self.salvage:
                    raise error
                # Keep walking what is there, so that findings before the cut are reported;
                # the caller reports ``truncation`` once the walk ends.
                self.truncation = self.truncation or error
                length = end - payload
            return Field(number, wire, length, pos, payload, payload + length)
        if wire in (I64, I32):
            width = 8 if wire == I64 else 4
            if body + width > end:
                raise ProtobufError(f"truncated fixed-width field {number}", pos)
            value = int.from_bytes(self.buf[body : body + width], "little")
            return Field(number, wire, value, pos, body, body + width)
        if wire in (START_GROUP, END_GROUP):
            raise ProtobufError(f"group wire type in field {number} is not supported", pos)
        raise ProtobufError(f"unknown wire type {wire} in field {number}", pos)

    def varint(self, pos: int, end: int) -> tuple[int, int]:
        """Decode the varint at ``pos`` (before ``end``); return it and the next offset."""
        buf = self.buf
        value, shift = 0, 0
        for index in range(pos, min(end, pos + _MAX_VARINT_BYTES)):
            byte = buf[index]
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value & _MASK64, index + 1
            shift += 7
        if end - pos < _MAX_VARINT_BYTES:
            raise ProtobufError("truncated varint", pos)
        raise ProtobufError("varint longer than 10 bytes", pos)

    def data(self, field: Field, limit: int) -> bytes:
        """Up to ``limit`` bytes of a ``LEN`` field's payload (a copy of that prefix only)."""
        return bytes(self.buf[field.start : min(field.end, field.start + limit)])

    def text(self, field: Field, limit: int = 4096) -> str:
        """A ``LEN`` field decoded as UTF-8 (invalid bytes replaced), cut at ``limit`` bytes."""
        return self.data(field, limit).decode("utf-8", errors="replace")


def top_level(walker: Walker) -> list[Field]:
    """The top-level fields of the whole buffer (payloads skipped, not read)."""
    return list(walker.fields(0, walker.size))


@contextmanager
def mapped(path: Path) -> Iterator[Buffer]:
    """The file at ``path`` as a read-only memory map (``b""`` for an empty file)."""
    with path.open("rb") as handle:
        try:
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            yield b""
            return
        try:
            yield mapping
        finally:
            mapping.close()


class FileScan(Protocol):
    """A scan of one protobuf file that walks it in :meth:`run`."""

    def run(self) -> None:
        """Walk the file, recording what was found."""


S = TypeVar("S", bound=FileScan)


class ScanOutcome(NamedTuple, Generic[S]):
    """A finished scan, how it stopped early if it did, and the limit it hit if any.

    A named tuple (a tenth of a dataclass's cost to create at import): it is only
    built and read.
    """

    scan: S
    error: ProtobufError | None
    limit: LimitExceeded | None


def scan_file(path: Path, make_scan: Callable[[Walker], S]) -> ScanOutcome[S]:
    """Map ``path`` and run the scan that ``make_scan`` builds over it, salvaging a
    truncated file: what was read before a parse error or a limit is kept."""
    error: ProtobufError | None = None
    limit: LimitExceeded | None = None
    with mapped(path) as buf:
        walker = Walker(buf, salvage=True)
        scan = make_scan(walker)
        try:
            scan.run()
        except ProtobufError as exc:
            error = exc
        except LimitExceeded as exc:
            limit = exc
        error = walker.truncation or error
    return ScanOutcome(scan, error, limit)


def parse_failure(
    rule: Rule, artifact: Artifact, error: ProtobufError, what: str, key: str
) -> Finding:
    """The fail-closed finding for a protobuf file (``what``) that stopped parsing."""
    return make_finding(
        rule,
        artifact.location(offset=error.offset),
        f"{what} could not be parsed: {error.message} at byte {error.offset}; the rest "
        "of the file was not checked.",
        evidence=error.message,
        fingerprint_key=f"{key}:{error.message}",
    )


def looks_like_onnx(fields: list[Field]) -> bool:
    """True if top-level ``fields`` have the shape of an ONNX ``ModelProto``.

    ``ModelProto`` has ``ir_version = 1`` (varint) and ``graph = 7`` (message); a
    TensorFlow ``SavedModel`` only has fields 1 and 2 and a ``GraphDef`` has no 7.
    """
    numbers = {(f.number, f.wire) for f in fields}
    return (7, LEN) in numbers and (1, VARINT) in numbers


def path_looks_like_onnx(path: Path) -> bool:
    """True if the file at ``path`` parses at the top level as an ONNX ``ModelProto``."""
    try:
        with mapped(path) as buf:
            return looks_like_onnx(top_level(Walker(buf, max_fields=100_000)))
    except (OSError, ProtobufError, LimitExceeded):
        return False
