"""Keras models in HDF5: the config attributes and the object structure, never weights.

Only attributes and link/dataset *metadata* are read (``h5py`` reads the object
headers, not the data). The structure walk visits each object once, never follows
soft or external links, and reports the HDF5 features that read outside the file
(external links, external raw storage, virtual datasets; CVE-2026-1669) and datasets
whose declared size dwarfs what they store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import h5py
import numpy as np

from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.analyzers.models._keras_h5_lite import KERAS_ATTRS
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_rules import EXTERNAL_RESOURCE, SHAPE_BOMB

MAX_OBJECTS = 200_000
"""Most HDF5 objects (groups, datasets, links) visited in one file."""
_BOMB_BYTES = 4 * 1024**3
_BOMB_RATIO = 1000


def is_keras(handle: h5py.File, name: str) -> bool:
    """True if the HDF5 file looks like a Keras model or weights file."""
    attrs = handle.attrs
    if any(key in attrs for key in KERAS_ATTRS):
        return True
    if "model_weights" in handle or name.lower().endswith(".weights.h5"):
        return True
    layers = handle.get("layers", getlink=True)
    return isinstance(layers, h5py.HardLink) and "vars" in handle


def attribute_text(value: object) -> str | bytes | None:
    """A string attribute as text or bytes; ``None`` if it is not a single string."""
    if isinstance(value, np.ndarray):
        if value.size != 1:
            return None
        value = value.reshape(-1)[0]
    if isinstance(value, bytes | str):
        return value
    return None


def structure_issues(handle: h5py.File, where: str) -> Iterator[Issue]:
    """Issues for links and datasets in ``handle``; raise LimitExceeded at the bound."""
    seen: set[int] = set()
    stack: list[tuple[str, h5py.Group]] = [("", handle)]
    count = 0
    while stack:
        prefix, group = stack.pop()
        for name in group:
            count += 1
            if count > MAX_OBJECTS:
                raise LimitExceeded("max_hdf5_objects", MAX_OBJECTS, where)
            path = f"{prefix}/{name}"
            link = group.get(name, getlink=True)
            if isinstance(link, h5py.ExternalLink):
                yield _external(where, path, f"external link to {link.filename}:{link.path}")
                continue
            if not isinstance(link, h5py.HardLink):
                continue  # soft links point inside the file; the target is walked anyway
            obj = group.get(name)
            address = h5py.h5o.get_info(obj.id).addr
            if address in seen:
                continue
            seen.add(address)
            if isinstance(obj, h5py.Group):
                stack.append((path, obj))
            elif isinstance(obj, h5py.Dataset):
                yield from _dataset_issues(obj, where, path)


def _external(where: str, path: str, what: str) -> Issue:
    return Issue(
        EXTERNAL_RESOURCE,
        f"HDF5 object `{path}` in {where} is an {what}: loading the weights reads another "
        "file on the host (CVE-2026-1669 class).",
        evidence=what[:300],
        key=f"h5-external:{path}",
    )


def _dataset_issues(dataset: Any, where: str, path: str) -> Iterator[Issue]:
    external = dataset.external
    if external:
        files = ", ".join(str(entry[0]) for entry in external[:5])
        yield _external(where, path, f"dataset with external raw storage in {files}")
    if dataset.is_virtual:
        sources = ", ".join(sorted({m.file_name for m in dataset.virtual_sources()[:20]}))
        yield _external(where, path, f"virtual dataset mapped from {sources}")
        return
    shape = tuple(dataset.shape or ())
    declared = int(np.prod(shape, dtype=np.float64) * dataset.dtype.itemsize)
    stored = int(dataset.id.get_storage_size())
    if declared > _BOMB_BYTES and declared > _BOMB_RATIO * max(stored, 1):
        yield Issue(
            SHAPE_BOMB,
            f"HDF5 dataset `{path}` in {where} declares {declared} bytes "
            f"{shape} but stores {stored}; loading it allocates the full size.",
            evidence=f"shape={shape} dtype={dataset.dtype} stored={stored}",
            key=f"h5-bomb:{path}",
        )
