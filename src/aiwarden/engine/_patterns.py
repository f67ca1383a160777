"""Gitignore-style path patterns (``exclude``, ``per-path-ignores``, config suppressions)."""

from __future__ import annotations

import functools
import re

from pathspec import GitIgnoreSpec


@functools.lru_cache(maxsize=256)
def compile_patterns(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    """Compile gitignore-style ``patterns``; raise :class:`ValueError` naming a bad one."""
    for pattern in patterns:
        try:
            GitIgnoreSpec.from_lines([pattern])
        except (ValueError, re.error) as exc:
            raise ValueError(f"invalid path pattern {pattern!r}: {exc}") from None
    return GitIgnoreSpec.from_lines(patterns)


def compile_lenient(lines: list[str]) -> GitIgnoreSpec:
    """Compile the lines of a ``.gitignore`` file, dropping lines git would not accept."""
    try:
        return GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):
        kept = [line for line in lines if _is_valid(line)]
        return GitIgnoreSpec.from_lines(kept)


def _is_valid(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except (ValueError, re.error):
        return False
    return True


def matches(patterns: tuple[str, ...], relpath: str, *, is_dir: bool = False) -> bool:
    """True if the POSIX ``relpath`` matches ``patterns`` (last matching pattern wins)."""
    spec = compile_patterns(patterns)
    return spec.match_file(relpath + "/" if is_dir else relpath)
