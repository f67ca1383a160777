"""Inside the engine's disposable workers, HDF5 parsing runs inline (no extra fork)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models._keras_isolate import Located, run_isolated


def _pid_reporter(pids: list[int]) -> Iterator[Located]:
    pids.append(os.getpid())
    yield from ()


def test_runs_inline_in_a_disposable_worker() -> None:
    pids: list[int] = []
    assert list(run_isolated(lambda: _pid_reporter(pids), "x", in_disposable_process=True)) == []
    assert pids == [os.getpid()]


def test_limits_still_propagate_inline() -> None:
    def produce() -> Iterator[Located]:
        raise LimitExceeded("max_read_bytes", 1, "test")
        yield  # pragma: no cover

    with pytest.raises(LimitExceeded):
        list(run_isolated(produce, "x", in_disposable_process=True))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forks_elsewhere() -> None:
    pids: list[int] = []
    list(run_isolated(lambda: _pid_reporter(pids), "x"))
    assert pids == []  # appended in the child, not here
