"""The Keras HDF5 checks over :mod:`._hdf5_lite`, for the plain files it can read.

The h5py-based checks in :mod:`._keras_h5` stay the reference: these functions give
the same answers for the files :func:`._hdf5_lite.read_summary` accepts, and return
``None`` for every other file so that the caller runs the h5py path (isolated as
before). Nothing here imports h5py or numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from aiwarden.analyzers.models._hdf5_lite import Summary, Unsupported, read_summary
from aiwarden.analyzers.models._keras_config import parse_config, shape_issue, walk_config
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_rules import UNPARSEABLE_CONFIG

KERAS_ATTRS = ("model_config", "keras_version", "layer_names", "training_config")
CONFIG_ATTRS = ("model_config", "training_config")


def summary_of(path: Path) -> Summary | None:
    """The summary of the HDF5 file at ``path``, or ``None`` when h5py must read it."""
    try:
        with path.open("rb") as handle:
            return read_summary(handle, CONFIG_ATTRS)
    except (OSError, Unsupported):
        return None


def plain_structure(handle: BinaryIO) -> bool:
    """True when the HDF5 bytes in ``handle`` hold nothing the h5py structure walk reports."""
    try:
        read_summary(handle)
    except (OSError, Unsupported):
        return False
    return True


def is_keras(summary: Summary, name: str) -> bool:
    """:func:`._keras_h5.is_keras` for a plain file (every member is a hard link)."""
    if any(key in summary.attribute_names for key in KERAS_ATTRS):
        return True
    if "model_weights" in summary.root_links or name.lower().endswith(".weights.h5"):
        return True
    return "layers" in summary.root_links and "vars" in summary.root_links


def config_issues(
    attrs: Mapping[str, object], text_of: Callable[[object], str | bytes | None] | None = None
) -> Iterator[Issue]:
    """Issues of the ``model_config``/``training_config`` attributes in ``attrs``.

    ``text_of`` turns an attribute value into text (h5py values are numpy objects);
    by default a value is used as it is (a plain file's attributes are ``str``/``bytes``).
    """
    for attr in CONFIG_ATTRS:
        if attr not in attrs:
            continue
        value = attrs[attr]
        text = value if text_of is None else text_of(value)
        source = f"HDF5 attribute `{attr}`"
        if not isinstance(text, str | bytes):
            yield Issue(
                UNPARSEABLE_CONFIG,
                f"Keras model config in {source} is not a string; it could not be checked.",
                evidence=type(value).__name__,
                key=f"parse:{attr}",
            )
            continue
        config, problem = parse_config(text, source)
        if problem is not None:
            yield problem
            continue
        assert isinstance(config, dict)
        if attr == "model_config":
            shape = shape_issue(source, config)
            if shape is not None:
                yield shape
        yield from walk_config(config, source)


__all__ = [
    "CONFIG_ATTRS",
    "KERAS_ATTRS",
    "config_issues",
    "is_keras",
    "plain_structure",
    "summary_of",
]
