"""The governance analyzer: documents an AI project keeps (AIW-GOV001 to AIW-GOV012).

Design. An analyzer sees one file at a time, but "SECURITY.md is missing" is a fact
about a project, so this analyzer accepts the project's *anchor*: its manifest
(``pyproject.toml``, else ``setup.py``, ``setup.cfg``, ``package.json``,
``requirements.txt``; one anchor per directory, the first present in that order).
Analysing the anchor:

1. inventories the project directory with a bounded walk that never follows symlinks
   (:mod:`.project`): model files, model directories, datasets, prompts, BOMs,
   checksum manifests, signatures, package ecosystems. Subdirectories that are projects
   of their own, virtual environments, VCS metadata, caches and test fixtures are
   skipped;
2. looks for each governance document by name, in the project directory and then in
   each parent up to the scan root (repository-wide documents such as SECURITY.md and
   ``.github/dependabot.yml`` are inherited by the packages of a monorepo);
3. checks each document's coverage of its topics (:mod:`.topics`): a heading with
   enough text under it, or a specific phrase.

A missing document is reported on the anchor at line 1, with what was looked for and
where; a thin document is reported on the document itself, with the topics it lacks.
Each message states what the text covers, never that a control works.

Why anchors are manifests and not "any file at the scan root": report paths are
relative to the git work tree (or the configuration directory), not to the scan
target, so ``Artifact.relpath`` cannot tell a one-file scan from a project scan
(``aiwarden scan README.md`` at a repository root gives ``README.md``, and scanning
``packages/app/`` gives ``packages/app/pyproject.toml``). Scanning a single README,
model or config therefore never produces presence findings, because only manifests are
anchors; scanning a manifest on its own is asking about its project. Nested projects
(monorepo packages) are projects: each is checked once, on its own anchor.

Bounds: the walk stops at 10 directory levels and 20,000 entries, a directory listing
at 5,000 entries, a document at 2 MiB and 20,000 lines, front matter at 64 KiB, a BOM
at 8 MiB. Reaching one raises ``LimitExceeded`` after the findings so far are yielded,
which the engine reports as an incomplete scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.governance._anchors import ANCHORS
from aiwarden.analyzers.governance.rules import RULES
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.governance import project as _project
    from aiwarden.analyzers.governance._gap import Gap
    from aiwarden.analyzers.governance.documents import Bounds
    from aiwarden.analyzers.governance.project import Project
else:  # the project walker loads with the first anchor file
    _project = lazy_import("aiwarden.analyzers.governance.project")


class GovernanceAnalyzer(Analyzer):
    """Checks a project's governance documents when it analyses the project's manifest."""

    name: ClassVar[str] = "governance"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(FileFormat)
    today: ClassVar[Callable[[], dt.date]] = staticmethod(dt.date.today)
    """Today's date, for the threat model's age (tests pin it)."""

    def __init__(self, today: Callable[[], dt.date] | None = None) -> None:
        self._today = today

    def accepts(self, artifact: Artifact) -> bool:
        """Project manifests on disk (never archive members), one per directory."""
        if artifact.member is not None or artifact.name not in ANCHORS:
            return False
        return _project.is_anchor(artifact.path.parent, artifact.name)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield one finding per missing or thin governance document of the project."""
        from aiwarden.analyzers.governance.documents import Bounds  # Markdown and YAML: on use

        bounds = Bounds([])
        project = load_project(artifact, bounds)
        today = (self._today or type(self).today)()
        for gap in project_gaps(project, bounds, today):
            yield _finding(artifact, gap)
        if bounds.reached:
            raise LimitExceeded("governance_walk", len(bounds.reached), "; ".join(bounds.reached))


def load_project(artifact: Artifact, bounds: Bounds) -> Project:
    """The project whose anchor is ``artifact``, with its inventory."""
    directory = artifact.path.parent
    rel_dir = artifact.relpath.rsplit("/", 1)[0] if "/" in artifact.relpath else ""
    depth = len(Path(rel_dir).parts) if rel_dir else 0
    lookup = [directory, *list(directory.parents)[:depth]]
    prefix = f"{rel_dir}/" if rel_dir else ""
    return _project.Project(directory, prefix, tuple(lookup), _project.walk(directory, bounds))


def project_gaps(project: Project, bounds: Bounds, today: dt.date) -> Iterator[Gap]:
    """Every governance gap of ``project``, in rule order."""
    # Imported here: the document checks (Markdown, YAML, topic vocabularies) are only
    # needed when a project manifest is scanned, not by every scan that loads the registry.
    from aiwarden.analyzers.governance._integrity import (
        bom_gaps,
        integrity_gaps,
        prompt_gaps,
        read_boms,
    )
    from aiwarden.analyzers.governance.cards import card_gaps
    from aiwarden.analyzers.governance.policies import policy_gaps
    from aiwarden.analyzers.governance.updates import update_gaps

    facts = read_boms(project, bounds)
    gaps = [
        *policy_gaps(project, bounds, today),
        *card_gaps(project, bounds),
        *bom_gaps(project, facts),
        *prompt_gaps(project, bounds),
        *integrity_gaps(project, facts, bounds),
        *update_gaps(project, bounds),
    ]
    yield from sorted(gaps, key=lambda g: (g.rule.id, g.key))


def _finding(artifact: Artifact, gap: Gap) -> Finding:
    location = artifact.location(line=1) if gap.relpath is None else Location(gap.relpath, line=1)
    return make_finding(
        gap.rule,
        location,
        gap.message,
        evidence=gap.evidence,
        fingerprint_key=gap.key,
    )
