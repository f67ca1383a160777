"""Builds the labelled corpus (and, on demand, the 1.5 GB timing files)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import benign, containers, formats
from .malicious_pickle import all_pickles
from .manifest import Corpus

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
CACHE = BENCH / ".cache"
TORCH_PY = BENCH / ".venv-torch" / "bin" / "python"
BIG_GB = 1.5


def add_malicious_pickles(corpus: Corpus) -> None:
    for sample in all_pickles():
        corpus.write(
            f"malicious/pickle/{sample.name}",
            sample.data,
            format="pickle",
            technique=sample.technique,
            malicious=True,
            reference=sample.reference,
            note=sample.note,
        )


def add_torch_benign(corpus: Corpus) -> None:
    if not TORCH_PY.exists():
        print("  (no benchmarks/.venv-torch: skipping real torch/keras benign files)")
        return
    out = corpus.root / "benign" / "torch"
    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run(
        [str(TORCH_PY), str(HERE / "torch_writer.py"), str(out)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    for row in json.loads(proc.stdout.strip().splitlines()[-1]):
        rel = f"benign/torch/{row.pop('path')}"
        corpus.record(rel, malicious=False, **row)


def build(root: Path) -> Corpus:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    corpus = Corpus(root)
    add_malicious_pickles(corpus)
    containers.add_torch(corpus)
    containers.add_joblib(corpus)
    containers.add_numpy(corpus)
    containers.add_archives(corpus)
    formats.add_keras(corpus)
    formats.add_tensorflow(corpus)
    formats.add_onnx(corpus)
    formats.add_safetensors(corpus)
    formats.add_templates(corpus)
    benign.add_all(corpus)
    add_torch_benign(corpus)
    corpus.save()
    return corpus


def build_big(big_dir: Path, gb: float = BIG_GB) -> dict[str, Path]:
    """The two timing files; reused when already there."""
    big_dir.mkdir(parents=True, exist_ok=True)
    paths = {"pytorch": big_dir / "big_checkpoint.pt", "safetensors": big_dir / "big.safetensors"}
    if not paths["pytorch"].exists():
        if not TORCH_PY.exists():
            raise SystemExit("benchmarks/.venv-torch is needed for the big checkpoint")
        tmp = paths["pytorch"].with_suffix(".tmp")
        subprocess.run(
            [str(TORCH_PY), str(HERE / "torch_writer.py"), "--big", str(tmp), str(gb)], check=True
        )
        tmp.rename(paths["pytorch"])
    if not paths["safetensors"].exists():
        _big_safetensors(paths["safetensors"], gb)
    return paths


def _big_safetensors(path: Path, gb: float) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    count = int(gb * 1e9 // (4096 * 1024 * 4))
    tensors = {
        f"layers.{i}.weight": np.full((4096, 1024), i, dtype=np.float32) for i in range(count)
    }
    tmp = path.with_suffix(".tmp")
    save_file(tensors, str(tmp), metadata={"format": "pt"})
    tmp.rename(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=CACHE / "corpus")
    parser.add_argument("--big", action="store_true", help="also write the 1.5 GB files")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    corpus = build(args.root)
    bad = sum(s.malicious for s in corpus.samples)
    print(
        f"corpus: {len(corpus.samples)} samples ({bad} malicious) in {args.root} "
        f"[{time.perf_counter() - start:.1f}s]"
    )
    if args.big:
        for kind, path in build_big(CACHE / "big").items():
            print(f"big {kind}: {path} ({path.stat().st_size / 1e9:.2f} GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
