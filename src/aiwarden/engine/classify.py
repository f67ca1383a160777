"""Classification of files by content (magic bytes) first and by name second.

Nothing here executes or imports what it reads: the pickle heuristic only parses
opcodes with :func:`pickletools.genops`, which decodes arguments and never runs them.
Reads are bounded to :data:`HEAD_BYTES` at the start and :data:`TAIL_BYTES` at the end.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from aiwarden.core.formats import FileFormat
from aiwarden.engine._fs import open_regular, read_at_most

if TYPE_CHECKING:  # pickletools loads when a file may be a protocol 0/1 pickle
    import pickletools

HEAD_BYTES = 4096
"""How many bytes from the start of a file classification looks at."""
TAIL_BYTES = 65_557
"""How many bytes from the end: a zip end-of-central-directory record plus its longest comment."""

_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_SIZE = 22
_HDF5 = b"\x89HDF\r\n\x1a\n"
_HDF5_OFFSETS = (512, 1024, 2048)
_ZLIB_LEVELS = frozenset({0x01, 0x5E, 0x9C, 0xDA})
_MIN_PICKLE_OPS = 3

_SIMPLE_MAGIC: tuple[tuple[int, bytes, FileFormat], ...] = (
    (0, _ZIP_LOCAL, FileFormat.ZIP),
    (0, _ZIP_EOCD, FileFormat.ZIP),  # an empty zip archive
    (0, b"\x1f\x8b", FileFormat.GZIP),
    (0, b"\xfd7zXZ\x00", FileFormat.XZ),
    (0, _HDF5, FileFormat.HDF5),
    (0, b"\x93NUMPY", FileFormat.NUMPY),
    (0, b"GGUF", FileFormat.GGUF),
    (257, b"ustar", FileFormat.TAR),
    (4, b"TFL3", FileFormat.TFLITE),
)

_EXTENSIONS: dict[str, FileFormat] = {
    ".onnx": FileFormat.ONNX,
    ".pb": FileFormat.PROTOBUF,
    ".py": FileFormat.PYTHON,
    ".pyi": FileFormat.PYTHON,
    ".ipynb": FileFormat.NOTEBOOK,
    ".json": FileFormat.JSON,
    ".yaml": FileFormat.YAML,
    ".yml": FileFormat.YAML,
    ".toml": FileFormat.TOML,
    ".md": FileFormat.MARKDOWN,
    ".markdown": FileFormat.MARKDOWN,
    ".mdc": FileFormat.MARKDOWN,
    ".dockerfile": FileFormat.DOCKERFILE,
}
_DOCKERFILE_NAMES = ("dockerfile", "containerfile")


def classify_bytes(name: str, head: bytes, tail: bytes, size: int) -> FileFormat:
    """Classify a file from its first bytes, its last bytes, its size and its name.

    ``head`` holds up to :data:`HEAD_BYTES` from the start, ``tail`` up to
    :data:`TAIL_BYTES` from the end (the same bytes as ``head`` for small files).
    Content wins over the name: a pickle named ``.txt`` is :attr:`FileFormat.PICKLE`.
    """
    if size == 0:
        return FileFormat.EMPTY
    for check in _CONTENT_CHECKS:
        found = check(head, tail, size)
        if found is not None:
            return found
    base = PurePosixPath(name.replace("\\", "/")).name
    if _short_pickle_with_pickle_name(base, head, tail, size):
        return FileFormat.PICKLE
    by_name = _classify_name(base, head)
    if by_name is not None:
        return by_name
    return FileFormat.TEXT if _is_text(head) else FileFormat.BINARY


def classify_views(path: Path, name: str | None = None) -> tuple[FileFormat, ...]:
    """Every format the file at ``path`` can be read as: its classification, plus ZIP
    when a zip directory sits at its end under some other format (a polyglot).

    ``zipfile``-based loaders (Keras, many model hubs' helpers) read such a file as the
    zip at its end while a scanner that trusts the first bytes sees, say, a harmless
    pickle; both views are analysed. Raise :class:`OSError` if the file is unreadable.
    """
    head, tail, size = _read_ends(path)
    fmt = classify_bytes(name if name is not None else path.name, head, tail, size)
    if fmt in (FileFormat.ZIP, FileFormat.EMPTY):
        return (fmt,)
    if _zip_end_record(b"", tail, size) is FileFormat.ZIP:
        return (fmt, FileFormat.ZIP)
    return (fmt,)


def classify_file(path: Path, name: str | None = None) -> FileFormat:
    """Classify the file at ``path`` (named ``name``, default its file name).

    Reads at most :data:`HEAD_BYTES` + :data:`TAIL_BYTES` bytes and never blocks on a
    special file. Raise :class:`OSError` if the file cannot be read or is not regular.
    """
    head, tail, size = _read_ends(path)
    return classify_bytes(name if name is not None else path.name, head, tail, size)


def _read_ends(path: Path) -> tuple[bytes, bytes, int]:
    """The first :data:`HEAD_BYTES`, the last :data:`TAIL_BYTES` and the size of a file.

    One open serves both the classification and the polyglot check of
    :func:`classify_views`: the tail it reads is the same range a second read would get.
    """
    fd, info = open_regular(path)
    try:
        head = read_at_most(fd, HEAD_BYTES)
        size = max(info.st_size, len(head))
        if size <= len(head):
            tail = head
        else:
            os.lseek(fd, max(0, size - TAIL_BYTES), os.SEEK_SET)
            tail = read_at_most(fd, TAIL_BYTES)
    finally:
        os.close(fd)
    return head, tail, size


def _simple_magic(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    for offset, magic, fmt in _SIMPLE_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return fmt
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[3:4] != b"0":
        return FileFormat.BZIP2
    return None


def _safetensors(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    if len(head) < 9 or head[8:9] != b"{":
        return None
    (header_len,) = struct.unpack("<Q", head[:8])
    return FileFormat.SAFETENSORS if 2 <= header_len <= size - 8 else None


def _pickle_protocol_2_to_5(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return FileFormat.PICKLE
    return None


def _hdf5_user_block(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    for offset in _HDF5_OFFSETS:
        if head[offset : offset + len(_HDF5)] == _HDF5:
            return FileFormat.HDF5
    return None


def _zip_end_record(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    """A zip whose end-of-central-directory record sits at the end, whatever precedes it."""
    pos = tail.rfind(_ZIP_EOCD)
    while pos != -1:
        record = tail[pos : pos + _ZIP_EOCD_SIZE]
        if len(record) == _ZIP_EOCD_SIZE:
            (comment_len,) = struct.unpack("<H", record[20:22])
            if pos + _ZIP_EOCD_SIZE + comment_len == len(tail):
                return FileFormat.ZIP
        pos = tail.rfind(_ZIP_EOCD, 0, pos)
    return None


def _pickle_protocol_0_1(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    if tail[-1:] != b"." or not _parses_as_pickle(head, truncated=size > len(head)):
        return None
    return FileFormat.PICKLE


_PICKLE_SUFFIXES = (".pkl", ".pickle", ".pck", ".joblib", ".pt", ".pth", ".ckpt", ".dill")


def _short_pickle_with_pickle_name(name: str, head: bytes, tail: bytes, size: int) -> bool:
    """A protocol 0/1 pickle too short for the content heuristic (``I1\\n.``), named as one.

    The name only breaks the tie for content that also parses as a complete pickle.
    """
    if not name.lower().endswith(_PICKLE_SUFFIXES) or tail[-1:] != b".":
        return False
    return _parses_as_pickle(head, truncated=size > len(head), min_ops=1)


def _zlib(head: bytes, tail: bytes, size: int) -> FileFormat | None:
    if len(head) < 2 or head[0] != 0x78 or head[1] not in _ZLIB_LEVELS:
        return None
    if (head[0] * 256 + head[1]) % 31 != 0 or _is_text(head):
        return None
    return FileFormat.ZLIB


_CONTENT_CHECKS: tuple[Callable[[bytes, bytes, int], FileFormat | None], ...] = (
    _simple_magic,
    _safetensors,
    _pickle_protocol_2_to_5,
    _hdf5_user_block,
    _zip_end_record,
    _pickle_protocol_0_1,
    _zlib,
)


def _parses_as_pickle(head: bytes, *, truncated: bool, min_ops: int = _MIN_PICKLE_OPS) -> bool:
    """True if ``head`` parses as a well-formed protocol 0/1 pickle opcode stream.

    Opcodes are only decoded (never executed), and their stack effects are checked
    the way :func:`pickletools.dis` checks them, so that text which happens to start
    with opcode letters ("cat\\ndog\\n.") is rejected. A stream cut off by the end of
    ``head`` counts when ``truncated`` and enough opcodes parsed before the cut.
    """
    import pickletools  # decodes only; loaded the first time a file might be a pickle

    depth, count = 0, 0
    marks: list[int] = []
    try:
        for opcode, _arg, _pos in pickletools.genops(io.BytesIO(head)):
            depth = _apply_stack_effect(opcode, depth, marks, pickletools.markobject)
            if depth < 0:
                return False
            count += 1
            if opcode.name == "STOP":
                return count >= min_ops and depth == 0 and not marks
    except Exception as exc:  # hostile bytes may raise anything while decoding
        return truncated and count >= min_ops and "unknown" not in str(exc)
    return False


def _apply_stack_effect(
    opcode: pickletools.OpcodeInfo, depth: int, marks: list[int], mark: pickletools.StackObject
) -> int:
    """The stack depth after ``opcode``, or -1 if it would underflow the stack or marks.

    ``mark`` is ``pickletools.markobject`` (passed in: pickletools is imported lazily).
    """
    before, after = opcode.stack_before, opcode.stack_after
    if mark in before:
        if not marks:
            return -1
        depth = marks.pop()
        below = before.index(mark)
    else:
        below = len(before)
    if depth < below:
        return -1
    depth -= below
    if mark in after:
        marks.append(depth)
        return depth
    return depth + len(after)


def _classify_name(name: str, head: bytes) -> FileFormat | None:
    lower = name.lower()
    if lower == "saved_model.pb":
        return FileFormat.PROTOBUF
    if lower in _DOCKERFILE_NAMES or lower.startswith(("dockerfile.", "containerfile.")):
        return FileFormat.DOCKERFILE
    suffix = PurePosixPath(lower).suffix
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if not suffix and _has_python_shebang(head):
        return FileFormat.PYTHON
    return None


def _has_python_shebang(head: bytes) -> bool:
    if not head.startswith(b"#!"):
        return False
    first_line = head.split(b"\n", 1)[0]
    return b"python" in first_line


def _is_text(head: bytes) -> bool:
    """True if ``head`` is UTF-8 without NUL bytes (a character cut at the end is allowed)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character split by the HEAD_BYTES cut is still text.
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True
