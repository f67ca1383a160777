"""``BoundedReader``'s fast allowance, now kept by ``readline`` and ``skip``, changes nothing
but speed.

:meth:`BoundedReader.read` hands out buffered bytes without a limit check while they
are within ``_fast``; ``readline`` and ``skip`` now leave what is left of the allowance
instead of dropping it to zero. Random sequences of reads, line reads, skips, peeks and
speculative windows must give the same bytes, errors, offsets and budgets as a reader
that drops it (the behaviour before).
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models._stream import (
    BoundedReader,
    Budget,
    ContainerError,
    SpeculationAbandoned,
)


class DroppingReader(BoundedReader):
    """The reader as it was: ``readline`` and ``skip`` drop the fast allowance, so the
    next read goes through the checked path."""

    def readline(self, size: int = -1, /) -> bytes:
        data = super().readline(size)
        self._fast = 0
        return data

    def skip(self, size: int) -> int:
        skipped = super().skip(size)
        self._fast = 0
        return skipped


_OPS = st.lists(
    st.tuples(
        st.sampled_from(["read", "readline", "skip", "peek", "window", "close"]),
        st.one_of(st.integers(0, 12), st.integers(0, 70_000)),
    ),
    max_size=30,
)


def _run(reader: BoundedReader, budget: Budget, ops: list[tuple[str, int]]) -> list[object]:
    seen: list[object] = []
    for name, size in ops:
        small = size % 40
        try:
            if name == "read":
                seen.append(reader.read(small if size % 3 else size))
            elif name == "readline":
                seen.append(reader.readline())
            elif name == "skip":
                seen.append(reader.skip(small if size % 2 else size))
            elif name == "peek":
                seen.append(reader.peek(small))
            elif name == "window":
                reader.open_window(small)
            else:
                reader.close_window()
        except (LimitExceeded, SpeculationAbandoned, ContainerError, ValueError) as exc:
            seen.append((type(exc).__name__, str(exc)))
        seen.append((reader.tell(), budget.read_left, budget.decompressed_left))
    return seen


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(st.sampled_from([b"\n", b"a", b"bcd", b"\x00"]), max_size=150).map(b"".join),
    long=st.booleans(),
    ops=_OPS,
    read_budget=st.one_of(st.integers(0, 400), st.integers(0, 200_000)),
    unpacked_budget=st.one_of(st.integers(0, 400), st.just(150_000)),
    decompressed=st.booleans(),
)
def test_kept_fast_allowance_reads_as_the_dropped_one(
    data: bytes,
    long: bool,
    ops: list[tuple[str, int]],
    read_budget: int,
    unpacked_budget: int,
    decompressed: bool,
) -> None:
    if long:  # lines and skips longer than a buffered chunk
        data = data * 3 + b"x" * 90_000 + b"\nab"
    results = []
    for kind in (DroppingReader, BoundedReader):
        budget = Budget(Limits(max_read_bytes=read_budget, max_decompressed_bytes=unpacked_budget))
        reader = kind(io.BytesIO(data), budget, decompressed=decompressed, label="t")
        results.append(_run(reader, budget, ops))
    assert results[0] == results[1]


def test_a_skip_past_the_buffer_charges_only_the_buffered_bytes() -> None:
    budget = Budget(Limits(max_read_bytes=100))
    reader = BoundedReader(io.BytesIO(bytes(range(200))), budget, decompressed=False)
    assert reader.peek(1) == b"\x00"  # buffers one byte
    assert reader.skip(150) == 150  # the buffered byte is charged, the seek is not
    assert (reader.tell(), budget.read_left) == (150, 99)
    assert reader.read(3) == bytes([150, 151, 152])
    assert reader.skip(1000) == 47  # to the end of the file, where a seek stops
    assert (reader.tell(), budget.read_left) == (200, 49)
    assert reader.at_eof()


def test_allowance_edges_after_line_reads_and_skips_match() -> None:
    data = b"ab\ncdefgh\nij" * 3
    plans: list[list[tuple[str, int]]] = []
    for first in range(6):
        for then in range(12):
            plans.append([("readline", 0), ("read", first * 3), ("read", then * 3)])
            plans.append([("read", first * 3), ("skip", then), ("read", 3), ("read", 6)])
            plans.append([("window", 17), ("readline", 0), ("skip", first), ("read", then * 3)])
    for budget_size in range(0, 30):
        for decompressed in (False, True):
            for plan in plans:
                results = []
                for kind in (DroppingReader, BoundedReader):
                    limits = Limits(max_read_bytes=budget_size, max_decompressed_bytes=budget_size)
                    budget = Budget(limits)
                    reader = kind(io.BytesIO(data), budget, decompressed=decompressed)
                    results.append(_run(reader, budget, plan))
                assert results[0] == results[1], (budget_size, decompressed, plan)
