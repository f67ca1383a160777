"""Markdown structure for coverage checks: front matter, headings and their sections.

Parsing is line-based and bounded: at most :data:`MAX_LINES` lines are looked at, front
matter is read with PyYAML's safe loader only and only up to :data:`MAX_FRONT_MATTER`
bytes, and heading text is capped. Nothing is rendered; HTML and links stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import yaml  # type: ignore[import-untyped]

MAX_LINES: Final = 20_000
"""Lines of one document that are analysed (a longer document is truncated, see ``truncated``)."""
MAX_FRONT_MATTER: Final = 64 * 1024
"""Bytes of YAML front matter that are parsed; larger front matter counts as invalid."""
_MAX_HEADING: Final = 200

_ATX: Final = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT: Final = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE: Final = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text under it up to the next heading of the same or higher level."""

    title: str
    level: int
    line: int
    body: str

    @property
    def words(self) -> int:
        """How many words the section holds (its subsections included)."""
        return count_words(self.body)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed Markdown (or plain text) document."""

    text: str
    sections: tuple[Section, ...]
    paragraphs: tuple[str, ...]
    front_matter: dict[str, object] | None
    front_matter_error: str | None = None
    truncated: bool = False
    headings: tuple[str, ...] = field(default=())


def count_words(text: str) -> int:
    """The number of words (letters first) in ``text``."""
    return sum(1 for _ in _WORD.finditer(text))


def parse(text: str) -> Document:
    """Parse ``text`` into front matter, sections and paragraphs (bounded)."""
    lines = text.splitlines()
    truncated = len(lines) > MAX_LINES
    lines = lines[:MAX_LINES]
    front, error, start = _front_matter(lines)
    body = lines[start:]
    heads = _headings(body)
    sections = tuple(_sections(body, heads, start))
    paragraphs = tuple(_paragraphs(body))
    return Document(
        text="\n".join(body),
        sections=sections,
        paragraphs=paragraphs,
        front_matter=front,
        front_matter_error=error,
        truncated=truncated,
        headings=tuple(s.title for s in sections),
    )


def _front_matter(lines: list[str]) -> tuple[dict[str, object] | None, str | None, int]:
    """``(mapping, error, first body line index)`` for a ``---`` delimited YAML header."""
    if not lines or lines[0].strip() != "---":
        return None, None, 0
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return None, "front matter is not closed by '---'", 0
    raw = "\n".join(lines[1:end])
    if len(raw.encode("utf-8", errors="replace")) > MAX_FRONT_MATTER:
        return None, f"front matter is over {MAX_FRONT_MATTER} bytes", end + 1
    try:
        value = yaml.safe_load(raw)
    except (yaml.YAMLError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"front matter is not valid YAML ({first[:120]})", end + 1
    if value is None:
        return {}, None, end + 1
    if not isinstance(value, dict):
        return None, "front matter is not a YAML mapping", end + 1
    return {str(k): v for k, v in value.items()}, None, end + 1


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """``(index, level, title)`` of every ATX or setext heading outside code fences."""
    found: list[tuple[int, int, str]] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening is not None:
            marker = opening.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is not None:
            continue
        atx = _ATX.match(line)
        if atx is not None:
            found.append((index, len(atx.group(1)), (atx.group(2) or "")[:_MAX_HEADING]))
            continue
        if index and _SETEXT.match(line) and lines[index - 1].strip() and not _is_listish(line):
            previous = lines[index - 1].strip()
            if not _ATX.match(lines[index - 1]):
                level = 1 if line.strip().startswith("=") else 2
                found.append((index - 1, level, previous[:_MAX_HEADING]))
    return found


def _is_listish(line: str) -> bool:
    return line.strip() == "-"


def _sections(lines: list[str], heads: list[tuple[int, int, str]], offset: int) -> list[Section]:
    sections: list[Section] = []
    for position, (index, level, title) in enumerate(heads):
        end = len(lines)
        for later_index, later_level, _ in heads[position + 1 :]:
            if later_level <= level:
                end = later_index
                break
        body = "\n".join(lines[index + 1 : end])
        sections.append(Section(_clean(title), level, index + offset + 1, body))
    return sections


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks of text, headings excluded."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or _ATX.match(line):
            if current:
                blocks.append("\n".join(current))
            current = []
            continue
        current.append(line.strip())
    if current:
        blocks.append("\n".join(current))
    return blocks


def _clean(title: str) -> str:
    """Heading text without emphasis, links and trailing anchors."""
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    title = re.sub(r"\{#[^}]*\}\s*$", "", title)
    return re.sub(r"[*_`]", "", title).strip()
