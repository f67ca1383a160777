"""Finding governance documents on disk, reading them safely, and measuring coverage."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from aiwarden.engine._fs import open_regular, read_at_most

if TYPE_CHECKING:
    from aiwarden.analyzers.governance.markdown import Document
    from aiwarden.analyzers.governance.topics import Topic

MAX_DOC_BYTES: Final = 2 * 1024 * 1024
"""Bytes of one document that are read; the rest of a larger one is not analysed."""
MAX_DIR_ENTRIES: Final = 5_000
"""Entries of one directory that are listed when looking for documents by name."""
MAX_DOCS: Final = 50
"""Documents of one kind (runbooks, say) whose coverage is combined."""


@dataclass(frozen=True, slots=True)
class GovDoc:
    """A governance document that was found: where it is and what it says."""

    path: Path
    relpath: str
    document: Document
    problem: str | None = None
    """Why the file could not be read as text (binary, unreadable, too large)."""


@dataclass
class Bounds:
    """Bounds reached while looking (reported by the analyzer as an incomplete scan)."""

    reached: list[str]

    def hit(self, what: str) -> None:
        """Record that a bound was reached."""
        if what not in self.reached:
            self.reached.append(what)


def list_dir(directory: Path, bounds: Bounds) -> list[os.DirEntry[str]]:
    """The entries of ``directory`` (at most :data:`MAX_DIR_ENTRIES`), [] if unreadable."""
    entries: list[os.DirEntry[str]] = []
    try:
        with os.scandir(directory) as iterator:
            for entry in iterator:
                if len(entries) >= MAX_DIR_ENTRIES:
                    bounds.hit(f"more than {MAX_DIR_ENTRIES} entries in {directory.name or '/'}")
                    break
                entries.append(entry)
    except OSError:
        return []
    return sorted(entries, key=lambda e: e.name)


def find(base: Path, patterns: Sequence[str], bounds: Bounds) -> list[Path]:
    """Regular files under ``base`` matching any of ``patterns`` (case-insensitive).

    A pattern is a ``/``-separated relative path whose parts are shell globs
    (``docs/incident*``, ``runbooks/*.md``); a part matching a directory in the middle
    of a pattern descends into it. Symlinks are never followed out of a match.
    """
    found: list[Path] = []
    for pattern in patterns:
        found.extend(_match(base, pattern.lower().split("/"), bounds))
    unique = list(dict.fromkeys(found))
    return unique[:MAX_DOCS]


def _match(directory: Path, parts: list[str], bounds: Bounds) -> Iterable[Path]:
    head, rest = parts[0], parts[1:]
    for entry in list_dir(directory, bounds):
        if not fnmatch.fnmatchcase(entry.name.lower(), head):
            continue
        try:
            if rest and entry.is_dir(follow_symlinks=False):
                yield from _match(Path(entry.path), rest, bounds)
            elif not rest and entry.is_file(follow_symlinks=False):
                yield Path(entry.path)
        except OSError:
            continue


def read_raw(path: Path, limit: int = MAX_DOC_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (OSError if unreadable)."""
    fd, _ = open_regular(path)
    try:
        return read_at_most(fd, limit + 1)
    finally:
        os.close(fd)


def read_document(path: Path, relpath: str) -> GovDoc:
    """Read and parse ``path``; a binary or unreadable file becomes an empty document."""
    try:
        data = read_raw(path)
    except OSError as exc:
        return GovDoc(path, relpath, _parse(""), f"cannot be read ({exc.strerror or exc})")
    problem = None
    if len(data) > MAX_DOC_BYTES:
        data = data[:MAX_DOC_BYTES]
        problem = f"only its first {MAX_DOC_BYTES} bytes were analysed"
    if _is_binary(data):
        return GovDoc(path, relpath, _parse(""), "is not text")
    document = _parse(data.decode("utf-8", errors="replace"))
    if document.truncated and problem is None:
        problem = "only its first lines were analysed"
    if document.front_matter_error and problem is None:
        problem = document.front_matter_error
    return GovDoc(path, relpath, document, problem)


def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    text = head.decode("utf-8", errors="replace")
    return bool(text) and text.count("\ufffd") > len(text) // 10


def _parse(text: str) -> Document:
    # the Markdown parser (and PyYAML for front matter) load only when a document is read
    from aiwarden.analyzers.governance.markdown import parse

    return parse(text)


def covers(document: Document, topic: Topic) -> bool:
    """True if ``document`` covers ``topic`` (a substantive section or a specific phrase)."""
    if topic.headings is not None:
        for section in document.sections:
            if topic.headings.search(section.title) and _words(section.body) >= (topic.min_words):
                return True
    if topic.phrases is None:
        return False
    if any(topic.phrases.search(paragraph) for paragraph in document.paragraphs):
        return True
    return any(
        topic.phrases.search(s.title) and _words(s.body) >= topic.min_words
        for s in document.sections
    )


def _words(text: str) -> int:
    from aiwarden.analyzers.governance.markdown import count_words

    return count_words(text)


def missing_topics(docs: Sequence[GovDoc], topics: Sequence[Topic]) -> list[Topic]:
    """The topics that none of ``docs`` covers."""
    return [t for t in topics if not any(covers(d.document, t) for d in docs)]
