"""Walk the pickle streams of a byte source through the symbolic VM.

:func:`iter_streams` parses one stream after another (legacy torch files and
attacker-made files concatenate several), hands joblib's interleaved array buffers to
:mod:`._joblib_arrays`, and scans pickles nested inside pickles (bytes given to
``pickle.loads``) recursively, up to ``Limits.max_nesting_depth``.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models import _pickle_fast
from aiwarden.analyzers.models._joblib_arrays import read_array_after_build
from aiwarden.analyzers.models._pickle_decode import iter_ops
from aiwarden.analyzers.models._pickle_values import Call
from aiwarden.analyzers.models._pickle_vm import Machine, NestedScan, StreamScan
from aiwarden.analyzers.models._stream import (
    BoundedReader,
    Budget,
    ContainerError,
    SpeculationAbandoned,
)

FUSED_LOOP = True
"""Parse with the fused interpreter (:mod:`._pickle_fast`); tests switch it off to compare."""
SPECULATIVE_WINDOW: Final = 4 * 1024 * 1024
"""Bytes a speculative parse (data after a pickle) may use before it must import."""

_PARSE_ERRORS: Final = (ValueError, struct.error, OverflowError, UnicodeDecodeError)

__all__ = ["NestedScan", "ScanContext", "StreamScan", "iter_streams"]


class ScanContext:
    """Budgets and nesting depth shared by the streams of one artifact.

    A plain slotted class: never compared or printed, and a dataclass would cost its
    creation at import on every scan.
    """

    __slots__ = ("budget", "depth")

    def __init__(self, budget: Budget, depth: int = 0) -> None:
        self.budget = budget
        self.depth = depth

    def nested(self, data: bytes, via: str, offset: int | None) -> NestedScan:
        """Scan ``data`` (bytes handed to a loads-like callable) as a nested pickle."""
        limit = self.budget.limits.max_nesting_depth
        if self.depth + 1 > limit:
            raise LimitExceeded("max_nesting_depth", limit, f"pickle nested in {via}")
        label = f"pickle nested in {via}"
        reader = BoundedReader(io.BytesIO(data), self.budget, decompressed=True, label=label)
        child = ScanContext(self.budget, self.depth + 1)
        found = NestedScan(via, offset, list(iter_streams(reader, child, committed=True)))
        for scan in found.streams:
            if scan.limit is not None:
                raise scan.limit
        return found

    def machine(self, scan: StreamScan, reader: BoundedReader) -> Machine:
        """A VM for ``scan`` that reads joblib array buffers from ``reader``."""

        def after_build(obj: Call, machine: Machine) -> None:
            read_array_after_build(obj, machine, reader, self)

        return Machine(scan, after_build=after_build, nested=self.nested)


def parse_one(
    reader: BoundedReader, scan: StreamScan, ctx: ScanContext, *, speculative: bool
) -> bool:
    """Parse one stream into ``scan``; False if a speculative parse found no pickle.

    A speculative parse is kept when it reached STOP cleanly, when it hit a limit (fail
    closed), or when it imported something and called it on a consistent stack before
    failing: the real unpickler would have run that call before raising.
    """
    machine = ctx.machine(scan, reader)
    where = [scan.start]  # the offset of the opcode being applied, for a parse error
    if speculative:
        reader.open_window(SPECULATIVE_WINDOW)
    try:
        if FUSED_LOOP:
            _pickle_fast.run(machine, reader, speculative, where)
        else:
            _run_general(machine, reader, speculative, where)
    except _PARSE_ERRORS as exc:
        scan.error = scan.error or str(exc)
        scan.error_offset = scan.error_offset if scan.error_offset is not None else where[0]
    except SpeculationAbandoned:
        return False
    except ContainerError as exc:
        if speculative and not scan.executed:
            raise
        scan.error = f"the data under the pickle could not be read: {exc}"
        scan.error_offset = where[0]
    except LimitExceeded as exc:
        scan.limit = exc
    finally:
        reader.close_window()
    if not speculative or scan.executed or scan.limit is not None:
        return True
    return scan.complete and scan.error is None


def _run_general(machine: Machine, reader: BoundedReader, windowed: bool, where: list[int]) -> None:
    """The general path: :func:`iter_ops` feeding :meth:`Machine.step`, one opcode at a time.

    :func:`._pickle_fast.run` gives the same results faster; this path is the reference
    the differential tests compare it with.
    """
    scan, step, tell = machine.scan, machine.step, reader.tell
    for op, arg, pos in iter_ops(reader):
        if windowed and scan.imports:
            reader.close_window()  # it imports: scan it to the end, within the budgets
            windowed = False
        step(op, arg, pos)
        where[0] = tell()


def iter_streams(
    reader: BoundedReader, ctx: ScanContext, *, committed: bool
) -> Iterator[StreamScan]:
    """Yield every pickle stream in ``reader``: the first, then any that follow its STOP.

    With ``committed`` the data at the start is known to be a pickle, and a parse error
    is reported; otherwise (and always after the first STOP) the parse is speculative:
    data that does not parse as a pickle and imports nothing ends the walk quietly, as
    for the raw storage bytes that follow the pickles of a legacy torch file.
    """
    speculative = not committed
    while not reader.at_eof():
        scan = StreamScan(start=reader.tell())
        if not parse_one(reader, scan, ctx, speculative=speculative):
            return
        yield scan
        if not scan.complete or scan.error is not None or scan.limit is not None:
            return
        speculative = True
