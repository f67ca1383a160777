"""Coverage-guided fuzzing of every model analyzer with atheris.

Run (after ``pip install atheris``)::

    python tests/fuzz/fuzz_models.py -atheris_runs=20000 -timeout=20

The fuzzer picks a seed format from the first input byte and mutates that seed with
the rest; any exception other than LimitExceeded, or a run longer than ``-timeout``
seconds, is reported as a crash with a reproducer file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import atheris

with atheris.instrument_imports():
    from fuzz_harness import run_one
from fuzz_seeds import build_seeds

WORKDIR = Path(tempfile.mkdtemp(prefix="aiwarden-fuzz-"))
SEEDS = sorted(build_seeds(WORKDIR / "seeds").items())


def one_input(data: bytes) -> None:
    """Splice the input into a seed chosen by its first byte, then analyse it."""
    if not data:
        return
    name, seed = SEEDS[data[0] % len(SEEDS)]
    provider = atheris.FuzzedDataProvider(data[1:])
    at = provider.ConsumeIntInRange(0, len(seed))
    cut = provider.ConsumeIntInRange(0, 64)
    patch = provider.ConsumeBytes(provider.ConsumeIntInRange(0, 256))
    run_one(seed[:at] + patch + seed[at + cut :], name, WORKDIR)


def main() -> None:
    """Start atheris with the command-line arguments."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
