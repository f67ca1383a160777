"""Which deployment format a file is, by name (and, for YAML, by shape)."""

from __future__ import annotations

import enum
import re
from typing import Final

_COMPOSE: Final = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_VALUES: Final = re.compile(r"^values([.-][\w.-]+)?\.ya?ml$")
_JUPYTER: Final = re.compile(r"^jupyter_\w*config\.json$")
_DOCKERFILE: Final = re.compile(r"^(docker|container)file([.-][\w.-]+)?$|\.dockerfile$")
_K8S_SHAPE: Final = re.compile(r"^apiVersion:\s*\S+", re.MULTILINE)
_SERVICES: Final = re.compile(r"^services:\s*$", re.MULTILINE)
_KIND_LINE: Final = re.compile(r"^kind:\s*\S+", re.MULTILINE)


class FileKind(enum.Enum):
    """A deployment format the infra analyzer understands."""

    DOCKERFILE = "Dockerfile"
    COMPOSE = "compose file"
    YAML = "Kubernetes manifest"
    HELM_VALUES = "Helm values file"
    TORCHSERVE = "TorchServe config"
    JUPYTER = "Jupyter config"
    SHELL = "shell script"


def kind_by_name(path: str) -> FileKind | None:
    """The format a file's path names, or None."""
    name = path.rsplit("!", 1)[-1].rsplit("/", 1)[-1].lower()
    if _DOCKERFILE.search(name):
        return FileKind.DOCKERFILE
    if _COMPOSE.match(name):
        return FileKind.COMPOSE
    if _VALUES.match(name):
        return FileKind.HELM_VALUES
    if name.endswith((".yaml", ".yml")):
        return FileKind.YAML
    if name == "config.properties":
        return FileKind.TORCHSERVE
    if _JUPYTER.match(name):
        return FileKind.JUPYTER
    if name.endswith((".sh", ".bash")):
        return FileKind.SHELL
    return None


def looks_like_manifest(text: str) -> bool:
    """True if YAML text has top-level ``apiVersion:`` and ``kind:`` lines."""
    return _K8S_SHAPE.search(text) is not None and _KIND_LINE.search(text) is not None


def looks_like_compose(text: str) -> bool:
    """True if YAML text has a top-level ``services:`` key."""
    return _SERVICES.search(text) is not None


def is_helm_template(path: str, text: str) -> bool:
    """True for a Helm template (Go template directives, not YAML until rendered)."""
    return "{{" in text and ("/templates/" in f"/{path}" or "{{-" in text or "{{ ." in text)
