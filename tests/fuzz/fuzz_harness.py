"""One fuzzing step: write bytes under a name, classify them, run every analyzer.

Only :class:`~aiwarden.analyzers.interface.LimitExceeded` may leave an analyzer;
any other exception is a bug the fuzzers report. Plain archives are expanded by the
engine, so they also go through :func:`aiwarden.engine.worker.analyze_file`, which
must report any analyzer crash as ``AIW-ENG001`` (also a bug here).
"""

from __future__ import annotations

from pathlib import Path

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.registry import Registry, load_analyzers
from aiwarden.engine.classify import classify_file
from aiwarden.engine.worker import FileTask, analyze_file

LIMITS = Limits(timeout_s=20, max_decompressed_bytes=64 * 1024 * 1024)
_REGISTRY: list[Registry] = []


def registry() -> Registry:
    """The installed analyzers (loaded once)."""
    if not _REGISTRY:
        _REGISTRY.append(load_analyzers(builtin_only=True))
    return _REGISTRY[0]


def run_one(data: bytes, name: str, workdir: Path) -> None:
    """Analyse ``data`` as a file called ``name``; raise on an analyzer bug."""
    path = workdir / name
    path.write_bytes(data)
    artifact = Artifact(path, name, classify_file(path), len(data))
    for analyzer in registry().analyzers:
        if not analyzer.accepts(artifact):
            continue
        try:
            for _ in analyzer.analyze(artifact, LIMITS):
                pass
        except LimitExceeded:
            pass
    names = tuple(a.name for a in registry().analyzers)
    result = analyze_file(FileTask(str(path), name, names, LIMITS), registry())
    crashes = [f.message for f in result.findings if f.rule_id == "AIW-ENG001"]
    if crashes:
        raise AssertionError(f"analyzer crashed inside an archive member: {crashes[0]}")
