"""What a discovered file is for the inventory: a model, a dataset, a prompt, or nothing.

Content decides (the engine's :func:`~aiwarden.engine.classify.classify_file` reads the
magic bytes); the name only breaks ties the content cannot (a zlib stream is a joblib
model only when named like one). Containers are recognised by their directory alone,
with the same helpers the model analyzers use, so nothing is decompressed or loaded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models import containers as containers
from aiwarden.analyzers.models.keras_zip import is_keras_names
from aiwarden.analyzers.models.protobuf import path_looks_like_onnx
from aiwarden.core.formats import FileFormat
from aiwarden.engine._fs import open_regular, read_at_most

_KERAS_H5_MARKERS: Final = (b"keras_version", b"model_config", b"layer_names")
_H5_HEAD: Final = 1024 * 1024
_PICKLE_NAMES: Final = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".ckpt", ".dill", ".bin")
_COMPRESSED: Final = frozenset(
    {FileFormat.GZIP, FileFormat.BZIP2, FileFormat.XZ, FileFormat.ZLIB, FileFormat.BINARY}
)
_ZIP_LAYOUTS: Final = {
    "torch": "pytorch",
    "torchscript": "torchscript",
    "npz": "numpy-npz",
    "pickles": "pickle-zip",
}
_SIMPLE: Final = {
    FileFormat.SAFETENSORS: "safetensors",
    FileFormat.GGUF: "gguf",
    FileFormat.TFLITE: "tflite",
    FileFormat.NUMPY: "numpy",
    FileFormat.ONNX: "onnx",
}
_LFS_MODEL_SUFFIXES: Final = (
    ".safetensors", ".gguf", ".onnx", ".pt", ".pth", ".ckpt", ".bin", ".pkl", ".joblib",
    ".h5", ".keras", ".npy", ".npz", ".tflite", ".msgpack", ".ggml",
)  # fmt: skip
_LFS_POINTER: Final = b"version https://git-lfs.github.com/spec/v1"
_LFS_OID: Final = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
_LFS_SIZE: Final = re.compile(rb"^size (\d{1,20})$", re.MULTILINE)

_DATA_ANYWHERE: Final = {
    ".parquet": "parquet",
    ".arrow": "arrow",
    ".feather": "feather",
    ".tfrecord": "tfrecord",
    ".tfrecords": "tfrecord",
    ".avro": "avro",
    ".orc": "orc",
}
_DATA_IN_DATA_DIRS: Final = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "text",
    ".h5": "hdf5",
    ".hdf5": "hdf5",
}
_DATA_DIRS: Final = frozenset(
    {"data", "datasets", "dataset", "corpus", "corpora", "training_data", "train_data"}
)
_PROMPT_SUFFIXES: Final = frozenset({".prompt", ".prompty"})
_TEMPLATE_SUFFIXES: Final = frozenset({".jinja", ".jinja2", ".j2"})
_PROMPT_DIR_SUFFIXES: Final = frozenset(
    {".txt", ".md", ".jinja", ".jinja2", ".j2", ".tmpl", ".mustache", ".yaml", ".yml", ".json"}
)
_PROMPT_DIRS: Final = frozenset({"prompts", "prompt", "system_prompts", "prompt_templates"})


@dataclass(frozen=True, slots=True)
class LfsPointer:
    """A Git LFS pointer file: the SHA-256 and size of the content it stands for."""

    sha256: str
    size: int


def model_format(path: Path, name: str, fmt: FileFormat) -> str | None:
    """The model format of a file already classified as ``fmt``, or None for a non-model."""
    lower = name.lower()
    if fmt in _SIMPLE:
        return _SIMPLE[fmt]
    if fmt is FileFormat.PICKLE:
        return "joblib" if lower.endswith(".joblib") else "pickle"
    if fmt is FileFormat.ZIP:
        return _zip_format(path)
    if fmt is FileFormat.HDF5:
        return "keras-h5" if _keras_h5(path) else None
    if fmt is FileFormat.TAR:
        return "pytorch-legacy-tar" if _torch_tar(path) else None
    if fmt is FileFormat.PROTOBUF:
        return _protobuf_format(path, lower)
    if fmt in _COMPRESSED and _named_like_pickle(lower):
        return "joblib-compressed" if ".joblib" in lower else "pickle-compressed"
    return None


def lfs_pointer(path: Path, name: str, fmt: FileFormat) -> LfsPointer | None:
    """The pointer details of a Git LFS pointer named like a model file, else None."""
    if fmt is not FileFormat.TEXT or not name.lower().endswith(_LFS_MODEL_SUFFIXES):
        return None
    head = _head(path, 1024)
    if not head.startswith(_LFS_POINTER):
        return None
    oid, size = _LFS_OID.search(head), _LFS_SIZE.search(head)
    if oid is None or size is None:
        return None
    return LfsPointer(oid.group(1).decode("ascii"), int(size.group(1)))


def dataset_format(relpath: str, fmt: FileFormat) -> str | None:
    """The data format of a dataset file, or None. CSV, JSON and friends count only
    under a data directory (``data/``, ``datasets/``...); HDF5 that is not a Keras
    model counts as data there too."""
    pure = PurePosixPath(relpath)
    suffix = pure.suffix.lower()
    if suffix in _DATA_ANYWHERE:
        return _DATA_ANYWHERE[suffix]
    in_data_dir = any(part.lower() in _DATA_DIRS for part in pure.parts[:-1])
    textual = (FileFormat.TEXT, FileFormat.JSON, FileFormat.HDF5, FileFormat.EMPTY)
    if in_data_dir and suffix in _DATA_IN_DATA_DIRS and fmt in textual:
        return _DATA_IN_DATA_DIRS[suffix]
    return None


def prompt_kind(relpath: str) -> str | None:
    """``prompt-template`` or ``chat-template`` for a prompt file, by name; else None."""
    pure = PurePosixPath(relpath)
    name, suffix = pure.name.lower(), pure.suffix.lower()
    if suffix in _PROMPT_SUFFIXES:
        return "prompt-template"
    if suffix in _TEMPLATE_SUFFIXES and "chat_template" in name:
        return "chat-template"
    if name in ("modelfile",) or name.startswith("modelfile."):
        return "prompt-template"
    in_prompt_dir = any(part.lower() in _PROMPT_DIRS for part in pure.parts[:-1])
    if in_prompt_dir and suffix in _PROMPT_DIR_SUFFIXES:
        return "prompt-template"
    return None


def _head(path: Path, limit: int) -> bytes:
    fd, _info = open_regular(path)
    try:
        return read_at_most(fd, limit)
    finally:
        os.close(fd)


def _zip_format(path: Path) -> str | None:
    with path.open("rb") as handle:
        try:
            directory = containers.open_zip(handle, Limits())
        except LimitExceeded:
            return None  # too many members to list: not a model layout
    if isinstance(directory, containers.ContainerProblem):
        return None
    names = [e.name for e in directory.entries if not e.is_dir]
    if is_keras_names(names):
        return "keras"
    layout = containers.zip_layout(directory)
    return _ZIP_LAYOUTS.get(layout) if layout is not None else None


def _keras_h5(path: Path) -> bool:
    head = _head(path, _H5_HEAD)
    return any(marker in head for marker in _KERAS_H5_MARKERS)


def _torch_tar(path: Path) -> bool:
    with path.open("rb") as handle:
        return containers.tar_is_torch(handle, Limits())


def _protobuf_format(path: Path, lower: str) -> str | None:
    if lower == "saved_model.pb":
        return "tensorflow-savedmodel"
    if lower == "keras_metadata.pb" or lower.startswith("fingerprint"):
        return None
    if path_looks_like_onnx(path):
        return "onnx"
    return "tensorflow-graphdef" if lower.endswith(".pb") else None


def _named_like_pickle(lower: str) -> bool:
    return any(f"{suffix}." in lower or lower.endswith(suffix) for suffix in _PICKLE_NAMES)


def lfs_model_format(relpath: str) -> str:
    """The model format a Git LFS pointer's name promises (its content is elsewhere)."""
    suffix = PurePosixPath(relpath).suffix.lower().lstrip(".")
    return {"pt": "pytorch", "pth": "pytorch", "bin": "pytorch", "h5": "keras-h5"}.get(
        suffix, suffix or "unknown"
    )
