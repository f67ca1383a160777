"""The one interface every analyzer implements.

An analyzer sees one :class:`Artifact` at a time and yields
:class:`~aiwarden.core.Finding` objects. It never prints, never knows the output
format, and never executes, imports or renders what it reads. When it hits one of
the :class:`Limits` it raises :class:`LimitExceeded`; any other exception is treated
as a crash. The engine turns both into ``AIW-ENG`` findings on the file and marks the
scan incomplete, so an analyzer never needs to swallow errors to keep a scan going.

Analyzers register through the ``aiwarden.checks`` entry-point group::

    [project.entry-points."aiwarden.checks"]
    my-check = "my_package.my_module:MyAnalyzer"
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule

API_VERSION = 1
"""The analyzer API version this engine speaks; plugins declare the one they were built for."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Explicit bounds on what an analyzer may consume for one file.

    Analyzers check these themselves and raise :class:`LimitExceeded`; the engine
    also enforces a wall-clock budget per file (``timeout_s``) from outside.
    """

    timeout_s: float = 60.0
    max_read_bytes: int = 256 * 1024 * 1024
    max_archive_members: int = 10_000
    max_decompressed_bytes: int = 1024 * 1024 * 1024
    max_nesting_depth: int = 8
    max_text_bytes: int = 8 * 1024 * 1024
    in_disposable_process: bool = False
    """True when the analysis runs in a worker process that the engine replaces if it
    crashes (reported as ``AIW-ENG005``) or overruns the budget (``AIW-ENG002``): an
    analyzer then need not isolate a native parser in a process of its own."""


class LimitExceeded(Exception):
    """Raised by an analyzer that stopped because a :class:`Limits` bound was hit."""

    def __init__(self, limit: str, value: int | float, detail: str = "") -> None:
        self.limit = limit
        self.value = value
        self.detail = detail
        text = f"limit {limit}={value} reached"
        super().__init__(f"{text}: {detail}" if detail else text)


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file handed to analyzers.

    ``path`` is the absolute path of the bytes on disk; ``relpath`` the POSIX path of
    the scanned file relative to the scan root, used in every
    :class:`~aiwarden.core.Location`. For a member of an archive that the engine
    expanded, ``path`` is a private temporary copy of the member's bytes and ``member``
    names it inside ``relpath`` (nested archives join names with ``!``:
    ``"inner.tar!model/data.pkl"``). Analyzers read through :meth:`open` or
    :meth:`read_bytes`, and build locations with :meth:`location`, so members and files
    are handled alike.
    """

    path: Path
    relpath: str
    format: FileFormat
    size: int
    member: str | None = None

    def named_but_unrecognised(self, suffix: str) -> bool:
        """True for a file named ``*<suffix>`` whose content matched no known format.

        Analyzers whose format has a weak signature take such files too, so that a
        broken file is reported as broken instead of being passed as "not a model".
        """
        unrecognised = self.format in (FileFormat.BINARY, FileFormat.TEXT, FileFormat.EMPTY)
        return unrecognised and self.name.lower().endswith(suffix)

    @property
    def name(self) -> str:
        """The file or member name (last path component), e.g. ``tokenizer_config.json``."""
        return (self.member or self.relpath).rsplit("!", 1)[-1].rsplit("/", 1)[-1]

    def open(self) -> BinaryIO:
        """Open the file for binary reading (the caller closes it)."""
        return self.path.open("rb")

    def read_bytes(self, limit: int) -> bytes:
        """Read the whole file, or raise :class:`LimitExceeded` if it is over ``limit``."""
        if self.size > limit:
            raise LimitExceeded("max_read_bytes", limit, f"{self.relpath} is {self.size} bytes")
        with self.open() as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise LimitExceeded("max_read_bytes", limit, f"{self.relpath} grew while reading")
        return data

    def read_text(self, limits: Limits) -> str:
        """Read the file as UTF-8 text (undecodable bytes replaced), bounded by ``limits``."""
        return self.read_bytes(limits.max_text_bytes).decode("utf-8", errors="replace")

    def location(
        self,
        line: int | None = None,
        column: int | None = None,
        *,
        offset: int | None = None,
        member: str | None = None,
    ) -> Location:
        """A :class:`~aiwarden.core.Location` in this artifact.

        ``member`` names a part inside this artifact (a zip member of a checkpoint); it
        is joined to the artifact's own member path with ``!``.
        """
        if self.member and member:
            member = f"{self.member}!{member}"
        return Location(
            self.relpath, line=line, column=column, offset=offset, member=member or self.member
        )


class Analyzer(abc.ABC):
    """A check, or a family of checks, over one kind of artefact.

    Subclasses set ``name`` (unique, kebab-case), ``rules`` (every rule they can
    report) and ``formats`` (the file formats they want), and implement
    :meth:`analyze`. Override :meth:`accepts` to select files by more than format.
    """

    name: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]]
    formats: ClassVar[frozenset[FileFormat]]
    api_version: ClassVar[int] = API_VERSION
    reports_also: ClassVar[tuple[str, ...]] = ()
    """Rule-id prefixes of rules declared by other analyzers that this one also reports
    (the notebook analyzer runs the Python and secret rules on cells). Selecting one of
    those rules runs this analyzer too."""

    def accepts(self, artifact: Artifact) -> bool:
        """True if this analyzer wants to see ``artifact``."""
        return artifact.format in self.formats

    def claims(self, artifact: Artifact) -> bool:
        """True if this analyzer treats a zip/tar ``artifact`` as one model container.

        The engine expands the members of plain zip and tar archives and analyses each
        as an artifact of its own, unless an accepting analyzer claims the archive (a
        PyTorch checkpoint, a ``.keras`` file, an ``.npz``), in which case that analyzer
        reads the members it needs itself.
        """
        return False

    def claimed_members(self, artifact: Artifact) -> frozenset[str] | None:
        """Which members of a claimed archive this analyzer reads itself.

        ``None`` (the default) means all of them: the engine leaves the archive alone.
        A set means only those: the engine still expands and analyses every other
        member (a ``.keras`` file's ``assets/``, say), so nothing in it goes unscanned.
        """
        return None

    def preload(self, names: Sequence[str]) -> None:
        """Import slow-to-import parsers once, before the engine forks its workers.

        ``names`` are the names of the files about to be scanned. An analyzer whose
        parser takes long to import (h5py, Jinja) imports it here when a name suggests it
        will be needed, so forked workers share one import instead of each paying for
        it. This is a speed hint only: content still decides what is analysed, and a
        worker imports whatever it lacks. The default does nothing.
        """
        del names

    @abc.abstractmethod
    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise :class:`LimitExceeded` at a bound."""
