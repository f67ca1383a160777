"""Mutated HDF5 files end in a summary or ``Unsupported`` from the pure-Python reader.

The reader must never raise anything else, never loop, and never read more than its
metadata budget, whatever the bytes: on ``Unsupported`` the analyzer hands the file to
h5py (in its own process), so an unexpected exception would be the only way to lose it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fuzz_seeds import build_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_model_mutations import EDITS, mutate

from aiwarden.analyzers.models._hdf5_lite import Summary, Unsupported, read_summary
from aiwarden.analyzers.models._keras_h5_lite import CONFIG_ATTRS


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build_seeds(tmp_path_factory.mktemp("seeds"))["model.h5"]


def test_the_seed_is_read_without_h5py(seed: bytes) -> None:
    assert isinstance(read_summary(io.BytesIO(seed), CONFIG_ATTRS), Summary)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=EDITS, splice=st.binary(max_size=64))
def test_mutated_hdf5_is_a_summary_or_unsupported(
    seed: bytes, edits: list[tuple[int, int, int]], splice: bytes
) -> None:
    data = mutate(seed, edits)
    data = data[: len(data) // 2] + splice + data[len(data) // 2 :]
    try:
        summary = read_summary(io.BytesIO(data), CONFIG_ATTRS)
    except Unsupported:
        return
    assert set(summary.attributes) <= set(CONFIG_ATTRS)
    assert summary.objects >= len(summary.root_links)


def test_a_file_and_its_bytes_read_alike(tmp_path: Path, seed: bytes) -> None:
    path = tmp_path / "model.h5"
    path.write_bytes(seed)
    with path.open("rb") as handle:
        assert read_summary(handle).root_links == read_summary(io.BytesIO(seed)).root_links
