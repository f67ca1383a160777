"""The ``infra.segregation`` check: separate configuration per deployment environment.

Environments are recognised from paths (kustomize ``overlays/prod``, Terraform
``environments/staging``, ``values-prod.yaml``, ``docker-compose.prod.yml``,
``config/production.yaml``), from compose override files, and from the namespaces of
Kubernetes manifests (``namespace: shop-prod``). Two or more distinct environments
count as segregation; one alone does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.infra.files import FileKind, kind_by_name, looks_like_manifest
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

ENVIRONMENTS: Final = {
    "dev": "dev",
    "develop": "dev",
    "development": "dev",
    "sandbox": "dev",
    "staging": "staging",
    "stage": "staging",
    "stg": "staging",
    "preprod": "staging",
    "qa": "qa",
    "uat": "uat",
    "prod": "prod",
    "production": "prod",
    "prd": "prod",
}
_CONFIG_DIRS: Final = frozenset(
    {"overlays", "environments", "envs", "config", "configs", "settings", "deploy",
     "deployments", "deployment", "helm", "k8s", "kubernetes", "terraform", "infra", "stages"}
)  # fmt: skip
_CONFIG_SUFFIXES: Final = (".yaml", ".yml", ".json", ".toml", ".tf", ".tfvars", ".py", ".env")
_NAMESPACE: Final = re.compile(r"^\s*namespace:\s*[\"']?([\w.-]+)", re.MULTILINE)
_TOKENS: Final = re.compile(r"[._-]")
MAX_MANIFESTS: Final = 200


def _env_of(token: str) -> str | None:
    return ENVIRONMENTS.get(token.lower())


def _path_envs(relpath: str, local: str) -> set[str]:
    """Environments a deployment or config file's path names."""
    path = PurePosixPath(local)
    name = path.name.lower()
    dirs = [p.lower() for p in path.parts[:-1]]
    envs: set[str] = set()
    kind = kind_by_name(relpath)
    if kind in (FileKind.COMPOSE, FileKind.HELM_VALUES) or name.endswith(".tfvars"):
        tokens = _TOKENS.split(name)
        envs |= {e for t in tokens if (e := _env_of(t))}
        if kind is FileKind.COMPOSE:
            envs.add("override" if "override" in tokens else "base")
    for index, part in enumerate(dirs):
        env = _env_of(part)
        if env and (index > 0 and dirs[index - 1] in _CONFIG_DIRS):
            envs.add(env)
    if dirs and dirs[-1] in _CONFIG_DIRS and name.endswith(_CONFIG_SUFFIXES):
        stem = name.split(".")[0]
        env = _env_of(stem)
        if env:
            envs.add(env)
    if name.startswith(".env."):
        env = _env_of(name.split(".")[2] if name.count(".") >= 2 else "")
        if env:
            envs.add(env)
    return envs


class InfraSegregation(EvidenceCheck):
    """Per-environment deployment configuration (DP-1.c)."""

    id: ClassVar[str] = "infra.segregation"
    title: ClassVar[str] = "Environments are configured separately"
    behaviours: ClassVar[tuple[str, ...]] = ("DP-1.c",)
    remediation: ClassVar[str] = (
        "Keep development, staging and production apart: separate namespaces, accounts "
        "or workspaces, with per-environment configuration (kustomize overlays, Terraform "
        "environments, Helm values per environment)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Supports DP-1.c when at least two environments have their own configuration."""
        found: dict[str, list[str]] = {}
        manifests = 0
        for relpath in fs.own_files(project):
            envs = _path_envs(relpath, project.local(relpath))
            if kind_by_name(relpath) is FileKind.YAML and manifests < MAX_MANIFESTS:
                manifests += 1
                envs |= self._namespaces(project, relpath)
            for env in envs:
                found.setdefault(env, []).append(relpath)
        named = sorted(e for e in found if e not in ("base", "override"))
        compose_pair = "override" in found and "base" in found
        if len(named) >= 2 or compose_pair:
            shown = named or ["base", "override"]
            paths = sorted({p for e in found for p in found[e][:3]})
            yield self.supports(
                "DP-1.c",
                f"separate configuration per environment ({', '.join(shown)})",
                Strength.HEURISTIC,
                paths[:10],
            )

    @staticmethod
    def _namespaces(project: ProjectView, relpath: str) -> set[str]:
        text = fs.read_text_head(project, relpath, 64 * 1024)
        if text is None or not looks_like_manifest(text):
            return set()
        envs: set[str] = set()
        for match in _NAMESPACE.finditer(text):
            envs |= {e for t in _TOKENS.split(match.group(1)) if (e := _env_of(t))}
        return envs
