"""The artefact formats aiwarden recognises, by content first and by name second."""

from __future__ import annotations

import enum


class FileFormat(enum.Enum):
    """What a file is. Binary container formats are recognised by magic bytes."""

    # Serialised objects and model containers
    PICKLE = "pickle"
    ZIP = "zip"
    TAR = "tar"
    GZIP = "gzip"
    BZIP2 = "bzip2"
    XZ = "xz"
    ZLIB = "zlib"
    HDF5 = "hdf5"
    NUMPY = "numpy"
    SAFETENSORS = "safetensors"
    GGUF = "gguf"
    ONNX = "onnx"
    TFLITE = "tflite"
    PROTOBUF = "protobuf"
    # Text formats
    PYTHON = "python"
    NOTEBOOK = "notebook"
    JSON = "json"
    YAML = "yaml"
    TOML = "toml"
    MARKDOWN = "markdown"
    DOCKERFILE = "dockerfile"
    TEXT = "text"
    # Anything else
    BINARY = "binary"
    EMPTY = "empty"

    @property
    def is_text(self) -> bool:
        """True for formats whose content is human-readable text with comment syntax."""
        return self in _TEXT_FORMATS


_TEXT_FORMATS = frozenset(
    {
        FileFormat.PYTHON,
        FileFormat.NOTEBOOK,
        FileFormat.JSON,
        FileFormat.YAML,
        FileFormat.TOML,
        FileFormat.MARKDOWN,
        FileFormat.DOCKERFILE,
        FileFormat.TEXT,
    }
)
