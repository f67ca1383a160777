"""IPython syntax in code cells: strip it for the Python parser, collect shell commands.

:func:`clean_cell` turns a code cell into plain Python with the same number of lines:
line magics (``%pip``), shell escapes (``!ls``, ``files = !ls``), help queries
(``obj?``) and automagic installs (``pip install x``) become ``pass`` at the same
indentation, continuation lines included. A cell whose first line is a cell magic
is Python only for the magics that run their body as Python (``%%time``,
``%%capture``…); ``%%bash`` and ``%%sh`` bodies are shell commands, and other cell
magics (``%%html``, ``%%javascript``) are neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "python", "python3", "pypy"}
)
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "system", "zsh"})
_SHELLS = frozenset({"bash", "sh", "zsh", "dash"})

_LINE_MAGIC = re.compile(r"^(?P<indent>[ \t]*)%(?P<name>[A-Za-z_]\w*)(?P<rest>.*)$")
_SHELL_ESCAPE = re.compile(r"^(?P<indent>[ \t]*)!(?!=)(?P<rest>.*)$")
_ASSIGN_ESCAPE = re.compile(
    r"^(?P<indent>[ \t]*)[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*"
    r"(?:!(?P<shell>.*)|%(?P<name>[A-Za-z_]\w*)(?P<rest>.*))$"
)
_HELP = re.compile(
    r"^(?P<indent>[ \t]*)(?:\?\??[A-Za-z_][\w.]*|[A-Za-z_][\w.]*(?:\(\))?\?\??)[ \t]*$"
)
_AUTOMAGIC = re.compile(
    r"^(?P<indent>[ \t]*)"
    r"(?P<cmd>(?:pip3?|conda|mamba|micromamba|uv)[ \t]+(?:pip[ \t]+)?install\b.*)$"
)
_PYTHON_SHELL_CALL = re.compile(
    r"(?:get_ipython\(\)\.(?:system|getoutput)|os\.system|subprocess\.(?:run|call|check_call|"
    r"check_output|Popen))\(\s*[rfbu]?(?P<q>[\"'])(?P<cmd>[^\"'\n]+)(?P=q)"
    r"|get_ipython\(\)\.run_line_magic\(\s*[\"'](?P<magic>pip|conda|mamba|uv)[\"']\s*,"
    r"\s*[rfbu]?[\"'](?P<args>[^\"'\n]+)[\"']"
)
_SHELL_MAGICS = frozenset({"pip", "conda", "mamba", "micromamba", "uv", "sx", "system"})


@dataclass(slots=True)
class CleanCell:
    """A code cell as plain Python (or None), and its shell commands by 1-based line."""

    python: str | None
    commands: list[tuple[int, str]] = field(default_factory=list)
    cell_magic: str | None = None


def clean_cell(source: str) -> CleanCell:
    """Plain Python for ``source`` (same line count) and the shell commands it runs."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        return _cell_magic(lines, first)
    result = CleanCell(python=None)
    result.python = "\n".join(_clean_lines(lines, result, start=0))
    return result


def _cell_magic(lines: list[str], first: str) -> CleanCell:
    words = first[2:].split()
    name = words[0] if words else ""
    if name in PYTHON_CELL_MAGICS or (name == "writefile" and first.endswith(".py")):
        result = CleanCell(python=None, cell_magic=name)
        body = _clean_lines(lines[1:], result, start=1)
        result.python = "\n".join(["pass", *body])
        return result
    result = CleanCell(python=None, cell_magic=name)
    shell = name in SHELL_CELL_MAGICS or (
        name == "script" and len(words) > 1 and words[1] in _SHELLS
    )
    if shell:
        result.commands.extend(_joined_commands(lines[1:], start=2))
    return result


def _joined_commands(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Shell lines with backslash continuations joined, keyed by their first line."""
    commands: list[tuple[int, str]] = []
    pending: list[str] = []
    first_line = start
    for offset, line in enumerate(lines):
        if not pending:
            first_line = start + offset
        stripped = line.rstrip()
        if stripped.endswith("\\"):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        command = " ".join(part.strip() for part in pending).strip()
        pending = []
        if command and not command.startswith("#"):
            commands.append((first_line, command))
    if pending:
        commands.append((first_line, " ".join(p.strip() for p in pending)))
    return commands


def _clean_lines(lines: list[str], result: CleanCell, start: int) -> list[str]:
    cleaned: list[str] = []
    continuing = False
    indent = ""
    command_parts: list[str] = []
    for offset, line in enumerate(lines):
        if continuing:
            command_parts.append(line.rstrip().removesuffix("\\"))
            continuing = line.rstrip().endswith("\\")
            cleaned.append(indent + "pass")
            if not continuing:
                _add_command(result, " ".join(p.strip() for p in command_parts))
            continue
        found = _ipython_line(line)
        if found is None:
            cleaned.append(line)
            _python_shell_call(result, start + offset + 1, line)
            continue
        indent, command = found
        cleaned.append(indent + "pass")
        continuing = line.rstrip().endswith("\\")
        command_parts = [command.rstrip().removesuffix("\\")]
        result.commands.append((start + offset + 1, ""))  # placeholder, filled below
        if not continuing:
            _add_command(result, command_parts[0])
    if continuing:
        _add_command(result, " ".join(p.strip() for p in command_parts))
    result.commands = [(n, c) for n, c in result.commands if c]
    return cleaned


def _python_shell_call(result: CleanCell, number: int, line: str) -> None:
    """Record a shell command run from Python (``get_ipython().system("pip install x")``)."""
    match = _PYTHON_SHELL_CALL.search(line)
    if match is None:
        return
    if match.group("magic"):
        command = f"{match.group('magic')} {match.group('args')}"
    else:
        command = match.group("cmd")
    result.commands.append((number, command.strip()))


def _add_command(result: CleanCell, command: str) -> None:
    """Fill the last placeholder command with ``command`` (empty when not a shell command)."""
    number, _ = result.commands[-1]
    result.commands[-1] = (number, command.strip())


def _ipython_line(line: str) -> tuple[str, str] | None:
    """(indentation, shell command or "") for an IPython-only line, None for Python."""
    match = _SHELL_ESCAPE.match(line)
    if match:
        return match.group("indent"), match.group("rest").lstrip("!")
    match = _LINE_MAGIC.match(line)
    if match:
        name = match.group("name")
        command = f"{name}{match.group('rest')}" if name in _SHELL_MAGICS else ""
        if name in ("sx", "system"):
            command = match.group("rest")
        return match.group("indent"), command
    match = _ASSIGN_ESCAPE.match(line)
    if match:
        if match.group("shell") is not None:
            return match.group("indent"), match.group("shell")
        name = match.group("name")
        rest = match.group("rest")
        return match.group("indent"), rest if name in ("sx", "system") else ""
    match = _AUTOMAGIC.match(line)
    if match:
        return match.group("indent"), match.group("cmd")
    match = _HELP.match(line)
    if match:
        return match.group("indent"), ""
    return None
