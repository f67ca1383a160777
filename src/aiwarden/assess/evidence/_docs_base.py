"""Finding and reading governance documents through a :class:`ProjectView`.

Documents are looked for by path below the assessed directory, part by part
(``docs/*.md`` matches ``docs/a.md`` but not ``docs/x/a.md``); a pattern that starts
with ``**/`` matches the file name at any depth outside test fixtures, virtual
environments and hidden directories. Repository-wide documents (SECURITY.md,
CONTRIBUTING.md) are also looked for in the parents of the assessed directory up to
the scan root, by exact name only, when the assessed directory has none: a package
of a monorepo inherits its repository's disclosure policy.

Every read goes through :meth:`ProjectView.read_text` (bounded, symlinks refused);
the text is cut at :data:`MAX_DOC_CHARS` and parsed with the governance analyzer's
Markdown parser (bounded in lines, front matter read with PyYAML's safe loader only).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Final, TypeVar, cast

from aiwarden.analyzers.governance.documents import GovDoc, covers
from aiwarden.analyzers.governance.markdown import parse
from aiwarden.analyzers.governance.project import SKIP_DIRS

if TYPE_CHECKING:
    from aiwarden.analyzers.governance.topics import Topic
    from aiwarden.assess.evidence.interface import ProjectView

MAX_DOCS: Final = 50
"""Documents of one kind that are read (the first, in path order)."""
MAX_DOC_CHARS: Final = 512 * 1024
"""Characters of one document that are analysed; the rest of a larger one is ignored."""
MAX_SHOWN: Final = 3
"""Paths named in one summary before ``...``."""
_GLOB: Final = re.compile(r"[*?\[]")
T = TypeVar("T")


def locate(view: ProjectView, patterns: Sequence[str], *, inherit: bool = False) -> list[str]:
    """Scan-root relpaths of the files matching ``patterns`` (at most :data:`MAX_DOCS`).

    With ``inherit``, when none matches below the assessed directory, the nearest
    parent directory up to the scan root holding a pattern's exact name gives them.
    """
    exact, deep = _compile(tuple(p.lower() for p in patterns))
    found: list[str] = []
    for relpath, local in _locals(view):
        if exact.fullmatch(local) or (deep.fullmatch(local) and not _skipped(local)):
            found.append(relpath)
            if len(found) >= MAX_DOCS:
                break
    if not found and inherit:
        found = _inherited(view, patterns)
    return found


def _locals(view: ProjectView) -> list[tuple[str, str]]:
    """``(relpath, lower-cased path below the assessed directory)`` of every file."""
    return remembered(view, "locals", lambda: [(f, view.local(f).lower()) for f in view.files])


@functools.lru_cache(maxsize=64)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One regex for the part-by-part patterns, one for the ``**/`` (any depth) ones."""
    exact = [_translate(p) for p in patterns if not p.startswith("**/")]
    deep = [r"(?:[^/]+/)*" + _translate(p[3:]) for p in patterns if p.startswith("**/")]
    never = r"(?!)"
    return (
        re.compile("|".join(f"(?:{x})" for x in exact) or never),
        re.compile("|".join(f"(?:{x})" for x in deep) or never),
    )


def _translate(pattern: str) -> str:
    """A glob as a regex in which ``*`` and ``?`` never match ``/``."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in pattern[index + 1 :]:
            end = pattern.index("]", index + 1)
            body = pattern[index:end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            index = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _skipped(local: str) -> bool:
    directories = local.split("/")[:-1]
    return any(d.startswith(".") or d in SKIP_DIRS or d.endswith(".egg-info") for d in directories)


def _inherited(view: ProjectView, patterns: Sequence[str]) -> list[str]:
    """Exact-name matches in the nearest parent of the assessed directory that has any."""
    exact = [p for p in patterns if not _GLOB.search(p)]
    parents = PurePosixPath(view.prefix.rstrip("/")).parents if view.prefix else ()
    for parent in parents:
        base = "" if str(parent) == "." else f"{parent}/"
        found: list[str] = []
        for name in exact:
            for candidate in dict.fromkeys((name, name.lower(), name.upper())):
                relpath = base + candidate
                if relpath not in found and view.read_text(relpath) is not None:
                    found.append(relpath)
                    break
        if found:
            return found
    return []


def is_inherited(view: ProjectView, relpath: str) -> bool:
    """True if ``relpath`` lies outside the assessed directory (a parent's document)."""
    return bool(view.prefix) and not relpath.startswith(view.prefix)


def load(view: ProjectView, relpath: str) -> GovDoc | None:
    """``relpath`` parsed as a document; None if unreadable (a symlink, gone) or binary.

    Parsed documents are kept per view, so checks that read the same README share it.
    """
    parsed = _parsed(view)
    if relpath not in parsed:
        parsed[relpath] = _load(view, relpath)
    return parsed[relpath]


def _load(view: ProjectView, relpath: str) -> GovDoc | None:
    text = view.read_text(relpath)
    if text is None or _is_binary(text):
        return None
    problem = None
    if len(text) > MAX_DOC_CHARS:
        text = text[:MAX_DOC_CHARS]
        problem = f"only its first {MAX_DOC_CHARS // 1024} KiB were analysed"
    return GovDoc(view.root / relpath, relpath, parse(text), problem)


def _parsed(view: ProjectView) -> dict[str, GovDoc | None]:
    """The parsed documents of ``view``, shared by the checks while the view lives."""
    return remembered(view, "documents", dict)


_MEMO: dict[tuple[int, str], object] = {}


def remembered(view: ProjectView, key: str, make: Callable[[], T]) -> T:
    """``make()``, computed once per live ``view`` and ``key``.

    The entry is dropped when the view is garbage collected, so a later view that
    happens to get the same ``id`` never sees it.
    """
    slot = (id(view), key)
    if slot not in _MEMO:
        _MEMO[slot] = make()
        weakref.finalize(view, _MEMO.pop, slot, None)
    return cast("T", _MEMO[slot])


def load_all(view: ProjectView, relpaths: Iterable[str]) -> list[GovDoc]:
    """The readable documents among ``relpaths``."""
    return [doc for doc in (load(view, rel) for rel in relpaths) if doc is not None]


def _is_binary(text: str) -> bool:
    head = text[:8192]
    return "\x00" in head or (bool(head) and head.count("\ufffd") > len(head) // 10)


def covering(docs: Sequence[GovDoc], topic: Topic) -> list[GovDoc]:
    """The documents among ``docs`` that cover ``topic``."""
    return [doc for doc in docs if covers(doc.document, topic)]


def labels_covered(docs: Sequence[GovDoc], topics: Sequence[Topic]) -> tuple[list[str], list[str]]:
    """``(covered, missing)`` topic labels over ``docs``."""
    covered = [t.label for t in topics if covering(docs, t)]
    return covered, [t.label for t in topics if t.label not in covered]


def first_match(docs: Sequence[GovDoc], pattern: re.Pattern[str], limit: int = 60) -> str | None:
    """The first text ``pattern`` matches in a paragraph of ``docs``, cut to ``limit``."""
    for doc in docs:
        for paragraph in doc.document.paragraphs:
            match = pattern.search(paragraph)
            if match:
                return quote(match.group(0), limit)
    return None


def quote(text: str, limit: int = 60) -> str:
    """``text`` on one line, printable characters only, at most ``limit`` characters."""
    flat = "".join(c for c in " ".join(text.split()) if c.isprintable())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def names(view: ProjectView, relpaths: Sequence[str]) -> str:
    """``a, b and c``: paths below the assessed directory, at most a few.

    A parent directory's document is shown by its scan-root path, marked as inherited.
    """
    shown = [view.local(r) if not is_inherited(view, r) else r for r in relpaths[:MAX_SHOWN]]
    more = len(relpaths) - len(shown)
    text = ", ".join(shown) + f" and {more} more" if more > 0 else series(shown)
    if any(is_inherited(view, r) for r in relpaths):
        text += " (inherited from a parent directory)"
    return text


def subject(view: ProjectView, relpaths: Sequence[str], collective: str) -> str:
    """The grammatical subject of a summary: ``SECURITY.md`` or ``The plan (a and b)``."""
    if len(relpaths) == 1:
        return names(view, relpaths)
    return f"{collective} ({names(view, relpaths)})"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 directory``, ``2 directories``."""
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural_form or singular + 's'}"


def series(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def where(view: ProjectView) -> str:
    """How the assessed directory is named in summaries."""
    return f"{view.prefix.rstrip('/')}/" if view.prefix else "the project"
