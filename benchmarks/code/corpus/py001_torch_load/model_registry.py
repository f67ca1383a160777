"""Tiny model registry used by the inference workers."""

import io
import pathlib
from dataclasses import dataclass

import torch.jit
import torch.serialization
from torch.serialization import load as deserialize
import torch.package

ALLOW_CODE = False


@dataclass
class Entry:
    name: str
    path: pathlib.Path


class Registry:
    def __init__(self, root: str) -> None:
        self.root = pathlib.Path(root)

    def scripted(self, entry: Entry):
        return torch.jit.load(str(entry.path), map_location="cpu")  # expect: AIW-PY001

    def legacy(self, blob: bytes):
        return torch.serialization.load(io.BytesIO(blob))  # expect: AIW-PY001

    def packaged(self, entry: Entry):
        importer = torch.package.PackageImporter(entry.path)  # expect: AIW-PY001
        return importer.load_pickle("model", "model.pkl")

    def weights(self, entry: Entry):
        with entry.path.open("rb") as fh:
            return deserialize(fh, weights_only=True)  # ok: AIW-PY001

    def snapshot(self, entry: Entry, model) -> None:
        torch.save(model.state_dict(), entry.path)  # ok: AIW-PY001
