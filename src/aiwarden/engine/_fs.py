"""Bounded, hang-free reads of files that may be hostile.

Opening a FIFO for reading blocks until a writer appears, and a device file may never
end. Every read in the engine goes through :func:`open_regular`, which opens without
blocking and refuses anything that is not a regular file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: Path) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without blocking; return the descriptor and its stat.

    Raise :class:`OSError` if it cannot be opened or is not a regular file (the
    descriptor is closed in that case).
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_at_most(fd: int, limit: int) -> bytes:
    """Read from the current position until EOF or ``limit`` bytes, whichever is first."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_regular_file(path: Path, limit: int) -> bytes:
    """Read a whole regular file of at most ``limit`` bytes.

    Raise :class:`OSError` if the file cannot be read, is not a regular file, or is
    larger than ``limit`` (``EFBIG``).
    """
    fd, info = open_regular(path)
    try:
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"file is larger than {limit} bytes", str(path))
        data = read_at_most(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"file is larger than {limit} bytes", str(path))
    return data
