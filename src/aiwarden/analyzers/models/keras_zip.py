"""Keras v3 archives (``.keras``): a zip with ``config.json``, ``metadata.json`` and weights.

Only the central directory, ``config.json`` and the HDF5 object headers of the weights
files are read. ``assets/`` and ``metadata.json`` are not interpreted here (pickle data
in any member is still found by the pickle analyzer, which reads every zip member).
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import LimitExceeded, Limits
from aiwarden.analyzers.models._keras_config import (
    MAX_CONFIG_BYTES,
    parse_config,
    shape_issue,
    walk_config,
)
from aiwarden.analyzers.models._keras_h5_lite import plain_structure
from aiwarden.analyzers.models._keras_isolate import Located, run_isolated
from aiwarden.analyzers.models._keras_issue import Issue
from aiwarden.analyzers.models._keras_rules import ARCHIVE_ANOMALY

if TYPE_CHECKING:
    import h5py

    from aiwarden.analyzers.models import _keras_h5 as h5
else:  # imported on first use: most scans hold no HDF5 file
    h5py = lazy_import("h5py", before_fork=False)
    h5 = lazy_import("aiwarden.analyzers.models._keras_h5", before_fork=False)

CONFIG = "config.json"
METADATA = "metadata.json"
_LOCAL_HEADER_SIZE = 30
WEIGHTS = frozenset({"model.weights.h5", "model.weights.npz", "model.weights.json"})


def is_keras_names(names: list[str]) -> bool:
    """True if a zip's member names are those of a Keras v3 archive."""
    markers = {METADATA, *WEIGHTS}
    has_marker = any(n in markers or is_weights_h5(n) for n in names)
    return has_marker or names == [CONFIG]


def is_weights_h5(name: str) -> bool:
    """A root-level (possibly sharded) ``*.weights.h5`` member."""
    return "/" not in name and name.endswith(".weights.h5")


def _anomaly(message: str, key: str) -> Issue:
    return Issue(ARCHIVE_ANOMALY, message, evidence=message[:300], key=key)


def archive_issues(path: str, relpath: str, limits: Limits) -> Iterator[Located]:
    """Issues for the Keras v3 archive at ``path``; LimitExceeded at a bound."""
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # hostile bytes: any parser error is a finding
        yield None, _anomaly(f"Keras archive could not be opened as a zip: {exc}", "zip-open")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_archive_members:
            raise LimitExceeded("max_archive_members", limits.max_archive_members, relpath)
        yield from _config_issues(archive, infos)
        weights = [i.filename for i in infos if is_weights_h5(i.filename)]
    weights = [name for name in dict.fromkeys(weights) if not _plain_weights(path, name)]
    if weights:
        h5.is_keras  # noqa: B018 - load h5py here once, not in every forked child
    for name in weights:
        produce = functools.partial(_weights_issues, path, name)
        yield from run_isolated(
            produce,
            f"`{name}` in the Keras archive",
            limits.timeout_s,
            in_disposable_process=limits.in_disposable_process,
        )


def _config_issues(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Iterator[Located]:
    configs = [i for i in infos if i.filename == CONFIG]
    if not configs:
        present = ", ".join(sorted({i.filename for i in infos} & {METADATA, *WEIGHTS}))
        yield (
            None,
            _anomaly(
                f"Keras archive has no `{CONFIG}` but holds {present or 'weights'}; what loading "
                "it would build cannot be checked.",
                "zip-no-config",
            ),
        )
        return
    if len(configs) > 1:
        yield (
            CONFIG,
            _anomaly(
                f"Keras archive stores `{CONFIG}` {len(configs)} times; zip readers disagree on "
                "which copy is used (every copy is checked).",
                "zip-duplicate-config",
            ),
        )
    for info in configs:
        data = _read_member(archive, info)
        if isinstance(data, Issue):
            yield CONFIG, data
            continue
        yield from ((CONFIG, issue) for issue in _parsed_issues(data))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | Issue:
    if info.file_size > MAX_CONFIG_BYTES:
        detail = f"{CONFIG} declares {info.file_size} bytes"
        raise LimitExceeded("max_config_bytes", MAX_CONFIG_BYTES, detail)
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except Exception as exc:  # CRC, decompression, encryption: fail closed
        return _anomaly(f"`{CONFIG}` could not be read from the archive: {exc}", "zip-read")
    if len(data) > MAX_CONFIG_BYTES:
        raise LimitExceeded("max_config_bytes", MAX_CONFIG_BYTES, f"{CONFIG} inflates past it")
    return data


def _parsed_issues(data: bytes) -> Iterator[Issue]:
    config, problem = parse_config(data, CONFIG)
    if problem is not None:
        yield problem
        return
    assert isinstance(config, dict)
    shape = shape_issue(CONFIG, config)
    if shape is not None:
        yield shape
    yield from walk_config(config, CONFIG)


def _open_member(archive: zipfile.ZipFile, path: str, name: str) -> BinaryIO:
    """A seekable view of a member: direct file access for stored members.

    ``ZipExtFile`` seeks forward by reading (and CRC-ing) every byte, which makes HDF5
    header reads at the end of a large weights file cost the whole file.
    """
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
        return cast(BinaryIO, archive.open(info))
    handle = Path(path).open("rb")  # noqa: SIM115 - closed by the returned window
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER_SIZE)
    if len(header) != _LOCAL_HEADER_SIZE or header[:4] != b"PK\x03\x04":
        handle.close()
        raise zipfile.BadZipFile(f"bad local header for {name}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = info.header_offset + _LOCAL_HEADER_SIZE + name_len + extra_len
    return cast(BinaryIO, _Window(handle, start, info.file_size))


class _Window(io.RawIOBase):
    """Read-only, seekable bytes ``[start, start + size)`` of an open file."""

    def __init__(self, handle: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._handle, self._start, self._size, self._pos = handle, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        count = max(0, min(len(view), self._size - self._pos))
        self._handle.seek(self._start + self._pos)
        data = self._handle.read(count)
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        self._handle.close()
        super().close()


MAX_INFLATED_WEIGHTS = 16 * 1024 * 1024
"""A compressed weights member up to this size is inflated in memory for the HDF5 reader."""


def _plain_weights(path: str, name: str) -> bool:
    """True when ``name`` is a plain HDF5 file with nothing to report (no h5py needed)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(name)
            if info.compress_type == zipfile.ZIP_STORED and not info.flag_bits & 0x1:
                with _open_member(archive, path, name) as member:
                    return plain_structure(member)
            if info.flag_bits & 0x1 or info.file_size > MAX_INFLATED_WEIGHTS:
                return False  # no cheap random access: h5py reads it, as before
            with archive.open(info) as member:
                data = member.read(MAX_INFLATED_WEIGHTS + 1)
            return len(data) <= MAX_INFLATED_WEIGHTS and plain_structure(io.BytesIO(data))
    except Exception:  # unreadable here: the h5py path reads it and reports why
        return False


def _weights_issues(path: str, name: str) -> Iterator[Located]:
    try:
        with (
            zipfile.ZipFile(path) as archive,
            _open_member(archive, path, name) as member,
            h5py.File(member, "r") as handle,
        ):
            for issue in h5.structure_issues(handle, f"`{name}`"):
                yield name, issue
    except LimitExceeded:
        raise
    except Exception as exc:  # a corrupt weights file is reported, never passed
        yield (
            name,
            _anomaly(
                f"Weights file `{name}` in the Keras archive could not be read as HDF5: "
                f"{str(exc)[:160]}",
                f"zip-weights:{PurePosixPath(name).name}",
            ),
        )
