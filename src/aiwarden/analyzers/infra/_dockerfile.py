"""Dockerfile parsing with line numbers: instructions, continuations, exec and shell forms."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final

from aiwarden.analyzers.infra._shell import Tok, tokenize

MAX_INSTRUCTIONS: Final = 20_000
KEYWORDS: Final = frozenset(
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
        "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
        "HEALTHCHECK", "SHELL",
    }
)  # fmt: skip
_HEREDOC: Final = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")
_ESCAPE: Final = re.compile(r"^#\s*escape\s*=\s*(\S)", re.IGNORECASE)


class DockerfileError(Exception):
    """Not a Dockerfile: ``line`` holds something that is not an instruction."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction: keyword, raw arguments (continuations kept), first line."""

    keyword: str
    args: str
    line: int

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction, or None for the shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text.replace("\\\n", ""))
        except ValueError:
            return None
        return [str(v) for v in value] if isinstance(value, list) else None

    def words(self) -> list[Tok]:
        """The arguments as words with lines (exec form: the array's items)."""
        array = self.exec_form()
        if array is not None:
            return [Tok(item, self.line) for item in array]
        return [t for t in tokenize(self.args, self.line) if t.text != "\n"]


def parse_dockerfile(text: str) -> list[Instruction]:
    """Every instruction of ``text``; raises :class:`DockerfileError` on non-Dockerfile content."""
    lines = text.splitlines()
    escape = "\\"
    out: list[Instruction] = []
    index = 0
    while index < len(lines):
        raw = lines[index].strip()
        directive = _ESCAPE.match(raw)
        if directive is not None and not out:
            escape = directive.group(1)
        if not raw or raw.startswith("#"):
            index += 1
            continue
        start = index
        parts, index = _logical_line(lines, index, escape)
        keyword = " ".join(parts).strip().split(" ", 1)[0]
        if keyword.upper() not in KEYWORDS:
            raise DockerfileError(f"`{keyword[:40]}` is not a Dockerfile instruction", start + 1)
        out.append(
            Instruction(keyword.upper(), "\n".join(parts).strip()[len(keyword) :], start + 1)
        )
        if len(out) > MAX_INSTRUCTIONS:
            raise DockerfileError(f"more than {MAX_INSTRUCTIONS} instructions", start + 1)
    return out


def _logical_line(lines: list[str], index: int, escape: str) -> tuple[list[str], int]:
    parts: list[str] = []
    while index < len(lines):
        line = lines[index]
        index += 1
        if parts and line.strip().startswith("#"):
            parts.append("\\")
            continue
        if line.rstrip().endswith(escape):
            parts.append(line.rstrip()[:-1] + "\\")
            continue
        parts.append(line)
        heredoc = _HEREDOC.search(line)
        if heredoc is not None and len(parts) == 1 and "RUN" in line[:5].upper():
            index = _skip_heredoc(lines, index, heredoc.group(1), parts)
        break
    return parts, index


def _skip_heredoc(lines: list[str], index: int, word: str, parts: list[str]) -> int:
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.strip() == word:
            break
        parts.append(line)
    return index
