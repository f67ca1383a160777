"""Benchmark: SHA-256 throughput of aiwarden's hashing against hashlib and sha256sum.

    .venv/bin/python benchmarks/run_hashing.py [--size-mib 2048] [--rounds 3]

Writes a 2 GiB file once (``benchmarks/.cache/hashing/``, reused afterwards), reads it
once to warm the page cache, then times, in rounds so that no method benefits from
going last:

* ``aiwarden``: :func:`aiwarden.bom.hashing.sha256_file` (8 MiB ``readinto`` blocks);
* ``hashlib-1MiB``: a plain loop of ``f.read(1 MiB)`` + ``sha256.update``;
* ``hashlib.file_digest``: the standard library's helper (256 KiB blocks);
* ``sha256sum``: GNU coreutils, as a subprocess.

Each method runs ``--rounds`` times; the best wall time is reported as GB/s
(10^9 bytes per second), with the CPU seconds (user + system) of that run, and
GB per CPU-second of the cheapest run (the figure to compare on a shared, loaded
machine, where wall time measures the neighbours). All digests must agree.
Numbers only: nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "hashing"
sys.path.insert(0, str(HERE.parent / "src"))

from aiwarden.bom.hashing import BLOCK_SIZE, sha256_file  # noqa: E402

CHUNK = 64 * 1024 * 1024


@dataclass
class Timing:
    """One run of one method."""

    wall_s: float
    cpu_s: float
    digest: str


def ensure_file(size: int) -> Path:
    """The benchmark file of ``size`` bytes, written once (incompressible content)."""
    path = CACHE / f"sha256-bench-{size}.bin"
    if path.exists() and path.stat().st_size == size:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    block = os.urandom(CHUNK)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        left = size
        while left:
            count = min(left, CHUNK)
            handle.write(block[:count])
            left -= count
    tmp.replace(path)
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_aiwarden(path: Path) -> str:
    return sha256_file(path).sha256


def run_hashlib_1mib(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def run_file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def run_sha256sum(path: Path) -> str:
    program = shutil.which("sha256sum") or "sha256sum"
    out = subprocess.run([program, str(path)], capture_output=True, check=True, text=True)
    return out.stdout.split()[0]


METHODS: dict[str, tuple[Callable[[Path], str], bool]] = {
    "aiwarden": (run_aiwarden, False),
    "hashlib-1MiB": (run_hashlib_1mib, False),
    "hashlib.file_digest": (run_file_digest, False),
    "sha256sum": (run_sha256sum, True),
}


def time_one(method: Callable[[Path], str], path: Path, *, child: bool) -> Timing:
    """Wall and CPU time of one run (CPU of the child process for subprocesses)."""
    cpu = _children_cpu if child else _self_cpu
    cpu0, t0 = cpu(), time.perf_counter()
    digest = method(path)
    return Timing(time.perf_counter() - t0, cpu() - cpu0, digest)


def warm(path: Path) -> None:
    """Read the file once so every method hashes from the page cache."""
    with path.open("rb") as handle:
        while handle.read(CHUNK):
            pass


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    size = args.size_mib * 1024 * 1024
    path = ensure_file(size)
    methods = dict(METHODS)
    if shutil.which("sha256sum") is None:
        del methods["sha256sum"]
        print("sha256sum not found: skipped")
    warm(path)
    results: dict[str, list[Timing]] = {name: [] for name in methods}
    for _round in range(args.rounds):
        for name, (method, child) in methods.items():
            results[name].append(time_one(method, path, child=child))
    digests = {t.digest for runs in results.values() for t in runs}
    print(f"file: {path} ({size} bytes = {size / 1e9:.3f} GB), page cache warm")
    print(
        f"python {platform.python_version()} ({hashlib.sha256().name} via OpenSSL "
        f"{__import__('ssl').OPENSSL_VERSION.split()[1]}), {platform.machine()}, "
        f"{os.cpu_count()} CPUs; aiwarden block size {BLOCK_SIZE // (1024 * 1024)} MiB"
    )
    print(
        f"{'method':<22}{'best GB/s':>10}{'wall s':>9}{'CPU s':>8}{'GB/CPU-s':>10}"
        "   all runs: wall s (CPU s)"
    )
    for name, runs in results.items():
        best = min(runs, key=lambda t: t.wall_s)
        cheapest = min(t.cpu_s for t in runs)
        walls = ", ".join(f"{t.wall_s:.2f} ({t.cpu_s:.2f})" for t in runs)
        print(
            f"{name:<22}{size / best.wall_s / 1e9:>10.2f}{best.wall_s:>9.3f}"
            f"{best.cpu_s:>8.2f}{size / max(cheapest, 1e-9) / 1e9:>10.2f}   {walls}"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average during the run: {load:.2f} on {os.cpu_count()} CPUs")
    print(f"digests agree: {len(digests) == 1} ({next(iter(digests))[:16]}...)")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
