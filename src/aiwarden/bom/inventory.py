"""Build the inventory of an AI project: models, hub references, datasets, prompts,
AI services, MCP servers, agent tools and software dependencies.

The walk is the scan's own (:func:`aiwarden.engine.discovery.discover`: excludes and
``.gitignore`` respected, symlinks never followed out of the root); each file is
classified by content (:func:`aiwarden.engine.classify.classify_file`). Model and data
files are hashed (SHA-256, streamed); Python, notebooks and configs are parsed as text
and never imported or rendered. Whatever could not be read is listed in
:attr:`Inventory.notes`, so an incomplete BOM says that it is incomplete::

    from aiwarden.bom import InventoryOptions, build_inventory, cyclonedx_json
    print(cyclonedx_json(build_inventory(Path("."), InventoryOptions())))
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aiwarden.bom import _formats as formats
from aiwarden.bom._collect import Collector
from aiwarden.bom._deps import project_libraries
from aiwarden.bom._sources import (
    FileHits,
    is_cyclonedx,
    read_config,
    read_notebook,
    read_python,
)
from aiwarden.bom.hashing import FileDigest, HashLimitError, sha256_file
from aiwarden.bom.model import Inventory
from aiwarden.core.formats import FileFormat
from aiwarden.engine._fs import read_regular_file
from aiwarden.engine.classify import classify_file
from aiwarden.engine.discovery import DiscoveredFile, discover

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""Largest Python, notebook, config or prompt file read for references."""
_CONFIG_KINDS = {FileFormat.JSON: "json", FileFormat.YAML: "yaml", FileFormat.TOML: "text"}


@dataclass(frozen=True, slots=True)
class InventoryOptions:
    """How to walk: gitignore-style ``exclude`` patterns, ``.gitignore`` on or off, and
    whether to list software dependencies (through the dependency analyzer)."""

    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    dependencies: bool = True
    max_text_bytes: int = MAX_TEXT_BYTES
    max_hash_bytes: int | None = None
    hash_workers: int = min(8, os.cpu_count() or 1)


def build_inventory(root: Path, options: InventoryOptions | None = None) -> Inventory:
    """The inventory of the directory ``root`` (raises ``UsageError`` if it is missing)."""
    options = options or InventoryOptions()
    root = Path(root).absolute()
    discovery = discover(
        [root], root, exclude=options.exclude, respect_gitignore=options.respect_gitignore
    )
    collector = Collector(root)
    for failed in discovery.failed:
        collector.note(f"{failed.path}: not read: {failed.reason}")
    pending: list[_Pending] = []
    for found in discovery.files:
        _add_file(collector, found, options, pending)
    _hash_pending(collector, pending, options)
    collector.finish_savedmodels(discovery.files, lambda p: _hash(p, options))
    libraries = None
    if options.dependencies:
        libraries, note = project_libraries(root)
        if note:
            collector.note(note)
    return collector.inventory(root.name or str(root), libraries)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A model or data file to hash once the walk is done."""

    kind: str  # "model" or "dataset"
    found: DiscoveredFile
    fmt: str


def _hash_pending(collector: Collector, pending: list[_Pending], options: InventoryOptions) -> None:
    """Hash the model and data files, several at a time (hashlib releases the GIL), and
    record them in walk order so the output does not depend on thread timing."""

    def digest(item: _Pending) -> FileDigest | str:
        try:
            return _hash(item.found.path, options)
        except (OSError, HashLimitError) as exc:
            return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)

    workers = max(1, min(options.hash_workers, len(pending)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for item, result in zip(pending, pool.map(digest, pending), strict=True):
            if isinstance(result, str):
                collector.note(f"{item.found.relpath}: not hashed: {result}")
            elif item.kind == "model":
                collector.model(item.found.relpath, item.fmt, result.sha256, result.size)
            else:
                collector.dataset(item.found.relpath, item.fmt, result.sha256, result.size)


def _add_file(
    collector: Collector,
    found: DiscoveredFile,
    options: InventoryOptions,
    pending: list[_Pending],
) -> None:
    name = PurePosixPath(found.relpath).name
    try:
        fmt = classify_file(found.path, name)
        if _add_binary(collector, found, name, fmt, options, pending):
            return
        _add_text(collector, found, fmt, options)
    except (OSError, HashLimitError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        collector.note(f"{found.relpath}: not read: {reason}")


def _add_binary(
    collector: Collector,
    found: DiscoveredFile,
    name: str,
    fmt: FileFormat,
    options: InventoryOptions,
    pending: list[_Pending],
) -> bool:
    """Record a model, LFS pointer, dataset or prompt file; True when it was one (model
    and data files are queued in ``pending`` for hashing)."""
    model = formats.model_format(found.path, name, fmt)
    if model == "tensorflow-savedmodel":
        collector.savedmodel(found.relpath)
        return True
    if model is not None:
        pending.append(_Pending("model", found, model))
        return True
    pointer = formats.lfs_pointer(found.path, name, fmt)
    if pointer is not None:
        collector.lfs_model(found.relpath, pointer)
        return True
    data = formats.dataset_format(found.relpath, fmt)
    if data is not None:
        pending.append(_Pending("dataset", found, data))
        return True
    kind = formats.prompt_kind(found.relpath)
    if kind is not None and fmt.is_text:
        raw = read_regular_file(found.path, options.max_text_bytes)
        collector.prompt_file(found.relpath, kind, raw)
    return False  # a prompt file can still be a config (a .yaml under prompts/)


def _add_text(
    collector: Collector, found: DiscoveredFile, fmt: FileFormat, options: InventoryOptions
) -> None:
    kind = _text_kind(found.relpath, fmt)
    if kind is None:
        return
    text = _read_text(found, options)
    if text is None:
        collector.note(f"{found.relpath}: not read: larger than {options.max_text_bytes} bytes")
        return
    hits: FileHits
    if kind == "python":
        hits = read_python(text, found.relpath)
    elif kind == "notebook":
        hits = read_notebook(text, found.relpath)
    elif is_cyclonedx(text):
        return  # a committed BOM is not a source of references
    else:
        hits = read_config(text, found.relpath, kind)
    collector.file_hits(found.relpath, hits)


def _text_kind(relpath: str, fmt: FileFormat) -> str | None:
    if fmt is FileFormat.PYTHON:
        return "python"
    if fmt is FileFormat.NOTEBOOK:
        return "notebook"
    if fmt in _CONFIG_KINDS:
        return _CONFIG_KINDS[fmt]
    name = PurePosixPath(relpath).name.lower()
    if fmt is FileFormat.TEXT and (name.startswith(".env") or name.endswith((".ini", ".cfg"))):
        return "text"
    return None


def _read_text(found: DiscoveredFile, options: InventoryOptions) -> str | None:
    try:
        raw = read_regular_file(found.path, options.max_text_bytes)
    except OSError as exc:
        if "larger than" in str(exc):
            return None
        raise
    return raw.decode("utf-8", errors="replace")


def _hash(path: Path, options: InventoryOptions) -> FileDigest:
    return sha256_file(path, max_bytes=options.max_hash_bytes)
