"""Writes benign PyTorch (and Keras) files; runs inside benchmarks/.venv-torch.

Usage: python torch_writer.py OUT_DIR            -> benign corpus files, JSON list on stdout
       python torch_writer.py --big PATH GIB     -> one big torch.save checkpoint

Standalone on purpose: it imports torch, which the project venv does not have.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(out)))


def resnet_like() -> nn.Module:
    layers: list[nn.Module] = [nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.BatchNorm2d(64)]
    layers += [Block(64) for _ in range(4)]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 1000)]
    return nn.Sequential(*layers)


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))


def write_benign(out: Path) -> list[dict[str, object]]:
    torch.manual_seed(0)
    rows: list[dict[str, object]] = []

    def record(name: str, technique: str, fmt: str = "pytorch-zip", note: str = "") -> None:
        rows.append(
            {
                "path": name,
                "format": fmt,
                "technique": technique,
                "note": note or f"torch {torch.__version__}",
            }
        )

    out.mkdir(parents=True, exist_ok=True)
    model = mlp()
    torch.save(model.state_dict(), out / "state_dict.pt")
    record("state_dict.pt", "state dict")
    torch.save(model.state_dict(), out / "pytorch_model.bin")
    record("pytorch_model.bin", "state dict")
    torch.save(model.state_dict(), out / "legacy.pt", _use_new_zipfile_serialization=False)
    record("legacy.pt", "legacy format", "pytorch-legacy")
    torch.save(resnet_like().state_dict(), out / "resnet_like.pth")
    record("resnet_like.pth", "state dict (ResNet-like)")
    optim = torch.optim.Adam(model.parameters())
    checkpoint = {"model": model.state_dict(), "optimizer": optim.state_dict(), "epoch": 3}
    torch.save(checkpoint, out / "training_checkpoint.ckpt")
    record("training_checkpoint.ckpt", "training checkpoint")
    torch.save(model, out / "full_module.pt")
    record("full_module.pt", "whole nn.Sequential pickled")
    torch.jit.script(resnet_like().eval()).save(str(out / "torchscript.pt"))
    record("torchscript.pt", "TorchScript", "torchscript")
    return rows + write_keras(out)


def write_keras(out: Path) -> list[dict[str, object]]:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras
    except ImportError:
        return []
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(2),
        ]
    )
    model.save(out / "keras_model.keras")
    model.save(out / "keras_legacy.h5")
    note = f"keras {keras.__version__} (torch backend)"
    return [
        {"path": "keras_model.keras", "format": "keras-v3", "technique": "keras-v3", "note": note},
        {"path": "keras_legacy.h5", "format": "keras-h5", "technique": "keras-h5", "note": note},
    ]


def write_big(path: Path, gib: float) -> None:
    """``gib`` GB (10**9 bytes) of float32 in 16 MiB tensors, as a model would look."""
    count = int(gib * 1e9 // (4096 * 1024 * 4))
    state = {f"layers.{i}.weight": torch.full((4096, 1024), float(i)) for i in range(count)}
    torch.save(state, path)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--big"]:
        write_big(Path(argv[1]), float(argv[2]))
        return 0
    print(json.dumps(write_benign(Path(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
