"""The pure-Python HDF5 reader: same answers as h5py on plain files, h5py for the rest."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("h5py")

from hdf5_builders import SUPPORTED, UNSUPPORTED, h5py_view, keras2

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models._hdf5_lite import Unsupported, read_summary
from aiwarden.analyzers.models._keras_h5_lite import CONFIG_ATTRS
from aiwarden.analyzers.models.keras import KerasAnalyzer
from aiwarden.core import FileFormat


def _read(data: bytes) -> object:
    return read_summary(io.BytesIO(data), CONFIG_ATTRS)


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_a_plain_file_reads_as_h5py_reads_it(name: str) -> None:
    data = keras2(SUPPORTED[name])
    summary = read_summary(io.BytesIO(data), CONFIG_ATTRS)
    view = h5py_view(data)
    assert summary.attribute_names == view.attribute_names
    assert summary.attributes == view.attributes
    assert summary.root_links == view.root_links
    assert view.structure_issues == 0


def test_config_strings_keep_h5py_types() -> None:
    fixed = read_summary(io.BytesIO(keras2()), CONFIG_ATTRS).attributes["model_config"]
    vlen = read_summary(io.BytesIO(keras2(SUPPORTED["vlen config"])), CONFIG_ATTRS)
    assert isinstance(fixed, bytes) and fixed.startswith(b'{"class_name"')
    assert isinstance(vlen.attributes["model_config"], str)


def test_a_null_terminated_string_ends_at_its_first_nul() -> None:
    data = keras2(SUPPORTED["null-terminated config"])
    value = read_summary(io.BytesIO(data), CONFIG_ATTRS).attributes["model_config"]
    assert isinstance(value, bytes) and b"ignored" not in value


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_anything_else_is_left_to_h5py(name: str) -> None:
    build = UNSUPPORTED[name]
    data = build() if callable(build) else build
    with pytest.raises(Unsupported):
        _read(data)


@pytest.mark.parametrize("data", [b"", b"\x89HDF\r\n\x1a\n", b"x" * 100, keras2()[:300]])
def test_short_or_foreign_bytes_are_unsupported(data: bytes) -> None:
    with pytest.raises(Unsupported):
        _read(data)


def _mutate(rng: random.Random, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.choice((1, 1, 2, 4, 8))):
        roll, at = rng.random(), rng.randrange(len(data))
        if roll < 0.7:
            data[at] = rng.randrange(256)
        elif roll < 0.85:
            del data[at:]
        else:
            data[at:at] = rng.randbytes(rng.randrange(1, 16))
        data = data or bytearray(b"x")
    return bytes(data)


def test_mutated_files_end_in_a_summary_or_unsupported_and_agree_with_h5py() -> None:
    rng = random.Random(20261126)
    seeds = [keras2(SUPPORTED[name]) for name in ("keras2", "vlen config", "many groups")]
    agreed = 0
    for _ in range(400):
        data = _mutate(rng, rng.choice(seeds))
        started = time.monotonic()
        try:
            summary = read_summary(io.BytesIO(data), CONFIG_ATTRS)
        except Unsupported:
            continue
        finally:
            assert time.monotonic() - started < 2
        try:
            view = h5py_view(data)
        except Exception:  # h5py refuses some damaged files this reader reads: none loads
            continue
        assert summary.attributes == view.attributes
        assert summary.root_links == view.root_links
        agreed += 1
    assert agreed > 50


def _analyze(path: Path) -> list[str]:
    artifact = Artifact(path, path.name, FileFormat.HDF5, path.stat().st_size)
    return sorted(f.rule_id for f in KerasAnalyzer().analyze(artifact, Limits()))


def test_a_lambda_in_a_plain_file_is_found_without_h5py(tmp_path: Path) -> None:
    config = (
        '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Lambda", '
        '"config": {"function": ["4wEAAAAAAAAAAAAAAAEAAAADAAAA", null, null]}}]}}'
    )
    path = tmp_path / "model.h5"
    path.write_bytes(keras2(lambda f: f.attrs.__setitem__("model_config", config)))
    code = (
        "import sys; from pathlib import Path;"
        "from aiwarden.analyzers.interface import Artifact, Limits;"
        "from aiwarden.analyzers.models.keras import KerasAnalyzer;"
        "from aiwarden.core import FileFormat;"
        f"p = Path({str(path)!r});"
        "a = Artifact(p, p.name, FileFormat.HDF5, p.stat().st_size);"
        "ids = sorted(f.rule_id for f in KerasAnalyzer().analyze(a, Limits()));"
        "print(ids, 'h5py.h5' in sys.modules, 'numpy' in sys.modules)"  # h5py itself is lazy
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "AIW-MOD101" in out
    assert out.strip().endswith("False False")


@pytest.mark.parametrize(
    ("build", "rule"),
    [
        (UNSUPPORTED["external link"], "AIW-MOD107"),
        (UNSUPPORTED["external storage"], "AIW-MOD107"),
        (UNSUPPORTED["virtual dataset"], "AIW-MOD107"),
    ],
)
def test_files_left_to_h5py_are_still_reported(
    tmp_path: Path, build: Callable[[], bytes], rule: str
) -> None:
    path = tmp_path / "model.h5"
    path.write_bytes(build())
    assert rule in _analyze(path)


def _keras_v3(path: Path, weights: bytes, compression: int = zipfile.ZIP_STORED) -> None:
    config = '{"class_name": "Sequential", "module": "keras", "config": {"layers": []}}'
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("metadata.json", '{"keras_version": "3.6.0"}')
        archive.writestr("config.json", config)
        archive.writestr("model.weights.h5", weights)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_plain_weights_in_a_keras_archive_need_no_h5py(tmp_path: Path, compression: int) -> None:
    path = tmp_path / "model.keras"
    _keras_v3(path, keras2(), compression)
    code = (
        "import sys; from pathlib import Path;"
        "from aiwarden.analyzers.interface import Artifact, Limits;"
        "from aiwarden.analyzers.models.keras import KerasAnalyzer;"
        "from aiwarden.core import FileFormat;"
        f"p = Path({str(path)!r});"
        "a = Artifact(p, p.name, FileFormat.ZIP, p.stat().st_size);"
        "print([f.rule_id for f in KerasAnalyzer().analyze(a, Limits())], 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False"


def test_weights_left_to_h5py_in_a_keras_archive_are_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "model.keras"
    build = UNSUPPORTED["external storage"]
    _keras_v3(path, build() if callable(build) else build)
    artifact = Artifact(path, path.name, FileFormat.ZIP, path.stat().st_size)
    rules = {f.rule_id for f in KerasAnalyzer().analyze(artifact, Limits())}
    assert "AIW-MOD107" in rules
