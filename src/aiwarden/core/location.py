"""Where a finding is: a file, and optionally a line/column, a byte offset or an archive member."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a scanned artefact.

    ``path`` is the POSIX-style path relative to the scan root (what a user and a
    SARIF consumer see). Lines and columns are 1-based. ``member`` names a path inside
    an archive (``archive.zip`` -> ``model/data.pkl``); ``offset`` is a byte offset
    in the file or member when lines make no sense (binary formats). ``label`` says what
    a *related* location is (``"LLM output"``, ``"returned by ask_llm()"``); it is shown
    with the location and is no part of its identity.
    """

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    offset: int | None = None
    member: str | None = None
    label: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("line", "column", "end_line", "end_column"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"Location.{name} is 1-based, got {value}")
        if self.offset is not None and self.offset < 0:
            raise ValueError(f"Location.offset must be >= 0, got {self.offset}")

    def display(self) -> str:
        """``path[:line[:col]]``, with ``!member`` and ``@offset`` where set."""
        text = self.path
        if self.member:
            text += f"!{self.member}"
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        elif self.offset is not None:
            text += f"@{self.offset}"
        return text
