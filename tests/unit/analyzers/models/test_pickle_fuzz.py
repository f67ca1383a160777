"""Property tests: hostile bytes never crash the analyzer and always finish.

Random bytes and mutations of valid pickles, torch zips and joblib dumps go through
``analyze()``; the only exception allowed out is :class:`LimitExceeded`.
"""

from __future__ import annotations

import io
import pickle
import tempfile
import zipfile
import zlib
from pathlib import Path

import joblib
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pickle_builders import payload, state_dict_pickle

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.formats import FileFormat

ANALYZER = PickleSerializationAnalyzer()
LIMITS = Limits(max_read_bytes=1 << 20, max_decompressed_bytes=1 << 20, max_nesting_depth=3)
FORMATS = [
    FileFormat.PICKLE,
    FileFormat.ZIP,
    FileFormat.NUMPY,
    FileFormat.ZLIB,
    FileFormat.GZIP,
    FileFormat.TAR,
    FileFormat.BINARY,
]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _joblib() -> bytes:
    buffer = io.BytesIO()
    joblib.dump({"w": np.arange(6.0), "o": np.array([1, "a"], dtype=object)}, buffer)
    return buffer.getvalue()


SEEDS = [
    pickle.dumps({"a": [1, 2.0, "x"], "b": (None, True)}, protocol=0),
    pickle.dumps({"a": [1, 2.0, "x"], "b": {1, 2}}, protocol=5),
    payload(),
    state_dict_pickle(),
    _zip({"archive/data.pkl": state_dict_pickle(), "archive/data/0": bytes(8)}),
    _joblib(),
    zlib.compress(_joblib()),
]


def _run(data: bytes, fmt: FileFormat) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.bin"
        path.write_bytes(data)
        artifact = Artifact(path, "fuzz.bin", fmt, len(data))
        try:
            if ANALYZER.accepts(artifact):
                ANALYZER.claims(artifact)
            list(ANALYZER.analyze(artifact, LIMITS))
        except LimitExceeded:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), fmt=st.sampled_from(FORMATS))
def test_random_bytes_never_crash(data: bytes, fmt: FileFormat) -> None:
    """Any byte string, under any format label, is a clean result, findings or a limit."""
    _run(data, fmt)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 1 << 16),
    fmt=st.sampled_from(FORMATS),
)
def test_mutated_valid_files_never_crash(
    seed: int, edits: list[tuple[int, int]], cut: int, fmt: FileFormat
) -> None:
    """Byte flips and truncations of valid pickles, torch zips and joblib dumps."""
    data = bytearray(SEEDS[seed])
    for position, value in edits:
        data[position % len(data)] = value
    _run(bytes(data[: max(1, cut % (len(data) + 1))]), fmt)
