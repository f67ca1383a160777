"""Argument types: paths, number ranges and case-insensitive choices.

Each converts one command-line string or raises ``ArgumentTypeError``, which the parser
reports as a one-line usage error naming the option. The checks are the ones the
command line has always made: a path need not exist, but one that does must be
readable and of the right kind (``-o`` cannot be a directory); a number must be in
its range.
"""

from __future__ import annotations

import os
import stat
from argparse import ArgumentTypeError
from collections.abc import Callable, Sequence
from pathlib import Path


def _checked_path(value: str, *, file_okay: bool, dir_okay: bool) -> Path:
    """``value`` as a path; if it exists, it must be of an allowed kind and readable."""
    name = "File" if not dir_okay else "Directory" if not file_okay else "Path"
    try:
        st = os.stat(value)  # noqa: PTH116 -- the string as given: Path("") would be "."
    except OSError:  # a path that does not exist (yet) is the command's business
        return Path(value)
    if not file_okay and stat.S_ISREG(st.st_mode):
        raise ArgumentTypeError(f"{name} {value!r} is a file")
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        raise ArgumentTypeError(f"{name} {value!r} is a directory")
    if not os.access(value, os.R_OK):
        raise ArgumentTypeError(f"{name} {value!r} is not readable")
    return Path(value)


def any_path(value: str) -> Path:
    """A file or directory path (``PATH``)."""
    return _checked_path(value, file_okay=True, dir_okay=True)


def file_path(value: str) -> Path:
    """A path that must not be an existing directory (``FILE``: a config, a report)."""
    return _checked_path(value, file_okay=True, dir_okay=False)


def directory_path(value: str) -> Path:
    """A path that must not be an existing file (``DIRECTORY``)."""
    return _checked_path(value, file_okay=False, dir_okay=True)


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An integer ``>= minimum`` (``-j 0`` is an error, not "no workers")."""

    def convert(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ArgumentTypeError(f"{value!r} is not a valid integer") from None
        if number < minimum:
            raise ArgumentTypeError(f"{number} is not in the range x>={minimum}")
        return number

    return convert


def float_range(
    low: float, high: float | None = None, *, low_open: bool = False
) -> Callable[[str], float]:
    """A number ``>= low`` (``> low`` when ``low_open``) and, given ``high``, ``<= high``."""
    described = f"x{'>' if low_open else '>='}{low}"
    if high is not None:
        described = f"{low}{'<' if low_open else '<='}x<={high}"

    def convert(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ArgumentTypeError(f"{value!r} is not a valid float") from None
        too_low = number <= low if low_open else number < low
        if too_low or (high is not None and number > high):
            raise ArgumentTypeError(f"{number} is not in the range {described}")
        return number

    return convert


def choice_ignoring_case(names: Sequence[str]) -> Callable[[str], str]:
    """One of ``names``, in any case; the name is returned as written in ``names``."""
    by_folded = {name.casefold(): name for name in names}

    def convert(value: str) -> str:
        try:
            return by_folded[value.casefold()]
        except KeyError:
            choices = ", ".join(repr(name) for name in names)
            raise ArgumentTypeError(f"invalid choice: {value!r} (choose from {choices})") from None

    return convert


def choices_metavar(names: Sequence[str]) -> str:
    """How help shows a choice: ``{a,b,c}``, as argparse does for ``choices``."""
    return "{" + ",".join(names) + "}"
