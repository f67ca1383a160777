"""Streaming SHA-256: block boundaries, bounds, special files, the manifest digest."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aiwarden.bom.hashing import HashLimitError, sha256_file, sha256_manifest


@pytest.mark.parametrize("size", [0, 1, 6, 7, 8, 13, 14, 15, 1000])
def test_digest_across_block_boundaries(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    digest = sha256_file(path, block_size=7)
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.size == size


def test_default_block_size_on_a_multi_block_file(tmp_path: Path) -> None:
    data = os.urandom(9 * 1024 * 1024 + 3)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_file(path).sha256 == hashlib.sha256(data).hexdigest()


def test_byte_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 100)
    assert sha256_file(path, max_bytes=100).size == 100
    with pytest.raises(HashLimitError):
        sha256_file(path, max_bytes=99)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        sha256_file(fifo)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        sha256_file(tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="needs sha256sum")
def test_manifest_digest_matches_sha256sum(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_bytes(b"alpha")
    (tmp_path / "b/c.bin").write_bytes(b"\x00\x01")
    entries = [
        (rel, hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest())
        for rel in ("b/c.bin", "a.txt")
    ]
    try:
        listing = subprocess.run(
            ["sha256sum", "a.txt", "b/c.bin"], cwd=tmp_path, capture_output=True, check=True
        ).stdout
    except FileNotFoundError:
        pytest.skip("sha256sum is not installed")
    assert sha256_manifest(entries) == hashlib.sha256(listing).hexdigest()
