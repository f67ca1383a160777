"""Entry points of one group, found without importing :mod:`importlib.metadata`.

``importlib.metadata`` (with the ``email``, ``zipfile`` and ``socket`` modules it pulls
in) costs more to import than the rest of a small scan; every scan needs only the
entries of one group. :func:`group_entry_points` reads the ``entry_points.txt`` of
each ``*.dist-info`` / ``*.egg-info`` directory on ``sys.path`` itself, following the
standard library's rules step for step: the same directories in the same order, the
first distribution of each normalised name wins, the same line grammar, and
:meth:`EntryPoint.load` imports and resolves the value the same way.

Where those rules stop being simple (a finder on ``sys.meta_path`` other than the
standard ``PathFinder`` that also finds distributions, a zipped path entry, an
``.egg`` directory, a metadata directory whose suffix is not spelled in lower case,
a line the grammar rejects), it hands over to ``importlib.metadata`` itself, which
then gives the exact answer (or raises the exact error) it always did.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import re
import sys
from collections.abc import Iterable, Iterator
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any

_INFO_SUFFIXES = (".dist-info", ".egg-info")
_UNREADABLE = (FileNotFoundError, IsADirectoryError, KeyError, NotADirectoryError, PermissionError)
_VALUE = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"
"""``importlib.metadata.EntryPoint.pattern`` (compiled by ``re``'s cache on first load)."""

if TYPE_CHECKING:
    from typing import Protocol

    class EntryPointLike(Protocol):
        """What the registry needs of an entry point (``importlib.metadata.EntryPoint`` fits)."""

        @property
        def name(self) -> str:
            """The entry's name."""

        @property
        def value(self) -> str:
            """``module[:attr]``."""

        def load(self) -> Any:
            """Import the module and return the named attribute."""


class EntryPoint:
    """One ``name = value`` entry of a group, loaded as ``importlib.metadata`` loads it."""

    __slots__ = ("group", "name", "value")

    def __init__(self, name: str, value: str, group: str) -> None:
        self.name = name
        self.value = value
        self.group = group

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"

    def load(self) -> Any:
        """Import the module and resolve the dotted attribute path (as the stdlib does)."""
        module_name, attr = _split_value(self.value)
        module = importlib.import_module(module_name)
        return reduce(getattr, filter(None, attr.split(".")), module)


def _split_value(value: str) -> tuple[str, str]:
    """(module, attr) as ``EntryPoint.pattern`` matches them ("" for no attr).

    The usual ``package.module:Name`` is split with string methods: two non-empty runs
    of ASCII letters, digits, ``_`` and ``.`` around one colon match the pattern in
    exactly that way. Anything else goes through the pattern itself (compiled once).
    """
    module_name, colon, attr = value.partition(":")
    if colon and _plain(module_name) and _plain(attr):
        return module_name, attr
    match = re.match(_VALUE, value)
    if match is None:  # the stdlib fails here with the same error
        raise AttributeError("'NoneType' object has no attribute 'group'")
    return match.group("module"), match.group("attr") or ""


def _plain(part: str) -> bool:
    return part.isascii() and part.replace(".", "").replace("_", "a").isalnum()


class _Unusual(Exception):
    """The environment needs ``importlib.metadata``'s general machinery."""


def group_entry_points(group: str) -> tuple[EntryPointLike, ...]:
    """Every entry point of ``group``, in ``importlib.metadata.entry_points`` order."""
    try:
        return tuple(_fast(group))
    except _Unusual:
        from importlib.metadata import entry_points

        return tuple(entry_points(group=group))


def _fast(group: str) -> list[EntryPoint]:
    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is None:
            continue
        if finder is not importlib.machinery.PathFinder:
            raise _Unusual
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for info_dir, normalized in _metadata_dirs(sys.path):
        if normalized in seen:
            continue
        seen.add(normalized)
        found.extend(ep for ep in _read_entry_points(info_dir) if ep.group == group)
    return found


def _normalize(name: str) -> str:
    """``importlib.metadata.Prepared.normalize``."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _metadata_dirs(paths: Iterable[object]) -> Iterator[tuple[str, str]]:
    """(metadata directory, normalised name), as ``MetadataPathFinder`` yields them."""
    for root in paths:
        if not isinstance(root, str) or root.lower().endswith(".egg"):
            raise _Unusual
        directory = Path(root)
        try:  # names only: a Path for each of the hundreds of entries costs more
            children = os.listdir(directory)  # noqa: PTH208
        except Exception as exc:
            if directory.exists():  # a zip file: the stdlib reads its members
                raise _Unusual from exc
            continue
        by_name: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if not low.endswith(_INFO_SUFFIXES):
                continue
            if not child.endswith(_INFO_SUFFIXES):  # the stdlib reads METADATA's Name
                raise _Unusual
            normalized = _normalize(low.rpartition(".")[0].partition("-")[0])
            if not normalized:  # no name in the directory's: the stdlib reads METADATA's
                raise _Unusual
            by_name.setdefault(normalized, []).append(os.path.join(root, child))  # noqa: PTH118
        for normalized, dirs in by_name.items():
            for info_dir in dirs:
                yield info_dir, normalized


def _read_entry_points(info_dir: str) -> list[EntryPoint]:
    """The entries of ``info_dir/entry_points.txt`` (``Sectioned.section_pairs``).

    Plain strings and ``open`` rather than ``pathlib``: most of the dozens of metadata
    directories have no such file, and each try should cost one system call.
    """
    try:
        path = os.path.join(info_dir, "entry_points.txt")  # noqa: PTH118
        with open(path, encoding="utf-8") as file:  # noqa: PTH123
            text = file.read()
    except _UNREADABLE:
        return []
    entries: list[EntryPoint] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        if "=" not in line:  # the stdlib raises ValueError: let it
            raise _Unusual
        name, value = line.split("=", 1)
        entries.append(EntryPoint(name.strip(), value.strip(), section))
    return entries
