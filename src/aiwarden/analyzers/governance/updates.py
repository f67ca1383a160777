"""AIW-GOV009: a Dependabot or Renovate configuration covering the ecosystems present."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import yaml  # type: ignore[import-untyped]

from aiwarden.analyzers.governance import rules as r
from aiwarden.analyzers.governance._gap import Gap
from aiwarden.analyzers.governance.documents import Bounds, find, read_raw
from aiwarden.analyzers.governance.project import Project

MAX_CONFIG_BYTES: Final = 256 * 1024
DEPENDABOT_FILES: Final = (".github/dependabot.yml", ".github/dependabot.yaml")
RENOVATE_FILES: Final = (
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
)
_DEPENDABOT_ECOSYSTEMS: Final = {
    "pip": "pip",
    "uv": "pip",
    "pipenv": "pip",
    "poetry": "pip",
    "npm": "npm",
    "yarn": "npm",
    "pnpm": "npm",
    "bun": "npm",
    "docker": "docker",
    "docker-compose": "docker",
    "github-actions": "github-actions",
}
_RENOVATE_MANAGERS: Final = {
    "pip_requirements": "pip",
    "pip_setup": "pip",
    "pip-compile": "pip",
    "pep621": "pip",
    "pep723": "pip",
    "poetry": "pip",
    "pipenv": "pip",
    "setup-cfg": "pip",
    "npm": "npm",
    "dockerfile": "docker",
    "docker-compose": "docker",
    "github-actions": "github-actions",
}


def update_gaps(project: Project, bounds: Bounds) -> Iterator[Gap]:
    """A finding when no update bot is configured, or it misses an ecosystem present."""
    needed = set(project.inventory.ecosystems)
    if _has_workflows(project, bounds):
        needed.add("github-actions")
    for directory in project.lookup_dirs:
        if project.owned_by_other(directory) and _configured(directory, bounds):
            return  # the parent project reports on its own configuration
        renovate = find(directory, RENOVATE_FILES, bounds)
        if renovate:
            yield from _renovate(project, renovate[0], needed)
            return
        dependabot = find(directory, DEPENDABOT_FILES, bounds)
        if dependabot:
            yield from _dependabot(project, dependabot[0], needed)
            return
    if project.nested:
        return
    yield Gap(
        r.UPDATE_POLICY,
        "No automated dependency update configuration found (looked for "
        ".github/dependabot.yml and renovate.json/.renovaterc/renovate.json5 in the project "
        f"and its parents); ecosystems present: {', '.join(sorted(needed)) or 'none detected'}.",
        key=f"{r.UPDATE_POLICY.id}: missing",
    )


def _configured(directory: Path, bounds: Bounds) -> bool:
    return bool(find(directory, (*RENOVATE_FILES, *DEPENDABOT_FILES), bounds))


def _has_workflows(project: Project, bounds: Bounds) -> bool:
    patterns = (".github/workflows/*.yml", ".github/workflows/*.yaml")
    return any(find(d, patterns, bounds) for d in project.lookup_dirs)


def _dependabot(project: Project, path: Path, needed: set[str]) -> Iterator[Gap]:
    rel = project.relpath(path)
    try:
        value = yaml.safe_load(read_raw(path, MAX_CONFIG_BYTES)[:MAX_CONFIG_BYTES])
    except (OSError, yaml.YAMLError, RecursionError) as exc:
        yield _thin(rel, f"cannot be read as YAML ({type(exc).__name__})", needed)
        return
    updates = value.get("updates") if isinstance(value, dict) else None
    covered = {
        _DEPENDABOT_ECOSYSTEMS.get(str(item.get("package-ecosystem", "")), "")
        for item in (updates if isinstance(updates, list) else [])
        if isinstance(item, dict)
    }
    missing = needed - covered
    if missing:
        yield _thin(rel, "declares no updates for " + ", ".join(sorted(missing)), missing)


def _renovate(project: Project, path: Path, needed: set[str]) -> Iterator[Gap]:
    rel = project.relpath(path)
    try:
        text = read_raw(path, MAX_CONFIG_BYTES)[:MAX_CONFIG_BYTES].decode("utf-8", "replace")
    except OSError as exc:
        yield _thin(rel, f"cannot be read ({exc.strerror or exc})", needed)
        return
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return  # JSON5 or comments: Renovate enables every manager unless told otherwise
    managers = value.get("enabledManagers") if isinstance(value, dict) else None
    if isinstance(value, dict) and value.get("enabled") is False:
        yield _thin(rel, 'sets "enabled": false', needed)
        return
    if not isinstance(managers, list):
        return
    covered = {_RENOVATE_MANAGERS.get(str(m), "") for m in managers}
    missing = needed - covered
    if missing:
        yield _thin(rel, "enabledManagers leaves out " + ", ".join(sorted(missing)), missing)


def _thin(rel: str, problem: str, missing: set[str]) -> Gap:
    return Gap(
        r.UPDATE_POLICY,
        f"The dependency update configuration {rel} {problem}.",
        key=f"{r.UPDATE_POLICY.id}: thin: " + ",".join(sorted(missing)),
        relpath=rel,
        evidence=problem[:300],
    )
