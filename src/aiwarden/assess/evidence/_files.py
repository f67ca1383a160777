"""Bounded file access and path scoping shared by the machine evidence checks.

Reads never follow a symlink (no component of the path below the scan root may be
one), never block on a FIFO or device, and stop at a byte limit. Paths are the scan-root
relative POSIX paths of :class:`~aiwarden.assess.evidence.interface.ProjectView`.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.engine._fs import open_regular, read_at_most

MAX_HEAD: Final = 256 * 1024
"""Bytes of a source or configuration file that checks read."""
MAX_DIR_ENTRIES: Final = 500
"""Entries listed per directory outside the project view (ancestor CI directories)."""

INCIDENTAL_DIRS: Final = frozenset(
    {
        "fixtures",
        "testdata",
        "test_data",
        "examples",
        "example",
        "samples",
        "sample",
        "benchmarks",
        "docs",
        "node_modules",
        "site-packages",
        "dist-packages",
        "__pycache__",
        "venv",
        ".venv",
        "env",
        ".tox",
        ".nox",
        "build",
        "dist",
    }
)
"""Directories whose files are not the project's own artefacts (test data, examples)."""
TEST_DIRS: Final = frozenset({"tests", "test", "__tests__", "testing"})


def incidental(project: ProjectView, relpath: str, *, tests: bool = True) -> bool:
    """True if ``relpath`` lies in test data, examples, vendored or build directories.

    ``tests`` also counts ``tests/`` directories as incidental. The assessed directory's
    own path does not count: assessing ``examples/bot`` looks at that project.
    """
    parts = [p.lower() for p in PurePosixPath(project.local(relpath)).parts[:-1]]
    skipped = INCIDENTAL_DIRS | TEST_DIRS if tests else INCIDENTAL_DIRS
    return any(p in skipped or p.endswith(".egg-info") for p in parts)


def own_files(project: ProjectView, *, tests: bool = True) -> list[str]:
    """The view's files that are the project's own (see :func:`incidental`)."""
    return [f for f in project.files if not incidental(project, f, tests=tests)]


def safe_path(root: Path, relpath: str) -> Path | None:
    """``root/relpath`` if no component below ``root`` is a symlink or ``..``."""
    parts = PurePosixPath(relpath).parts
    if not parts or any(p in ("..", "") for p in parts) or PurePosixPath(relpath).is_absolute():
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return None
    return current


def read_head(root: Path, relpath: str, limit: int = MAX_HEAD) -> bytes | None:
    """At most ``limit`` bytes of the regular file ``root/relpath``; None if unreadable."""
    path = safe_path(root, relpath)
    if path is None:
        return None
    try:
        fd, _ = open_regular(path)
    except OSError:
        return None
    try:
        return read_at_most(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_text_head(project: ProjectView, relpath: str, limit: int = MAX_HEAD) -> str | None:
    """The first ``limit`` bytes of a file as text (UTF-8, errors replaced)."""
    data = read_head(project.root, relpath, limit)
    return None if data is None else data.decode("utf-8", errors="replace")


def ancestor_dirs(project: ProjectView) -> list[str]:
    """Scan-root relative directories above the assessed one, nearest first (``""`` last)."""
    if not project.prefix:
        return []
    parts = PurePosixPath(project.prefix.rstrip("/")).parts
    return ["/".join(parts[:i]) for i in range(len(parts) - 1, -1, -1)]


def join(directory: str, name: str) -> str:
    """``directory/name`` as a relpath (``name`` alone at the root)."""
    return f"{directory}/{name}" if directory else name


def existing_file(project: ProjectView, relpath: str) -> bool:
    """True if ``relpath`` is a regular file reached without symlinks."""
    path = safe_path(project.root, relpath)
    return path is not None and path.is_file()


def list_files(project: ProjectView, reldir: str) -> list[str]:
    """Regular files directly in ``reldir`` (bounded, sorted, no symlinks)."""
    path = safe_path(project.root, reldir) if reldir else project.root
    if path is None:
        return []
    names: list[str] = []
    try:
        with os.scandir(path) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_DIR_ENTRIES:
                    break
                if entry.is_file(follow_symlinks=False):
                    names.append(join(reldir, entry.name))
    except OSError:
        return []
    return sorted(names)


def shown(items: list[str], limit: int = 5) -> str:
    """A short comma-separated list (``a, b, c and 4 more``)."""
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 file`` / ``3 files``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
