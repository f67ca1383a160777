"""Comparing the model files a BOM lists with the files on disk, within bounds.

Paths are resolved under a base directory and never outside it (``..``, absolute paths
and symlinks that leave it are refused). A size that differs from the recorded one is
a change without hashing; otherwise the file is hashed, streamed, against a byte
budget. A Git LFS pointer is compared through the SHA-256 it records.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.analyzers.bom_drift.document import ListedModel
from aiwarden.analyzers.interface import LimitExceeded
from aiwarden.bom import _formats as formats
from aiwarden.bom.hashing import sha256_file, sha256_manifest
from aiwarden.core.formats import FileFormat
from aiwarden.engine.classify import classify_file
from aiwarden.engine.discovery import DiscoveredFile, discover


@dataclass(frozen=True, slots=True)
class DriftLimits:
    """Bounds on one BOM's comparison; reaching one raises ``LimitExceeded``."""

    max_models: int = 5_000
    max_hash_bytes: int = 16 * 1024**3
    max_walk_files: int = 50_000


@dataclass(frozen=True, slots=True)
class Drift:
    """One disagreement: ``kind`` is changed, missing, unlisted or outside."""

    kind: str
    path: str
    detail: str


@dataclass(slots=True)
class _Budget:
    left: int

    def take(self, size: int) -> None:
        """Spend ``size`` bytes of the hashing budget, or raise ``LimitExceeded``."""
        if size > self.left:
            raise LimitExceeded("bom_hash_bytes", self.left, "model bytes to hash")
        self.left -= size


_LFS_HEAD: Final = 1024


def choose_base(bom_dir: Path, scan_root: Path, listed: list[ListedModel]) -> Path:
    """The BOM's directory, or the nearest ancestor (up to the scan root) where the
    listed paths exist (a BOM kept in ``docs/`` that lists ``models/x.pt``)."""
    candidates = [bom_dir]
    if bom_dir.is_relative_to(scan_root):
        candidates += [p for p in bom_dir.parents if p.is_relative_to(scan_root)]
    for base in candidates:
        if any(_exists(resolve(base, model.path)) for model in listed[:100]):
            return base
    return bom_dir


def _exists(path: Path | None) -> bool:
    return path is not None and path.exists()


def resolve(base: Path, relpath: str) -> Path | None:
    """``relpath`` under ``base``, or None if it is absolute or leaves ``base``."""
    pure = PurePosixPath(relpath.replace("\\", "/"))
    if pure.is_absolute() or not relpath or ":" in pure.parts[0]:
        return None
    joined = Path(os.path.normpath(base / pure))
    if not joined.is_relative_to(base):
        return None
    try:
        real = joined.resolve()
    except (OSError, RuntimeError):
        return None
    return joined if real.is_relative_to(base.resolve()) else None


def compare(
    base: Path, listed: list[ListedModel], *, check_unlisted: bool, limits: DriftLimits
) -> Iterator[Drift]:
    """Every disagreement between ``listed`` and the files under ``base``."""
    if len(listed) > limits.max_models:
        raise LimitExceeded("bom_models", limits.max_models, "models listed in the BOM")
    budget = _Budget(limits.max_hash_bytes)
    for model in listed:
        yield from _check_listed(base, model, budget, limits)
    if check_unlisted:
        yield from _unlisted(base, listed, limits)


def _check_listed(
    base: Path, model: ListedModel, budget: _Budget, limits: DriftLimits
) -> Iterator[Drift]:
    target = resolve(base, model.path)
    if target is None:
        yield Drift("outside", model.path, "the path points outside the project")
        return
    if not target.exists():
        yield Drift("missing", model.path, "the file is missing")
        return
    actual = (
        _tree_digest(target, budget, limits)
        if model.directory
        else _file_digest(target, model.size, budget)
    )
    if actual != model.sha256:
        yield Drift("changed", model.path, f"SHA-256 is {actual}, the BOM records {model.sha256}")


def _file_digest(path: Path, recorded_size: int | None, budget: _Budget) -> str:
    """The file's SHA-256 (an LFS pointer's oid); a size mismatch short-cuts to a marker."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return "not a regular file"
        if size < _LFS_HEAD:
            pointer = formats.lfs_pointer(path, path.name, classify_file(path))
            if pointer is not None:
                return pointer.sha256
        if recorded_size is not None and size != recorded_size:
            return f"different (size {size} bytes, the BOM records {recorded_size})"
        budget.take(size)
        return sha256_file(path).sha256
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"


def _tree_digest(directory: Path, budget: _Budget, limits: DriftLimits) -> str:
    if not directory.is_dir():
        return "not a directory"
    files = _walk(directory, limits)
    entries = []
    try:
        for found in files:
            budget.take(found.path.stat().st_size)
            entries.append((found.relpath, sha256_file(found.path).sha256))
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return sha256_manifest(entries)


def _walk(base: Path, limits: DriftLimits) -> tuple[DiscoveredFile, ...]:
    files = discover([base], base).files
    if len(files) > limits.max_walk_files:
        raise LimitExceeded("bom_walk_files", limits.max_walk_files, f"files under {base}")
    return files


def _unlisted(base: Path, listed: Iterable[ListedModel], limits: DriftLimits) -> Iterator[Drift]:
    paths = {str(PurePosixPath(m.path.replace("\\", "/"))) for m in listed}
    directories = tuple(m.rstrip("/") + "/" for m in paths)
    for found in _walk(base, limits):
        if found.relpath in paths or found.relpath.startswith(directories):
            continue
        fmt_name = _model_format(found)
        if fmt_name == "tensorflow-savedmodel":
            parent = str(PurePosixPath(found.relpath).parent)
            if parent not in paths:
                yield Drift("unlisted", parent, "a TensorFlow SavedModel directory")
        elif fmt_name is not None:
            yield Drift("unlisted", found.relpath, f"a {fmt_name} model file")


def _model_format(found: DiscoveredFile) -> str | None:
    name = PurePosixPath(found.relpath).name
    try:
        fmt = classify_file(found.path, name)
        model = formats.model_format(found.path, name, fmt)
        if model is None and fmt is FileFormat.TEXT:
            pointer = formats.lfs_pointer(found.path, name, fmt)
            return "Git LFS pointer" if pointer is not None else None
        return model
    except OSError:
        return None
