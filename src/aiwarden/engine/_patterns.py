"""Gitignore-style path patterns (``exclude``, ``per-path-ignores``, config suppressions).

``pathspec`` is imported on the first pattern compiled, not with the engine: a scan
with no exclude patterns and ``--no-gitignore`` never needs it.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def _spec(lines: list[str] | tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # deferred: ~10 ms to import

    return GitIgnoreSpec.from_lines(lines)


@functools.lru_cache(maxsize=256)
def compile_patterns(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    """Compile gitignore-style ``patterns``; raise :class:`ValueError` naming a bad one."""
    for pattern in patterns:
        try:
            _spec([pattern])
        except (ValueError, re.error) as exc:
            raise ValueError(f"invalid path pattern {pattern!r}: {exc}") from None
    return _spec(patterns)


def compile_lenient(lines: list[str]) -> GitIgnoreSpec:
    """Compile the lines of a ``.gitignore`` file, dropping lines git would not accept."""
    try:
        return _spec(lines)
    except (ValueError, re.error):
        kept = [line for line in lines if _is_valid(line)]
        return _spec(kept)


def _is_valid(line: str) -> bool:
    try:
        _spec([line])
    except (ValueError, re.error):
        return False
    return True


def matches(patterns: tuple[str, ...], relpath: str, *, is_dir: bool = False) -> bool:
    """True if the POSIX ``relpath`` matches ``patterns`` (last matching pattern wins)."""
    spec = compile_patterns(patterns)
    return spec.match_file(relpath + "/" if is_dir else relpath)
