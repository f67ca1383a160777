"""Resume a fine-tuning run from the newest checkpoint (training script)."""

import argparse
import glob
import os

import torch
import torch as t
from torch import load as torch_load
from safetensors.torch import load_file

SAFE_LOAD = True
CKPT_DIR = os.environ.get("CKPT_DIR", "checkpoints")


def newest_checkpoint(directory: str) -> str:
    files = sorted(glob.glob(os.path.join(directory, "*.pt")), key=os.path.getmtime)
    return files[-1]


def restore(model, optimizer, path: str) -> int:
    state = torch.load(path, map_location="cpu")  # expect: AIW-PY001
    model.load_state_dict(state["model"])  # ok: AIW-PY001
    optimizer.load_state_dict(t.load(path + ".optim", weights_only=False))  # expect: AIW-PY001
    return int(state["step"])


def restore_ema(ema, path: str) -> None:
    ema.load_state_dict(torch_load(path, weights_only=SAFE_LOAD))  # ok: AIW-PY001


def restore_weights_only(model, path: str) -> None:
    model.load_state_dict(torch.load(path, "cpu", weights_only=True))  # ok: AIW-PY001


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--init-from", default=None)
    args = parser.parse_args()
    if args.init_from:
        backbone = torch_load(args.init_from)  # expect: AIW-PY001
    adapter = load_file(os.path.join(CKPT_DIR, "adapter.safetensors"))  # ok: AIW-PY001
