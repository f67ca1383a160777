"""The project's model files and how safe their formats are, from the scan's classification.

A file is a model file when the scan classified its content as a model container
(pickle, safetensors, GGUF, ONNX, HDF5, TFLite), when the model analyzers reported it
as pickle-based (``AIW-MOD001``), or when it is named like a model and is not text.
Test data and examples are left out. Nothing is read here: formats and findings come
from the scan report.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from aiwarden.analyzers.governance.project import MODEL_SUFFIXES
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.core.formats import FileFormat

SAFE_FORMATS: Final = frozenset({"safetensors", "gguf", "onnx"})
MODEL_FORMATS: Final = SAFE_FORMATS | {"pickle", "hdf5", "tflite"}
EXTRA_SUFFIXES: Final = (".pickle", ".tflite", ".npz", ".mar", ".nemo", ".pb")
PICKLE_RULE: Final = "AIW-MOD001"
CODE_RULES: Final = frozenset(
    {"AIW-MOD101", "AIW-MOD102", "AIW-MOD103", "AIW-MOD104", "AIW-MOD302", "AIW-MOD304"}
)
"""Keras layers and ONNX nodes that carry or call Python code."""
PICKLE_SUFFIXES: Final = (".pt", ".pth", ".ckpt", ".bin", ".pkl", ".pickle", ".joblib", ".mar")
"""Names that, on a zip or compressed container, mean a pickle inside (PyTorch, joblib)."""
_CONTAINERS: Final = frozenset({"zip", "gzip", "bzip2", "xz", "zlib", "tar"})
_TEXTUAL: Final = frozenset(f.value for f in FileFormat if f.is_text) | {"empty"}


class Safety(enum.Enum):
    """How a model file's format stands."""

    SAFE = "safe"
    """safetensors, GGUF or ONNX with no code-carrying node."""
    UNSAFE = "unsafe"
    """Pickle-based, or a Keras/ONNX model that carries code."""
    OTHER = "other"
    """Anything else (HDF5 without code, TFLite, an LFS pointer, an unknown binary)."""


@dataclass(frozen=True, slots=True)
class ModelFile:
    """One model file of the project."""

    path: str
    format: str
    safety: Safety
    why: str


def _rules_by_path(project: ProjectView) -> dict[str, set[str]]:
    """Rule ids of every finding (suppressed ones too: they describe the file) per path."""
    found: dict[str, set[str]] = {}
    for reported in project.report.findings:
        location = reported.finding.location
        if location.path.startswith(project.prefix):
            found.setdefault(location.path, set()).add(reported.finding.rule_id)
    return found


def model_files(project: ProjectView) -> list[ModelFile]:
    """The project's own model files with their :class:`Safety`."""
    rules = _rules_by_path(project)
    found: list[ModelFile] = []
    for relpath in fs.own_files(project):
        fmt = project.formats.get(relpath, "")
        ids = rules.get(relpath, set())
        name = PurePosixPath(relpath).name.lower()
        named = name.endswith(MODEL_SUFFIXES + EXTRA_SUFFIXES) and fmt not in _TEXTUAL
        if fmt not in MODEL_FORMATS and PICKLE_RULE not in ids and not named:
            continue
        found.append(_classify(relpath, fmt, ids))
    return found


def _classify(relpath: str, fmt: str, ids: set[str]) -> ModelFile:
    name = PurePosixPath(relpath).name.lower()
    pickled_name = fmt in _CONTAINERS and (name.endswith(PICKLE_SUFFIXES) or ".pkl." in name)
    if fmt == "pickle" or PICKLE_RULE in ids or pickled_name:
        return ModelFile(relpath, fmt, Safety.UNSAFE, "pickle-based")
    if ids & CODE_RULES:
        return ModelFile(relpath, fmt, Safety.UNSAFE, "carries code")
    if fmt in SAFE_FORMATS:
        return ModelFile(relpath, fmt, Safety.SAFE, fmt)
    return ModelFile(relpath, fmt, Safety.OTHER, fmt or "unknown format")
