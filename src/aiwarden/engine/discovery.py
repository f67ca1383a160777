"""Discovery: which files a scan looks at, and which it deliberately does not.

The walk never reads file contents (only ``.gitignore`` files) and never follows a
symlink out of the target being walked. Symlinked directories inside the target are
walked once, after the real tree, so a link never hides the real path of a file;
loops are cut. Special files are listed as skipped and never opened. A directory that
cannot be listed makes the scan incomplete (it goes into ``failed``).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, NamedTuple

from aiwarden.core.log import get_logger
from aiwarden.core.report import FailedFile, SkippedFile
from aiwarden.engine._fs import read_regular_file
from aiwarden.engine._patterns import compile_lenient, compile_patterns
from aiwarden.errors import UsageError

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

logger = get_logger(__name__)

GITIGNORE_MAX_BYTES = 1024 * 1024
"""A ``.gitignore`` larger than this is not read (nothing in it is ignored)."""

_OUTSIDE = "symlink points outside the scan target"
_NOT_REGULAR = "not a regular file"
_DANGLING = "dangling symlink"
_LOOP = "symlink loop"
_EXCLUDED = "matches an exclude pattern"


class DiscoveredFile(NamedTuple):
    """A file to scan.

    ``path`` is the absolute path to open (for a symlink, the real path it resolves
    to); ``relpath`` is the POSIX path relative to the scan root as it was found.
    """

    path: Path
    relpath: str


class Discovery(NamedTuple):
    """The result of a walk: files to scan (sorted by relpath), skipped and failed paths."""

    files: tuple[DiscoveredFile, ...]
    skipped: tuple[SkippedFile, ...]
    failed: tuple[FailedFile, ...]


class _IgnoreFile:
    """The patterns of one ``.gitignore``, relative to its directory ``base``.

    This and the other walk-internal records below are plain slotted classes rather
    than dataclasses: nothing compares, hashes or prints them, and a dataclass costs
    about half a millisecond to create at import, on every scan.
    """

    __slots__ = ("base", "spec")

    def __init__(self, base: str, spec: GitIgnoreSpec) -> None:
        self.base = base
        self.spec = spec


class _DirJob:
    """A directory still to list: its real path, its relpath and the ignore files above it."""

    __slots__ = ("chain", "real", "rel", "via_symlink")

    def __init__(
        self, real: str, rel: str, chain: tuple[_IgnoreFile, ...], via_symlink: bool = False
    ) -> None:
        self.real = real
        self.rel = rel
        self.chain = chain
        self.via_symlink = via_symlink


class _Entry:
    """A directory entry after following a symlink: kind is file/dir/special/dangling/loop/error."""

    __slots__ = ("kind", "name", "real", "reason", "via_symlink")

    def __init__(
        self, name: str, kind: str, real: str = "", via_symlink: bool = False, reason: str = ""
    ) -> None:
        self.name = name
        self.kind = kind
        self.real = real
        self.via_symlink = via_symlink
        self.reason = reason


class _Candidate:
    __slots__ = ("real", "relpath", "via_symlink")

    def __init__(self, relpath: str, real: str, via_symlink: bool) -> None:
        self.relpath = relpath
        self.real = real
        self.via_symlink = via_symlink


class _Collector:
    """Mutable accumulator used during one :func:`discover` call."""

    __slots__ = ("candidates", "exclude", "failed", "respect_gitignore", "skipped")

    def __init__(self, exclude: tuple[str, ...], respect_gitignore: bool) -> None:
        self.exclude = exclude
        self.respect_gitignore = respect_gitignore
        self.candidates: dict[str, _Candidate] = {}
        self.skipped: dict[str, str] = {}
        self.failed: dict[str, str] = {}

    def add_file(self, relpath: str, real: str, *, via_symlink: bool) -> None:
        self.candidates.setdefault(relpath, _Candidate(relpath, real, via_symlink))

    def skip(self, relpath: str, reason: str) -> None:
        self.skipped.setdefault(relpath, reason)

    def fail(self, relpath: str, reason: str) -> None:
        self.failed.setdefault(relpath, reason)

    def excluded(self, relpath: str, *, is_dir: bool) -> bool:
        if not self.exclude:
            return False
        spec = compile_patterns(self.exclude)
        return spec.match_file(relpath + "/" if is_dir else relpath)


def discover(
    targets: Sequence[Path],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
) -> Discovery:
    """Walk ``targets`` (files or directories) and list the files to scan.

    Relpaths are relative to ``root``, which must contain every target. Raise
    :class:`UsageError` for a target that does not exist or an invalid exclude pattern.
    """
    try:
        if exclude:  # nothing to check otherwise (and pathspec stays unimported)
            compile_patterns(tuple(exclude))
    except ValueError as exc:
        raise UsageError(f"exclude: {exc}") from None
    root_abs = _absolute(root)
    collector = _Collector(tuple(exclude), respect_gitignore)
    for target in targets:
        _discover_target(target, root_abs, collector)
    return _finish(collector)


def scan_root(targets: Sequence[Path], project_root: Path | None) -> Path:
    """The directory relpaths are computed from.

    ``project_root`` if every target lies inside it, else the deepest directory that
    contains every target (a file target contributes its parent directory).
    """
    dirs = [_target_dir(_absolute(target)) for target in targets]
    if project_root is not None:
        project = _absolute(project_root)
        if all(_inside(d, project) for d in dirs):
            return project
    if not dirs:
        return project_root if project_root is not None else _absolute(Path.cwd())
    return Path(os.path.commonpath([str(d) for d in dirs]))


def _absolute(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def _target_dir(target: Path) -> Path:
    return target if target.is_dir() else target.parent


def _inside(path: Path, parent: Path) -> bool:
    if path.is_relative_to(parent):
        return True
    try:
        return path.resolve().is_relative_to(parent.resolve())
    except (OSError, RuntimeError):
        return False


def _relative_to_root(target: Path, root: Path) -> str:
    """The POSIX relpath of ``target`` from ``root`` ("" for the root itself)."""
    if target.is_relative_to(root):
        rel = target.relative_to(root)
    else:
        try:
            rel = target.resolve().relative_to(root.resolve())
        except (ValueError, OSError, RuntimeError):
            raise UsageError(f"{target}: outside the scan root {root}") from None
    posix = rel.as_posix()
    return "" if posix == "." else posix


def _discover_target(target: Path, root: Path, collector: _Collector) -> None:
    target_abs = _absolute(target)
    try:
        target_abs.lstat()
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"{target}: no such file or directory") from None
    except OSError as exc:
        raise UsageError(f"{target}: {exc.strerror or exc}") from None
    rel = _relative_to_root(target_abs, root)
    shown = rel or "."
    try:
        info = target_abs.stat()
    except OSError as exc:
        collector.skip(shown, _symlink_error_reason(exc))
        return
    real = os.path.realpath(target_abs)
    is_dir = stat.S_ISDIR(info.st_mode)
    if rel and collector.excluded(rel, is_dir=is_dir):
        collector.skip(shown, _EXCLUDED)
    elif is_dir:
        _walk_target(real, rel, _ancestor_chain(root, rel, collector), collector)
    elif not stat.S_ISREG(info.st_mode):
        collector.skip(shown, _NOT_REGULAR)
    else:
        collector.add_file(rel, real, via_symlink=False)


def _symlink_error_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return _LOOP
    if isinstance(exc, FileNotFoundError):
        return _DANGLING
    return f"cannot stat: {exc.strerror or exc}"


def _ancestor_chain(root: Path, rel: str, collector: _Collector) -> tuple[_IgnoreFile, ...]:
    """The ``.gitignore`` files in ``root`` and the directories down to the target's parent.

    If those files ignore the (explicitly named) target itself, none of them apply.
    """
    if not collector.respect_gitignore or not rel:
        return ()
    parts = PurePath(rel).parts
    chain: list[_IgnoreFile] = []
    for depth in range(len(parts)):
        base = "/".join(parts[:depth])
        ignore_file = _read_gitignore(root.joinpath(*parts[:depth]) / ".gitignore", base)
        if ignore_file is not None:
            chain.append(ignore_file)
    if _is_ignored(tuple(chain), rel, is_dir=True):
        return ()
    return tuple(chain)


def _read_gitignore(path: Path, base: str) -> _IgnoreFile | None:
    try:
        if not path.is_file() or path.is_symlink():
            return None
        data = read_regular_file(path, GITIGNORE_MAX_BYTES)
    except OSError as exc:
        logger.warning("%s: not read, nothing in it is ignored: %s", path, exc)
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    return _IgnoreFile(base, compile_lenient(lines))


def _is_ignored(chain: tuple[_IgnoreFile, ...], relpath: str, *, is_dir: bool) -> bool:
    """Git semantics: deeper ``.gitignore`` files override shallower ones; last match wins."""
    ignored = False
    for ignore_file in chain:
        if ignore_file.base:
            if not relpath.startswith(ignore_file.base + "/"):
                continue
            sub = relpath[len(ignore_file.base) + 1 :]
        else:
            sub = relpath
        include = ignore_file.spec.check_file(sub + "/" if is_dir else sub).include
        if include is not None:
            ignored = include
    return ignored


def _walk_target(
    boundary: str, rel: str, chain: tuple[_IgnoreFile, ...], collector: _Collector
) -> None:
    """Walk the real tree of one directory target, then the symlinked directories in it."""
    visited = {boundary}
    stack = [_DirJob(boundary, rel, chain)]
    deferred: list[tuple[_DirJob, str]] = []
    while stack or deferred:
        if stack:
            job = stack.pop()
        else:
            job, link_parent = deferred.pop(0)
            reason = _revisit_reason(job.real, link_parent, visited)
            if reason:
                collector.skip(job.rel, reason)
                continue
            visited.add(job.real)
        for sub_job in _list_dir(job, boundary, collector):
            if sub_job.via_symlink and not job.via_symlink:
                deferred.append((sub_job, job.real))
            elif sub_job.via_symlink and sub_job.real in visited:
                collector.skip(sub_job.rel, _revisit_reason(sub_job.real, job.real, visited))
            else:
                visited.add(sub_job.real)
                stack.append(sub_job)


def _revisit_reason(real: str, link_parent: str, visited: set[str]) -> str:
    """Why a symlinked directory is not walked, or "" if it should be."""
    if _is_within(link_parent, real):
        return f"{_LOOP} (points to an ancestor directory)"
    if real in visited:
        return "symlink to a directory that is already scanned"
    return ""


def _is_within(path: str, parent: str) -> bool:
    return os.path.commonpath([path, parent]) == parent


def _list_dir(job: _DirJob, boundary: str, collector: _Collector) -> Iterator[_DirJob]:
    """Record the files of one directory and yield its subdirectories to walk."""
    try:
        with os.scandir(job.real) as it:
            entries = sorted((_inspect(e) for e in it), key=lambda e: e.name)
    except OSError as exc:
        collector.fail(job.rel or ".", f"cannot list directory: {exc.strerror or exc}")
        return
    chain = job.chain
    if collector.respect_gitignore and any(e.name == ".gitignore" for e in entries):
        ignore_file = _read_gitignore(Path(job.real) / ".gitignore", job.rel)
        if ignore_file is not None:
            chain = (*chain, ignore_file)
    for entry in entries:
        relpath = f"{job.rel}/{entry.name}" if job.rel else entry.name
        if job.via_symlink and not entry.via_symlink:
            entry = _Entry(entry.name, entry.kind, entry.real, True, entry.reason)
        sub_dir = _handle_entry(entry, relpath, chain, boundary, collector)
        if sub_dir is not None:
            yield _DirJob(sub_dir.real, relpath, chain, sub_dir.via_symlink)


def _handle_entry(
    entry: _Entry,
    relpath: str,
    chain: tuple[_IgnoreFile, ...],
    boundary: str,
    collector: _Collector,
) -> _Entry | None:
    """Record one entry; return it if it is a directory to walk."""
    is_dir = entry.kind == "dir"
    if is_dir and entry.name == ".git":
        return None
    if collector.excluded(relpath, is_dir=is_dir) or (
        collector.respect_gitignore and _is_ignored(chain, relpath, is_dir=is_dir)
    ):
        return None
    if entry.kind == "error":
        collector.fail(relpath, entry.reason)
    elif entry.kind in ("dangling", "loop"):
        collector.skip(relpath, _DANGLING if entry.kind == "dangling" else _LOOP)
    elif entry.via_symlink and not _is_within(entry.real, boundary):
        collector.skip(relpath, _OUTSIDE)
    elif entry.via_symlink and ".git" in PurePath(entry.real).relative_to(boundary).parts:
        collector.skip(relpath, "symlink points into a .git directory")
    elif entry.kind == "special":
        collector.skip(relpath, _NOT_REGULAR)
    elif is_dir:
        return entry
    else:
        collector.add_file(relpath, entry.real, via_symlink=entry.via_symlink)
    return None


def _inspect(entry: os.DirEntry[str]) -> _Entry:
    """What ``entry`` is, following it once if it is a symlink. Never opens it."""
    name = entry.name
    try:
        if not entry.is_symlink():
            mode = entry.stat(follow_symlinks=False).st_mode
            return _Entry(name, _kind(mode), entry.path)
        try:
            mode = entry.stat(follow_symlinks=True).st_mode
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return _Entry(name, "loop", via_symlink=True)
            if isinstance(exc, FileNotFoundError | NotADirectoryError):
                return _Entry(name, "dangling", via_symlink=True)
            raise
        return _Entry(name, _kind(mode), os.path.realpath(entry.path), via_symlink=True)
    except OSError as exc:
        return _Entry(name, "error", reason=f"cannot stat: {exc.strerror or exc}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "special"


def _finish(collector: _Collector) -> Discovery:
    """Keep each real file once (preferring a non-symlink path) and sort everything."""
    by_real: dict[str, list[_Candidate]] = {}
    for candidate in collector.candidates.values():
        by_real.setdefault(candidate.real, []).append(candidate)
    files: list[DiscoveredFile] = []
    for group in by_real.values():
        group.sort(key=lambda c: (c.via_symlink, c.relpath))
        chosen = group[0]
        files.append(DiscoveredFile(Path(chosen.real), chosen.relpath))
        for other in group[1:]:
            collector.skip(other.relpath, f"same file as {chosen.relpath}")
    files.sort(key=lambda f: f.relpath)
    return Discovery(
        files=tuple(files),
        skipped=tuple(SkippedFile(p, r) for p, r in sorted(collector.skipped.items())),
        failed=tuple(FailedFile(p, r) for p, r in sorted(collector.failed.items())),
    )
