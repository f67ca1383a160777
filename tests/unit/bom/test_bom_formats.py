"""Which files are models, datasets or prompts: by content, with the name as a tie-break."""

from __future__ import annotations

import gzip
import pickle
import zipfile
from pathlib import Path

import pytest

from aiwarden.bom._formats import dataset_format, model_format, prompt_kind
from aiwarden.engine.classify import classify_file


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _format(path: Path) -> str | None:
    return model_format(path, path.name, classify_file(path))


PICKLE = pickle.dumps({"w": [1.0]}, protocol=2)


@pytest.mark.parametrize(
    ("name", "members", "expected"),
    [
        ("model.keras", {"config.json": b"{}", "metadata.json": b"{}"}, "keras"),
        ("weights.bin", {"archive/data.pkl": PICKLE, "archive/version": b"3"}, "pytorch"),
        (
            "scripted.pt",
            {"m/constants.pkl": PICKLE, "m/data.pkl": PICKLE, "m/code/__torch__/m.py": b""},
            "torchscript",
        ),
        ("arrays.npz", {"a.npy": b"\x93NUMPY\x01\x00"}, "numpy-npz"),
        ("docs.zip", {"README.md": b"# hi", "data.csv": b"a,b"}, None),
    ],
)
def test_zip_layouts(tmp_path: Path, name: str, members: dict[str, bytes], expected: str) -> None:
    assert _format(_zip(tmp_path / name, members)) == expected


def test_simple_magic_formats(tmp_path: Path) -> None:
    gguf = tmp_path / "m.bin"
    gguf.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 32)
    tflite = tmp_path / "model"
    tflite.write_bytes(b"\x1c\x00\x00\x00TFL3" + b"\x00" * 32)
    assert (_format(gguf), _format(tflite)) == ("gguf", "tflite")


def test_compressed_pickles_count_only_under_a_pickle_name(tmp_path: Path) -> None:
    dumped = tmp_path / "model.joblib.gz"
    dumped.write_bytes(gzip.compress(PICKLE))
    logs = tmp_path / "logs.txt.gz"
    logs.write_bytes(gzip.compress(b"line\n"))
    assert _format(dumped) == "joblib-compressed"
    assert _format(logs) is None


def test_plain_hdf5_is_data_not_a_model(tmp_path: Path) -> None:
    import h5py

    with h5py.File(tmp_path / "features.h5", "w") as handle:
        handle["x"] = [1, 2, 3]
    assert _format(tmp_path / "features.h5") is None
    fmt = classify_file(tmp_path / "features.h5")
    assert dataset_format("data/features.h5", fmt) == "hdf5"
    assert dataset_format("features.h5", fmt) is None


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        ("prompts/system.md", "prompt-template"),
        ("agent/support.prompt", "prompt-template"),
        ("templates/chat_template.jinja", "chat-template"),
        ("Modelfile", "prompt-template"),
        ("templates/page.jinja", None),
        ("docs/prompts.md", None),
    ],
)
def test_prompt_files(relpath: str, kind: str | None) -> None:
    assert prompt_kind(relpath) == kind
