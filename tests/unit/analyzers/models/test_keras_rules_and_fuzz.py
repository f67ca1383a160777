"""Rule metadata of the Keras analyzer, and fuzzing of its parsers with hypothesis.

The fuzz tests mutate valid configs and archives and check that the analyzer always
finishes and never raises anything but ``LimitExceeded``: every outcome is a clean
result or a finding.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_keras_builders import (
    artifact,
    k3_benign_layers,
    k3_lambda,
    k3_lambda_code,
    k3_obj,
    k3_sequential,
    lambda_bytecode,
    scan,
    write_k2_h5,
    write_keras_v3,
)

from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models._keras_config import walk_config
from aiwarden.analyzers.models._keras_isolate import run_isolated
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_marshal import summarize
from aiwarden.analyzers.models._keras_rules import KERAS_RULES
from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity


def test_rule_ids_and_severities() -> None:
    assert {r.id: r.severity for r in KERAS_RULES} == {
        "AIW-MOD101": Severity.CRITICAL,
        "AIW-MOD102": Severity.HIGH,
        "AIW-MOD103": Severity.CRITICAL,
        "AIW-MOD104": Severity.HIGH,
        "AIW-MOD105": Severity.HIGH,
        "AIW-MOD106": Severity.HIGH,
        "AIW-MOD107": Severity.HIGH,
        "AIW-MOD108": Severity.MEDIUM,
    }
    assert KerasAnalyzer.name == "model-keras"
    assert KerasAnalyzer.rules == KERAS_RULES


def _malicious_config() -> str:
    layers = [
        *k3_benign_layers(),
        k3_lambda("evil", k3_lambda_code(lambda_bytecode())),
        k3_obj("os", "function", "system"),
    ]
    return json.dumps(k3_sequential(layers))


MALICIOUS = _malicious_config()
_FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _run(path: Path, fmt: FileFormat) -> None:
    try:
        for finding in KerasAnalyzer().analyze(artifact(path, fmt), Limits()):
            assert finding.rule in KERAS_RULES
    except LimitExceeded:
        pass


@st.composite
def _mutations(draw: st.DrawFn, text: bytes) -> bytes:
    data = bytearray(text)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[pos : pos + draw(st.integers(1, 16))]
        else:
            del data[pos:]
    return bytes(data)


@_FUZZ
@given(data=_mutations(MALICIOUS.encode()))
def test_mutated_config_json_never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run(write_keras_v3(Path(tmp) / "m.keras", data), FileFormat.ZIP)
        _run(write_k2_h5(Path(tmp) / "m.h5", data), FileFormat.HDF5)


_ARCHIVE = write_keras_v3(Path(tempfile.mkdtemp()) / "seed.keras", MALICIOUS).read_bytes()


@_FUZZ
@given(data=_mutations(_ARCHIVE))
def test_mutated_keras_archive_bytes_never_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.keras"
        path.write_bytes(data)
        analyzer = KerasAnalyzer()
        art = artifact(path, FileFormat.ZIP)
        analyzer.accepts(art)
        analyzer.claims(art)
        _run(path, FileFormat.ZIP)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "class_name",
                    "config",
                    "module",
                    "function",
                    "function_type",
                    "layers",
                    "layer",
                    "activation",
                    "registered_name",
                    "code",
                    "value",
                    "vocabulary",
                    "name",
                    "x",
                ]
            ),
            children
            | st.sampled_from(["Lambda", "__lambda__", "function", "lambda", "os", "keras.layers"]),
            max_size=5,
        )
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON)
def test_walker_accepts_any_json_value(value: Any) -> None:
    for issue in walk_config(value, "fuzz"):
        assert issue.rule in KERAS_RULES


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=256)
    | _mutations(bytes.fromhex("e3" + "00" * 20) + b"s\x02\x00\x00\x00ab")
)
def test_marshal_reader_never_raises(data: bytes) -> None:
    summary = summarize(data)
    assert summary.size == len(data) or not summary.structured


def test_benign_seed_for_the_fuzzers_is_clean(tmp_path: Path) -> None:
    """Sanity: the fuzz seed is malicious, its benign part is clean."""
    assert scan(write_keras_v3(tmp_path / "m.keras", MALICIOUS), FileFormat.ZIP)
    benign = json.dumps(k3_sequential(k3_benign_layers()))
    assert scan(write_keras_v3(tmp_path / "b.keras", benign), FileFormat.ZIP) == []


_H5_SEED = write_k2_h5(
    Path(tempfile.mkdtemp()) / "seed.h5",
    json.loads(MALICIOUS),
    training_config={"loss": "mse"},
).read_bytes()


@settings(max_examples=60, deadline=None)
@given(data=_mutations(_H5_SEED))
def test_mutated_hdf5_bytes_never_crash_the_scanner(data: bytes) -> None:
    """The HDF5 C library can segfault on hostile headers; the scan survives it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.h5"
        path.write_bytes(data)
        _run(path, FileFormat.HDF5)


def test_crash_of_the_hdf5_reader_is_a_finding_after_earlier_issues() -> None:
    """A segfault in the child keeps what was found before and adds a fail-closed finding."""
    first = Issue(KERAS_RULES[0], "found first", evidence="e", key="k")

    def produce() -> Iterator[tuple[str | None, Issue]]:
        yield "model.weights.h5", first
        os.kill(os.getpid(), signal.SIGSEGV)

    results = list(run_isolated(produce, "test file"))
    assert results[0] == ("model.weights.h5", first)
    assert results[1][1].rule.id == "AIW-MOD105" and "crashed" in results[1][1].message


def test_hanging_hdf5_reader_hits_the_time_limit() -> None:
    """The HDF5 library can loop on hostile headers: the child is killed at the bound."""

    def produce() -> Iterator[tuple[str | None, Issue]]:
        time.sleep(30)
        yield from ()

    started = time.monotonic()
    with pytest.raises(LimitExceeded):
        list(run_isolated(produce, "test file", timeout_s=0.5))
    assert time.monotonic() - started < 10
