"""Discovery: what is walked, what is skipped, what fails, and what is silently ignored."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from aiwarden.engine.discovery import Discovery, discover, scan_root
from aiwarden.errors import UsageError


def _write(path: Path, text: str = "x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _relpaths(result: Discovery) -> list[str]:
    return [f.relpath for f in result.files]


def _skipped(result: Discovery) -> dict[str, str]:
    return {s.path: s.reason for s in result.skipped}


def test_lists_files_sorted_with_posix_relpaths(tmp_path: Path) -> None:
    _write(tmp_path / "b.py")
    _write(tmp_path / "a" / "z.txt")
    _write(tmp_path / "a" / "c" / "d.json")

    result = discover([tmp_path], tmp_path)

    assert _relpaths(result) == ["a/c/d.json", "a/z.txt", "b.py"]
    assert result.files[2].path == (tmp_path / "b.py").resolve()
    assert result.skipped == () and result.failed == ()


def test_relpaths_are_relative_to_root_not_target(tmp_path: Path) -> None:
    _write(tmp_path / "proj" / "sub" / "m.py")

    result = discover([tmp_path / "proj" / "sub"], tmp_path)

    assert _relpaths(result) == ["proj/sub/m.py"]


def test_missing_target_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        discover([tmp_path / "nope"], tmp_path)


def test_git_directory_is_always_skipped(tmp_path: Path) -> None:
    _write(tmp_path / ".git" / "config")
    _write(tmp_path / "keep.py")

    assert _relpaths(discover([tmp_path], tmp_path, respect_gitignore=False)) == ["keep.py"]


def test_symlink_out_of_target_is_skipped(tmp_path: Path) -> None:
    outside = _write(tmp_path / "outside" / "secret.txt")
    (tmp_path / "outside" / "dir").mkdir()
    target = tmp_path / "target"
    _write(target / "ok.py")
    (target / "file_link").symlink_to(outside)
    (target / "dir_link").symlink_to(tmp_path / "outside" / "dir")

    result = discover([target], tmp_path)

    assert _relpaths(result) == ["target/ok.py"]
    skipped = _skipped(result)
    assert skipped["target/file_link"] == "symlink points outside the scan target"
    assert skipped["target/dir_link"] == "symlink points outside the scan target"


def test_symlink_inside_target_is_followed_once(tmp_path: Path) -> None:
    _write(tmp_path / "real" / "model.pkl")
    _write(tmp_path / "only_via_link" / "w.bin")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "file_alias.pkl").symlink_to(tmp_path / "real" / "model.pkl")

    result = discover([tmp_path], tmp_path, exclude=["only_via_link/"])

    # The real paths win; the links to already scanned things are reported, not re-walked.
    assert _relpaths(result) == ["real/model.pkl"]
    skipped = _skipped(result)
    assert "already scanned" in skipped["alias"]
    assert skipped["file_alias.pkl"] == "same file as real/model.pkl"


def test_symlinked_dir_into_unwalked_part_of_target_is_walked(tmp_path: Path) -> None:
    _write(tmp_path / "hidden" / "w.bin")
    (tmp_path / "link").symlink_to(tmp_path / "hidden")

    result = discover([tmp_path], tmp_path, exclude=["/hidden/"])

    assert _relpaths(result) == ["link/w.bin"]
    assert result.files[0].path == (tmp_path / "hidden" / "w.bin").resolve()


def test_symlink_loop_terminates_and_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "f.py")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    (tmp_path / "self").symlink_to(tmp_path / "self")

    done: list[Discovery] = []
    worker = threading.Thread(target=lambda: done.append(discover([tmp_path], tmp_path)))
    worker.start()
    worker.join(timeout=10)

    assert done, "discovery did not terminate on a symlink loop"
    result = done[0]
    assert _relpaths(result) == ["a/f.py"]
    skipped = _skipped(result)
    assert skipped["a/loop"].startswith("symlink loop")
    assert skipped["a/up"].startswith("symlink loop")
    assert skipped["self"] == "symlink loop"


def test_dangling_symlink_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")

    assert _skipped(discover([tmp_path], tmp_path)) == {"dangling": "dangling symlink"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_is_skipped_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    _write(tmp_path / "ok.txt")

    done: list[Discovery] = []
    worker = threading.Thread(
        target=lambda: done.append(discover([tmp_path, tmp_path / "pipe"], tmp_path)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=10)

    assert done, "discovery hung on a FIFO"
    assert _relpaths(done[0]) == ["ok.txt"]
    assert _skipped(done[0]) == {"pipe": "not a regular file"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_directory_is_failed(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    _write(locked / "inside.py")
    _write(tmp_path / "ok.py")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK | os.X_OK):
            pytest.skip("running with privileges that ignore directory permissions")
        result = discover([tmp_path], tmp_path)
    finally:
        locked.chmod(0o755)

    assert _relpaths(result) == ["ok.py"]
    assert [f.path for f in result.failed] == ["locked"]
    assert "cannot list directory" in result.failed[0].reason


def test_nested_gitignore_files_apply_relative_to_their_directory(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.log\nbuild/\n")
    _write(tmp_path / "sub" / ".gitignore", "/local.txt\n!keep.log\n")
    for name in ("a.log", "local.txt", "build/out.py", "sub/keep.log", "sub/b.log"):
        _write(tmp_path / name)
    _write(tmp_path / "sub" / "local.txt")
    _write(tmp_path / "sub" / "deeper" / "local.txt")

    result = discover([tmp_path], tmp_path)

    assert _relpaths(result) == [
        ".gitignore",
        "local.txt",
        "sub/.gitignore",
        "sub/deeper/local.txt",
        "sub/keep.log",
    ]
    assert result.skipped == ()  # ignored files make no noise


def test_gitignore_in_ancestor_between_root_and_target_applies(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.tmp\n")
    _write(tmp_path / "pkg" / "a.tmp")
    _write(tmp_path / "pkg" / "a.py")

    assert _relpaths(discover([tmp_path / "pkg"], tmp_path)) == ["pkg/a.py"]


def test_gitignore_is_not_respected_when_disabled(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.log\n")
    _write(tmp_path / "a.log")

    result = discover([tmp_path], tmp_path, respect_gitignore=False)

    assert _relpaths(result) == [".gitignore", "a.log"]


def test_explicit_file_target_beats_gitignore_but_not_exclude(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.pkl\n")
    model = _write(tmp_path / "model.pkl")
    other = _write(tmp_path / "other.pkl")

    assert _relpaths(discover([model], tmp_path)) == ["model.pkl"]
    result = discover([model, other], tmp_path, exclude=["other.pkl"])
    assert _relpaths(result) == ["model.pkl"]
    assert _skipped(result) == {"other.pkl": "matches an exclude pattern"}


def test_exclude_patterns_match_relpath_from_root(tmp_path: Path) -> None:
    for name in ("src/a.py", "src/vendor/b.py", "tests/fixtures/c.py", "docs/x.md"):
        _write(tmp_path / name)

    result = discover([tmp_path], tmp_path, exclude=["vendor", "tests/fixtures/", "*.md"])

    assert _relpaths(result) == ["src/a.py"]
    assert result.skipped == ()


def test_invalid_exclude_pattern_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="exclude"):
        discover([tmp_path], tmp_path, exclude=["!"])


def test_overlapping_targets_list_each_file_once(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "b" / "c.py")

    result = discover(
        [tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c.py"], tmp_path
    )

    assert _relpaths(result) == ["a/b/c.py"]


def test_scan_root_prefers_project_root_containing_every_target(tmp_path: Path) -> None:
    _write(tmp_path / "proj" / "a" / "x.py")
    _write(tmp_path / "proj" / "b" / "y.py")
    _write(tmp_path / "elsewhere" / "z.py")
    proj = tmp_path / "proj"

    assert scan_root([proj / "a", proj / "b" / "y.py"], proj) == proj
    assert scan_root([proj / "a", proj / "b" / "y.py"], None) == proj
    assert scan_root([proj / "a" / "x.py"], None) == proj / "a"
    assert scan_root([proj / "a", tmp_path / "elsewhere"], proj) == tmp_path


def test_directory_that_cannot_be_listed_is_failed_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "locked" / "inside.py")
    _write(tmp_path / "ok.py")
    real_scandir = os.scandir
    locked = str((tmp_path / "locked").resolve())

    def scandir(path: str) -> object:
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr("aiwarden.engine.discovery.os.scandir", scandir)
    result = discover([tmp_path], tmp_path)

    assert _relpaths(result) == ["ok.py"]
    assert [(f.path, f.reason) for f in result.failed] == [
        ("locked", "cannot list directory: Permission denied")
    ]
