"""Evidence from the CI pipeline: scanners, security tooling, supply-chain controls.

Every check reads the same :func:`~aiwarden.assess.evidence._ci.load_ci` view of the
workflows, pipeline files, pre-commit hooks and the local scripts they run, in the
assessed directory and its ancestors. A tool counts when its name appears in a step,
hook or script (a pattern: strength ``heuristic``); pinning is checked on the parsed
``uses:`` values.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.governance.updates import DEPENDABOT_FILES, RENOVATE_FILES
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence import _tools as tools
from aiwarden.assess.evidence._ci import CiConfig, load_ci, uses_entries
from aiwarden.assess.evidence._deps import load_deps
from aiwarden.assess.evidence._locks import DepsLocked
from aiwarden.assess.evidence._segregation import InfraSegregation
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

_SHA: Final = re.compile(r"@[0-9a-f]{40}$")
_DIGEST: Final = re.compile(r"@sha256:[0-9a-f]{64}$")
_FIRST_PARTY: Final = ("actions/", "github/")
_RUFF_FILES: Final = ("pyproject.toml", "ruff.toml", ".ruff.toml")


def _hits(config: CiConfig, table: dict[str, re.Pattern[str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, pattern in table.items():
        paths = config.matching(pattern)
        if paths:
            found[name] = paths
    return found


def _paths(hits: dict[str, list[str]]) -> list[str]:
    return sorted({p for paths in hits.values() for p in paths})


def _names(hits: dict[str, list[str]]) -> str:
    return ", ".join(sorted(hits))


class CiModelScanner(EvidenceCheck):
    """A model scanner (aiwarden, modelscan, picklescan, fickling, modelaudit) runs in CI."""

    id: ClassVar[str] = "ci.model-scanner"
    title: ClassVar[str] = "Model files are scanned in CI"
    behaviours: ClassVar[tuple[str, ...]] = ("SD-3.d",)
    remediation: ClassVar[str] = (
        "Run a model scanner (aiwarden scan, modelscan, picklescan) in CI before models "
        "are loaded or promoted."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports SD-3.d when a pipeline or hook runs a model scanner."""
        hits = _hits(load_ci(project), tools.MODEL_SCANNERS)
        if hits:
            yield self.supports(
                "SD-3.d",
                f"CI runs a model scanner ({_names(hits)})",
                Strength.HEURISTIC,
                _paths(hits),
            )


def _ruff_security(project: ProjectView, config: CiConfig) -> list[str]:
    """Paths of ruff configurations selecting the ``S`` (bandit) rules, if CI runs ruff."""
    if not config.matching(tools.RUFF):
        return []
    bases = {ci.base for ci in config.files} | {project.prefix.rstrip("/")}
    found: list[str] = []
    for base in sorted(bases):
        for name in _RUFF_FILES:
            relpath = fs.join(base, name)
            text = fs.read_text_head(project, relpath)
            if text is not None and _selects_security(text, name != "pyproject.toml"):
                found.append(relpath)
    return found


def _selects_security(text: str, bare: bool) -> bool:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    ruff = data if bare else data.get("tool", {}).get("ruff", {})
    if not isinstance(ruff, dict):
        return False
    lint = ruff.get("lint", {})
    selected: list[object] = []
    for table in (ruff, lint if isinstance(lint, dict) else {}):
        for key in ("select", "extend-select"):
            value = table.get(key)
            selected += value if isinstance(value, list) else []
    return any(isinstance(s, str) and (s == "ALL" or re.fullmatch(r"S\d*", s)) for s in selected)


class CiSecurityTooling(EvidenceCheck):
    """Static analysis and secret scanning in CI (SD-3.g, SD-1.d); lint and types (DV-4.a)."""

    id: ClassVar[str] = "ci.security-tooling"
    title: ClassVar[str] = "Security tooling runs in CI"
    behaviours: ClassVar[tuple[str, ...]] = ("SD-1.d", "SD-3.g", "DV-4.a")
    remediation: ClassVar[str] = (
        "Add a CI workflow that runs static analysis and secret scanning (bandit or ruff's "
        "S rules, semgrep or CodeQL, gitleaks, aiwarden) on every change."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports or undermines SD-3.g by what the pipelines and hooks run."""
        config = load_ci(project)
        hits = _hits(config, tools.SAST)
        ruff = _ruff_security(project, config)
        if ruff:
            hits["ruff (S rules)"] = config.matching(tools.RUFF) + ruff
        lint = _hits(config, tools.LINTERS)
        if hits:
            summary = f"CI runs static analysis or secret scanning ({_names(hits)})"
            yield self.supports("SD-3.g", summary, Strength.HEURISTIC, _paths(hits))
            yield self.supports("SD-1.d", summary, Strength.HEURISTIC, _paths(hits))
        if lint:
            yield self.supports(
                "DV-4.a",
                f"CI runs linters or type checkers ({_names(lint)})",
                Strength.HEURISTIC,
                _paths(lint),
            )
        if hits:
            return
        if config.pipelines:
            yield self.undermines(
                "SD-3.g",
                "CI is configured but runs no static analysis or secret scanning",
                paths=[f.relpath for f in config.pipelines][:10],
            )
        elif not config.files:
            yield self.undermines("SD-3.g", "no CI configuration found")


class DepsSca(EvidenceCheck):
    """Dependency vulnerability scanning (SCA) in CI or by an update bot."""

    id: ClassVar[str] = "deps.sca"
    title: ClassVar[str] = "Dependencies are checked for known vulnerabilities"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-1.a",)
    remediation: ClassVar[str] = (
        "Run pip-audit, osv-scanner or aiwarden in CI, or enable Dependabot security updates."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-1.a for an SCA tool in CI or a Dependabot/Renovate configuration."""
        hits = _hits(load_ci(project), tools.SCA)
        if hits:
            yield self.supports(
                "DV-1.a",
                f"CI checks dependencies for known vulnerabilities ({_names(hits)})",
                Strength.HEURISTIC,
                _paths(hits),
            )
            return
        bots = update_bots(project)
        if bots:
            yield self.supports(
                "DV-1.a",
                "an update bot is configured and raises security updates for vulnerable "
                "dependencies (when the repository's alerts are enabled)",
                Strength.HEURISTIC,
                bots,
            )


def update_bots(project: ProjectView) -> list[str]:
    """Dependabot or Renovate configurations in the assessed directory or its ancestors."""
    for base in [project.prefix.rstrip("/"), *fs.ancestor_dirs(project)]:
        found = [
            fs.join(base, name)
            for name in (*DEPENDABOT_FILES, *RENOVATE_FILES)
            if fs.existing_file(project, fs.join(base, name))
        ]
        if found:
            return found
    return []


class DepsUpdateBot(EvidenceCheck):
    """Automated dependency updates (Dependabot, Renovate)."""

    id: ClassVar[str] = "deps.update-bot"
    title: ClassVar[str] = "Dependency updates are automated"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-3.a",)
    remediation: ClassVar[str] = (
        "Add .github/dependabot.yml or a Renovate configuration covering every "
        "ecosystem of the project (pip, npm, docker, github-actions)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports OM-3.a when a bot is configured; undermines it when the project has
        something to update (manifests, workflows) and none is."""
        bots = update_bots(project)
        if bots:
            yield self.supports(
                "OM-3.a", "automated dependency updates are configured", Strength.HEURISTIC, bots
            )
            return
        updatable = load_deps(project).manifests or load_ci(project).workflows
        if updatable:
            yield self.undermines(
                "OM-3.a",
                "no Dependabot or Renovate configuration found for the project's dependencies",
            )


class CiProvenance(EvidenceCheck):
    """Build provenance and signing (SLSA, GitHub attestations, cosign, sigstore)."""

    id: ClassVar[str] = "ci.provenance"
    title: ClassVar[str] = "Builds are signed with provenance"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-1.d", "DP-2.c")
    remediation: ClassVar[str] = (
        "Generate build provenance (actions/attest-build-provenance, the SLSA generator) "
        "and sign released artefacts and models (cosign, sigstore, model-signing)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-1.d (and DP-2.c for signing) when CI produces attestations."""
        hits = _hits(load_ci(project), tools.PROVENANCE)
        if not hits:
            return
        yield self.supports(
            "DV-1.d",
            f"CI produces supply-chain attestations or signatures ({_names(hits)})",
            Strength.HEURISTIC,
            _paths(hits),
        )
        yield self.supports(
            "DP-2.c",
            f"CI signs or attests artefacts ({_names(hits)})",
            Strength.HEURISTIC,
            _paths(hits),
        )


def _unpinned(uses: str) -> bool | None:
    """None for a local action; True when a remote action or image is not pinned."""
    if uses.startswith("./"):
        return None
    if uses.startswith("docker://"):
        return not _DIGEST.search(uses)
    return not _SHA.search(uses)


class CiActionsPinned(EvidenceCheck):
    """Third-party GitHub Actions pinned to a full commit SHA."""

    id: ClassVar[str] = "ci.actions-pinned"
    title: ClassVar[str] = "CI actions are pinned to commits"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-1.b",)
    remediation: ClassVar[str] = (
        "Pin every third-party action to a full commit SHA (uses: owner/action@<40-hex> "
        "# vX.Y) and let Dependabot update the pins."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DV-1.b when every action is pinned; undermines it for unpinned
        third-party actions (GitHub's own ``actions/*`` on a tag are only reported)."""
        pinned, loose, own_loose, paths = self._classify(project)
        if loose:
            yield self.undermines(
                "DV-1.b",
                f"{fs.plural(len(loose), 'third-party action')} not pinned to a commit SHA: "
                + fs.shown(sorted(loose)),
                paths=paths,
            )
        elif pinned and not own_loose:
            yield self.supports(
                "DV-1.b",
                f"every action is pinned to a commit SHA ({fs.plural(len(pinned), 'action')})",
                Strength.VERIFIED,
                paths,
            )
        elif pinned:
            yield self.supports(
                "DV-1.b",
                f"every third-party action is pinned to a commit SHA "
                f"({fs.plural(len(pinned), 'action')}); GitHub's own "
                f"{fs.shown(sorted(own_loose))} use tags",
                Strength.HEURISTIC,
                paths,
            )

    @staticmethod
    def _classify(project: ProjectView) -> tuple[set[str], set[str], set[str], list[str]]:
        pinned: set[str] = set()
        loose: set[str] = set()
        own_loose: set[str] = set()
        paths: list[str] = []
        for ci in load_ci(project).workflows:
            entries = uses_entries(ci)
            for uses in entries:
                state = _unpinned(uses)
                if state is None:
                    continue
                if not state:
                    pinned.add(uses)
                elif uses.lower().startswith(_FIRST_PARTY):
                    own_loose.add(uses)
                else:
                    loose.add(uses)
            if entries:
                paths.append(ci.relpath)
        return pinned, loose, own_loose, paths


def _all() -> Iterator[EvidenceCheck]:
    yield CiModelScanner()
    yield CiSecurityTooling()
    yield DepsLocked()
    yield DepsSca()
    yield DepsUpdateBot()
    yield CiProvenance()
    yield CiActionsPinned()
    yield InfraSegregation()


CHECKS: tuple[EvidenceCheck, ...] = tuple(_all())
