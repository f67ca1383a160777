"""pip requirements files (``requirements*.txt``, pip-tools ``*.in``).

Handles line continuations, comments, ``-r``/``-c`` includes (followed only inside the
scanned root, with depth and count bounds and cycle detection), ``--hash``,
``--require-hashes``, index options, ``-e``, URL/VCS/path requirements and
environment markers. Unknown options are ignored the way pip ignores global options
it does not need; a line that is neither an option nor a requirement is a problem.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from aiwarden.analyzers.deps._pep508 import Origin, RequirementError, parse_requirement
from aiwarden.analyzers.deps.manifest import (
    IndexOption,
    ManifestProblem,
    ManifestResult,
    read_manifest_text,
)

MAX_INCLUDE_DEPTH = 8
MAX_INCLUDED_FILES = 64

_COMMENT = re.compile(r"(^|\s+)#.*$")
_COMMENT_START = re.compile(r"^\s*#")
_HASH_OPTION = re.compile(r"\s--hash[=\s]+\S+")
_PER_REQ_OPTION = re.compile(r"\s--(?:config-settings|global-option|install-option)[=\s]+\S+")
_INDEX_OPTIONS = {
    "-i": "index-url",
    "--index-url": "index-url",
    "--extra-index-url": "extra-index-url",
    "--trusted-host": "trusted-host",
    "-f": "find-links",
    "--find-links": "find-links",
}
_INCLUDE_OPTIONS = {"-r": "r", "--requirement": "r", "-c": "c", "--constraint": "c"}
_EDITABLE = ("-e", "--editable")
_FLAGS = frozenset(
    {"--pre", "--no-index", "--prefer-binary", "--no-binary", "--only-binary", "--use-feature",
     "--require-hashes", "--no-deps", "--user", "--upgrade", "-U"}
)  # fmt: skip


@dataclass(slots=True)
class _Walk:
    root: Path
    result: ManifestResult
    seen: set[Path]
    files: int = 0


def parse(path: Path, text: str, relpath: str, root: Path) -> ManifestResult:
    """Parse a requirements file and the files it includes."""
    walk = _Walk(root=root.resolve(), result=ManifestResult(), seen=set())
    walk.seen.add(_resolved(path))
    _parse_file(walk, path, text, relpath, depth=0, constraint=False)
    return walk.result


def logical_lines(text: str) -> list[tuple[int, str]]:
    """``(first line number, text)`` for each logical line, as pip reads them: a line
    ending in a backslash (and not starting with a comment) is joined to the next with
    nothing in between, comments are then removed, blank lines dropped."""
    out: list[tuple[int, str]] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if raw.endswith("\\") and not _COMMENT_START.match(raw):
            buffer.append(raw.rstrip("\\"))
            continue
        buffer.append(raw)
        _emit(out, start, "".join(buffer))
        buffer = []
    if buffer:
        _emit(out, start, "".join(buffer))
    return out


def _emit(out: list[tuple[int, str]], start: int, joined: str) -> None:
    content = _COMMENT.sub("", joined).strip()
    if content:
        out.append((start, content))


def _parse_file(
    walk: _Walk, path: Path, text: str, relpath: str, *, depth: int, constraint: bool
) -> None:
    for line, content in logical_lines(text):
        if content.startswith("-") and not content.startswith(_EDITABLE):
            _option(walk, path, relpath, line, content, depth=depth)
            continue
        _requirement(walk, relpath, line, content, constraint=constraint)


def _requirement(walk: _Walk, relpath: str, line: int, content: str, *, constraint: bool) -> None:
    hashed = bool(_HASH_OPTION.search(" " + content))
    body = _PER_REQ_OPTION.sub("", _HASH_OPTION.sub("", " " + content)).strip()
    editable = False
    for flag in _EDITABLE:
        if body.startswith(flag + " ") or body.startswith(flag + "="):
            body, editable = body[len(flag) + 1 :].strip(), True
    origin = Origin(relpath, line, hashed=hashed, direct=not constraint)
    try:
        dep = parse_requirement(body, origin)
    except RequirementError as exc:
        walk.result.problems.append(
            ManifestProblem(relpath, line, f"cannot parse requirement {body[:80]!r}: {exc}")
        )
        return
    if editable and dep.kind == "registry":
        walk.result.problems.append(
            ManifestProblem(relpath, line, f"editable requirement is not a path or URL: {body!r}")
        )
        return
    if constraint:
        walk.result.constraints.append(dep)
    else:
        walk.result.add(dep)


def _option(walk: _Walk, path: Path, relpath: str, line: int, content: str, *, depth: int) -> None:
    name, value = _split_option(content)
    if name == "--require-hashes":
        walk.result.require_hashes = True
    elif name in _INDEX_OPTIONS and value:
        walk.result.index_urls.append(IndexOption(_INDEX_OPTIONS[name], value, relpath, line))
    elif name in _INCLUDE_OPTIONS and value:
        _include(walk, path, relpath, line, value, depth, _INCLUDE_OPTIONS[name] == "c")
    elif name not in _FLAGS and not name.startswith("--"):
        walk.result.problems.append(ManifestProblem(relpath, line, f"unknown option {name!r}"))


def _split_option(content: str) -> tuple[str, str]:
    if content.startswith("--") and "=" in content.split(None, 1)[0]:
        name, _, value = content.partition("=")
        return name, value.strip()
    try:
        parts = shlex.split(content)
    except ValueError:
        parts = content.split()
    if not parts:
        return content, ""
    if len(parts[0]) > 2 and not parts[0].startswith("--"):  # "-rfile.txt"
        return parts[0][:2], parts[0][2:]
    return parts[0], parts[1] if len(parts) > 1 else ""


def _include(
    walk: _Walk, path: Path, relpath: str, line: int, target: str, depth: int, constraint: bool
) -> None:
    problems = walk.result.problems
    if "://" in target:
        problems.append(ManifestProblem(relpath, line, f"remote include not followed: {target}"))
        return
    candidate = _resolved(path.parent / target)
    if not candidate.is_relative_to(walk.root):
        problems.append(ManifestProblem(relpath, line, f"include outside the project: {target}"))
        return
    if candidate in walk.seen:
        return  # a cycle or a file already read: pip reads it once too
    if depth + 1 > MAX_INCLUDE_DEPTH or walk.files >= MAX_INCLUDED_FILES:
        problems.append(ManifestProblem(relpath, line, f"include limit reached at {target}"))
        return
    text = read_manifest_text(candidate)
    if text is None:
        problems.append(ManifestProblem(relpath, line, f"included file unreadable: {target}"))
        return
    walk.seen.add(candidate)
    walk.files += 1
    sub_rel = candidate.relative_to(walk.root).as_posix()
    walk.result.included.append(sub_rel)
    _parse_file(walk, candidate, text, sub_rel, depth=depth + 1, constraint=constraint)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
