"""The ``deps.locked`` check: are the project's dependencies locked, and with hashes?

A lock file whose every registry entry carries a hash (``poetry.lock``, ``uv.lock``,
``Pipfile.lock``, ``package-lock.json`` with ``integrity``, a requirements file with
``--hash`` on every line) is machine-checked evidence for DV-1.b. Loose version ranges
with no lock undermine it only for an application: a library (packaging metadata,
nothing deployable) leaves locking to the applications that install it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.deps.manifest import LOCK_FILE_NAMES, Dependency
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence._deps import DepFacts, is_library, load_deps
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

_TEXT_HASHES: Final = re.compile(r"\bhash\s*[=:]\s*\"?sha\d+:|\bintegrity[\s:]+\"?sha\d+-|sha256:")


def _lock_state(project: ProjectView, facts: DepFacts, lock: str) -> str:
    """``hashed``, ``plain`` (versions only) or ``empty`` for one lock file."""
    entries = [d for d in facts.declared_in(lock) if d.kind == "registry"]
    if entries:
        return "hashed" if all(d.hashed for d in entries) else "plain"
    text = fs.read_text_head(project, lock, 1024 * 1024)
    if text is None or not text.strip():
        return "empty"
    return "hashed" if _TEXT_HASHES.search(text) else "plain"


def _covered(manifest: str, locks: list[str]) -> bool:
    """True if a lock file sits in the manifest's directory or one above it."""
    directory = PurePosixPath(manifest).parent
    return any(PurePosixPath(lock).parent in (directory, *directory.parents) for lock in locks)


def _loose(facts: DepFacts, locks: list[str]) -> list[Dependency]:
    """Declared dependencies without an exact pin, in manifests no lock file covers."""
    loose: list[Dependency] = []
    for manifest in facts.manifests:
        if PurePosixPath(manifest).name.lower() in LOCK_FILE_NAMES or _covered(manifest, locks):
            continue
        loose.extend(d for d in facts.declared_in(manifest) if d.direct and not d.pinned)
    return loose


class DepsLocked(EvidenceCheck):
    """Dependencies locked to exact versions, with hashes."""

    id: ClassVar[str] = "deps.locked"
    title: ClassVar[str] = "Dependencies are locked with hashes"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-1.b",)
    remediation: ClassVar[str] = (
        "Commit a lock file with hashes (uv lock, poetry lock, pip-compile "
        "--generate-hashes, npm ci with package-lock.json) and install from it."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-1.b for hashed locks (verified) or exact pins; undermines it for an
        application whose manifests use ranges with no lock."""
        facts = load_deps(project)
        states = {lock: _lock_state(project, facts, lock) for lock in facts.locks}
        hashed = sorted(
            [lock for lock, s in states.items() if s == "hashed"] + facts.hashed_requirements
        )
        plain = sorted(lock for lock, s in states.items() if s == "plain")
        locks = hashed + plain
        loose = _loose(facts, locks)
        if hashed:
            yield self.supports(
                "DV-1.b",
                f"dependencies are locked with hashes ({fs.shown(hashed, 3)})",
                Strength.VERIFIED,
                hashed,
            )
        elif plain:
            yield self.supports(
                "DV-1.b",
                f"dependencies are locked to exact versions, without hashes ({fs.shown(plain, 3)})",
                Strength.HEURISTIC,
                plain,
            )
        elif facts.dependencies and not loose:
            yield self.supports(
                "DV-1.b",
                f"all {fs.plural(len(facts.dependencies), 'dependency', 'dependencies')} are "
                "pinned to exact versions (no hashes)",
                Strength.HEURISTIC,
                facts.manifests[:10],
            )
        if loose and not is_library(project, facts):
            names = sorted({f"{d.name}{d.specifier}" for d in loose})
            yield self.undermines(
                "DV-1.b",
                f"{fs.plural(len(names), 'dependency', 'dependencies')} not pinned and no lock "
                f"file: {fs.shown(names)}",
                paths=sorted({d.path for d in loose}),
            )
