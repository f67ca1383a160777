"""Importing the model analyzers (every scan does) loads none of their file parsers.

The zip, pickle and protobuf readers and the ONNX/SavedModel walks load with the first
file that needs them; a fresh interpreter shows what the analyzer modules pull in.
"""

from __future__ import annotations

import json
import subprocess
import sys

ANALYZERS = (
    "serialization",
    "keras",
    "savedmodel",
    "onnx_model",
    "safetensors_header",
    "gguf_file",
    "chat_template",
    "unrecognised",
)
DEFERRED = (
    "zipfile",
    "pickletools",
    "aiwarden.analyzers.models.protobuf",
    "aiwarden.analyzers.models._onnx_scan",
    "aiwarden.analyzers.models._savedmodel_scan",
    "aiwarden.analyzers.models._zip_reader",
    "aiwarden.analyzers.models.keras_zip",
    "aiwarden.analyzers.models._template_config",
)


def _loaded_after_import() -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {ANALYZERS!r}:\n"
        "    importlib.import_module('aiwarden.analyzers.models.' + name)\n"
        f"print(json.dumps([m for m in {DEFERRED!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(out.stdout)
    assert isinstance(loaded, list)
    return [str(name) for name in loaded]


def test_model_analyzers_import_no_parsers() -> None:
    assert _loaded_after_import() == []


def test_deferred_walks_load_and_match_the_analyzers() -> None:
    """The split-out walks import cleanly after (and before) their analyzer modules."""
    from aiwarden.analyzers.models import _onnx_scan, _savedmodel_scan, onnx_model, savedmodel

    assert _onnx_scan.PICKLE_WINDOW is onnx_model.PICKLE_WINDOW
    assert _savedmodel_scan.judge is savedmodel.judge
