"""Helpers for the dependency tests: write a manifest and parse it."""

from __future__ import annotations

from pathlib import Path

from aiwarden.analyzers.deps.manifest import Dependency, ManifestResult, parse_manifest


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def parse(root: Path, relpath: str, text: str) -> ManifestResult:
    path = write(root, relpath, text)
    return parse_manifest(path, text, relpath, root=root)


def by_name(result: ManifestResult) -> dict[str, Dependency]:
    return {d.normalized: d for d in result.dependencies}
