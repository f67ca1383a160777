"""A bounded, file-like reader that ``pickletools.genops`` can parse from.

It counts every byte handed to the parser against the artifact's budgets
(:class:`Budget`), never buffers more than the remaining allowance, turns errors of
the underlying source (a corrupt zip member, a broken compressed stream) into
:class:`ContainerError`, and supports a *speculative window*: while one is open, a
read past it raises :class:`SpeculationAbandoned` instead of a limit.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from typing import Protocol

from aiwarden.analyzers.interface import LimitExceeded, Limits

CHUNK = 64 * 1024


class Source(Protocol):
    """Anything with a ``read(n)`` that returns at most ``n`` bytes."""

    def read(self, size: int = -1, /) -> bytes:
        """Read up to ``size`` bytes."""
        ...


class ContainerError(Exception):
    """The source under the reader failed (corrupt member, broken compressed stream)."""


class SpeculationAbandoned(Exception):
    """A speculative parse needed more bytes than its window allows."""


# Errors the stdlib decompressors and zip reader raise on corrupt input.
_SOURCE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
)


class Budget:
    """What is left of one artifact's read and decompression limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.read_left = limits.max_read_bytes
        self.decompressed_left = limits.max_decompressed_bytes

    def allowance(self, *, decompressed: bool) -> tuple[int, str]:
        """The bytes still allowed, and the name of the limit that bounds them."""
        if decompressed and self.decompressed_left < self.read_left:
            return self.decompressed_left, "max_decompressed_bytes"
        return self.read_left, "max_read_bytes"

    def charge(self, size: int, *, decompressed: bool) -> None:
        """Count ``size`` bytes handed to the parser."""
        self.read_left -= size
        if decompressed:
            self.decompressed_left -= size

    def exceeded(self, name: str, what: str) -> LimitExceeded:
        """The exception for limit ``name``."""
        value = getattr(self.limits, name)
        return LimitExceeded(name, value, what)


class BoundedReader:
    """``read``/``readline``/``tell``/``peek`` over a :class:`Source`, within budgets.

    The pickle decoder (:mod:`._pickle_decode`) also decodes opcodes in place from
    ``_data[_off:]``, within ``_fast``, and advances ``_off``, ``_pos``, ``_fast`` and
    the budget exactly as the fast path of :meth:`read` does.
    """

    def __init__(
        self,
        source: Source,
        budget: Budget,
        *,
        decompressed: bool,
        offset: int = 0,
        label: str = "",
    ) -> None:
        self._source = source
        self._budget = budget
        self._decompressed = decompressed
        self._pos = offset
        self._data = b""  # buffered bytes; those before ``_off`` were handed out already
        self._off = 0
        self._eof = False
        self._window_end: int | None = None
        self._fast = 0  # bytes that may still be taken without re-checking the limits
        self.label = label

    def tell(self) -> int:
        """Offset of the next byte, in the file, member or decompressed stream."""
        return self._pos

    def open_window(self, size: int) -> None:
        """Start a speculative parse that may consume at most ``size`` more bytes."""
        self._window_end = self._pos + size
        self._fast = 0

    def close_window(self) -> None:
        """Commit: the parse is a real pickle, so only the budgets bound it now."""
        if self._window_end is not None:
            self._window_end = None
            self._fast = 0

    def peek(self, size: int) -> bytes:
        """Up to ``size`` bytes ahead, without consuming or charging them."""
        self._fill(size, chunk=1)
        return self._data[self._off : self._off + size]

    def at_eof(self) -> bool:
        """True when no byte is left."""
        return not self.peek(1)

    def read(self, size: int = -1, /) -> bytes:
        """Read ``size`` bytes (fewer only at the end of the source)."""
        start = self._off
        end = start + size
        if 0 <= size <= self._fast and end <= len(self._data):
            # Fast path (the parser reads an opcode or argument at a time): already
            # buffered and inside the allowance computed by the last checked read.
            self._off = end
            self._pos += size
            self._fast -= size
            self._budget.read_left -= size
            if self._decompressed:
                self._budget.decompressed_left -= size
            return self._data[start:end]
        return self._read_checked(size)

    def _read_checked(self, size: int) -> bytes:
        if size < 0:
            raise ValueError("unbounded read refused")
        allowed, limit = self._allowance()
        self._fill(min(size, allowed + 1))
        if size > allowed and self._buffered() > allowed:
            raise self._over(limit)
        data = self._take(min(size, self._buffered()))
        self._fast = max(0, allowed - len(data))
        return data

    def readline(self, size: int = -1, /) -> bytes:
        """Read through the next newline, or to the end of the source."""
        self._fast = 0
        allowed, limit = self._allowance()
        start = 0
        while True:
            index = self._data.find(b"\n", self._off + start)
            if index >= 0:
                end = index + 1 - self._off
                break
            if self._eof or self._buffered() > allowed:
                end = self._buffered()
                break
            start = self._buffered()
            self._fill(self._buffered() + CHUNK)
        if end > allowed:
            raise self._over(limit)
        data = self._take(end)
        self._fast = allowed - end  # what is left of the allowance, as read() leaves it
        return data

    def skip(self, size: int) -> int:
        """Consume ``size`` bytes that the parser must not see; return how many there were.

        A raw file is skipped by seeking (so a large joblib array costs nothing); a
        decompressed source is read through, within the decompression budget.
        """
        fast, self._fast = self._fast, 0
        taken = min(size, self._buffered())
        self._off += taken  # taken as _take() takes them, without copying them out
        self._pos += taken
        self._budget.charge(taken, decompressed=self._decompressed)
        left = size - taken
        if not left and 0 <= size <= fast:
            # Buffered and allowed: taken (and charged) as read() takes them, so the
            # allowance left for the fast path is what read() would leave.
            self._fast = fast - size
            return size
        seek = getattr(self._source, "seek", None)
        if left and not self._decompressed and seek is not None:
            try:
                here = self._source_tell()
                end: int = seek(0, 2)
                target = min(here + left, end)
                seek(target)
            except (OSError, ValueError) as exc:
                raise ContainerError(f"{type(exc).__name__}: {exc}") from exc
            self._pos += target - here
            return taken + target - here
        while left:
            data = self.read(min(left, 16 * CHUNK))
            if not data:
                break
            left -= len(data)
        return size - left

    def _source_tell(self) -> int:
        tell = getattr(self._source, "tell", None)
        if tell is None:
            raise OSError("source cannot tell its position")
        position: int = tell()
        return position

    def _allowance(self) -> tuple[int, str]:
        allowed, limit = self._budget.allowance(decompressed=self._decompressed)
        if self._window_end is not None and self._window_end - self._pos < allowed:
            return self._window_end - self._pos, "window"
        return allowed, limit

    def _over(self, limit: str) -> Exception:
        if limit == "window":
            return SpeculationAbandoned(f"speculative window ended at {self._window_end}")
        return self._budget.exceeded(limit, f"{self.label} at offset {self._pos}")

    def _fill(self, size: int, *, chunk: int = CHUNK) -> None:
        """Buffer at least ``size`` bytes (reading ``chunk`` at least) unless the source ends."""
        have = self._buffered()
        if have >= size or self._eof:
            return
        parts = [self._data[self._off :]]  # joined once: no quadratic copying
        try:
            while have < size and not self._eof:
                data = self._source.read(max(size - have, chunk))
                self._eof = not data
                parts.append(data)
                have += len(data)
        except _SOURCE_ERRORS as exc:
            raise ContainerError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self._data, self._off = b"".join(parts), 0

    def _buffered(self) -> int:
        return len(self._data) - self._off

    def _take(self, size: int) -> bytes:
        data = self._data[self._off : self._off + size]
        self._off += size
        self._pos += size
        self._budget.charge(size, decompressed=self._decompressed)
        return data


class ZlibSource:
    """Incremental zlib decompression with bounded output per read (no stdlib wrapper)."""

    def __init__(self, raw: Source) -> None:
        self._raw = raw
        self._decompressor = zlib.decompressobj()

    def read(self, size: int = -1, /) -> bytes:
        """Decompress up to ``size`` bytes."""
        out = bytearray()
        while len(out) < size and not self._decompressor.eof:
            data = self._decompressor.unconsumed_tail or self._raw.read(CHUNK)
            if not data:
                raise EOFError("zlib stream ended before its end-of-stream marker")
            out += self._decompressor.decompress(data, size - len(out))
        return bytes(out)
