"""Mutated model files of every format never crash or hang an analyzer.

Each example takes a valid seed written by a real library, applies byte-level
mutations (flips, truncation, insertion, duplication) and runs every analyzer on it:
the outcome must be a clean result, findings, or LimitExceeded, never another
exception. ``fuzz_models.py`` is the coverage-guided (atheris) version of this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_harness import run_one
from fuzz_seeds import SEEDS, build_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_seeds(tmp_path_factory.mktemp("seeds"))


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Apply (kind, position, value) edits: 0 flip, 1 truncate, 2 insert, 3 duplicate."""
    buffer = bytearray(data)
    for kind, position, value in edits:
        if not buffer:
            break
        at = position % len(buffer)
        if kind == 0:
            buffer[at] ^= value or 1
        elif kind == 1:
            del buffer[at:]
        elif kind == 2:
            buffer[at:at] = bytes([value]) * (1 + value % 7)
        else:
            buffer[at:at] = buffer[at : at + 1 + value]
    return bytes(buffer)


EDITS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 1 << 30), st.integers(0, 255)),
    min_size=1,
    max_size=6,
)


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS)
def test_mutated_seed_never_crashes_an_analyzer(
    name: str, edits: list[tuple[int, int, int]], seeds: dict[str, bytes], tmp_path: Path
) -> None:
    run_one(mutate(seeds[name], edits), name, tmp_path)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_unmutated_seeds_pass_through_the_harness(
    name: str, seeds: dict[str, bytes], tmp_path: Path
) -> None:
    run_one(seeds[name], name, tmp_path)
