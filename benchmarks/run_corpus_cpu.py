"""Benchmark: CPU of one whole-corpus scan, aiwarden against modelscan, many runs.

    .venv/bin/python benchmarks/run_corpus_cpu.py [--runs 15]

``run_models.py`` times each tool once; a single run of a sub-second command varies by
tens of milliseconds on a shared machine. This script runs each command ``--runs``
times, alternating the tools so that neither benefits from going last, and prints the
minimum and median CPU (user + system of the process and its children, from
``os.wait4``) of:

* ``aiwarden scan . -f json -o OUT --no-progress --no-gitignore -j 2`` in the corpus;
* ``modelscan -p . -r json -o OUT`` in the corpus (the peers' virtualenv, see
  ``peers/setup.sh``);
* both tools on an empty directory (their start-up cost).

Run ``python -m compileall src`` first where ``PYTHONDONTWRITEBYTECODE`` is set:
modules without a current ``.pyc`` are compiled again on every run.
Numbers only: nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".cache" / "corpus"
AIWARDEN = HERE.parent / ".venv" / "bin" / "aiwarden"
MODELSCAN = HERE / ".venv-peers" / "bin" / "modelscan"


def _cpu(argv: list[str], cwd: Path) -> float:
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def _commands(out: Path) -> dict[str, list[str]]:
    commands = {
        "aiwarden": [
            str(AIWARDEN), "scan", ".", "-f", "json", "-o", str(out / "aiwarden.json"),
            "--no-progress", "--no-gitignore", "-j", "2",
        ],
    }  # fmt: skip
    if MODELSCAN.exists():
        commands["modelscan"] = [
            str(MODELSCAN),
            "-p",
            ".",
            "-r",
            "json",
            "-o",
            str(out / "modelscan.json"),
        ]
    return commands


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print("no corpus: run benchmarks/run_models.py once to build it", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        out, empty = Path(scratch) / "out", Path(scratch) / "empty"
        out.mkdir()
        empty.mkdir()
        commands = _commands(out)
        samples: dict[str, list[float]] = {}
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples.setdefault(f"{name}, whole corpus", []).append(_cpu(argv, CORPUS))
                samples.setdefault(f"{name}, empty directory", []).append(_cpu(argv, empty))
    print(f"CPU seconds (user+sys), {args.runs} alternating runs each, corpus {CORPUS}")
    print(f"{'command':32} {'min':>7} {'median':>7}")
    for name, values in sorted(samples.items()):
        print(f"{name:32} {min(values):7.3f} {statistics.median(values):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
