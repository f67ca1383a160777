"""The labelled-sample record and the writer that keeps manifest.json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One labelled file of the corpus (``path`` is relative to the corpus root).

    ``scope`` is the path prefix whose findings are attributed to this sample:
    the file itself, or its own directory when it comes with side files
    (ONNX external data, a SavedModel's variables/).
    """

    path: str
    format: str
    technique: str
    malicious: bool
    reference: str = ""
    note: str = ""
    scope: str = ""


class Corpus:
    """Writes samples under ``root`` and collects their labels."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.samples: list[Sample] = []

    def path(self, rel: str) -> Path:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: bytes, **label: str | bool) -> Path:
        target = self.path(rel)
        target.write_bytes(data)
        self.record(rel, **label)
        return target

    def record(self, rel: str, **label: str | bool) -> None:
        label.setdefault("scope", rel)
        self.samples.append(Sample(path=rel, **label))  # type: ignore[arg-type]

    def save(self) -> Path:
        seen: set[str] = set()
        for sample in self.samples:
            if sample.path in seen:
                raise ValueError(f"duplicate sample {sample.path}")
            seen.add(sample.path)
        target = self.root / "manifest.json"
        rows = [asdict(s) for s in self.samples]
        target.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        return target


def load(root: Path) -> list[Sample]:
    rows = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [Sample(**row) for row in rows]
