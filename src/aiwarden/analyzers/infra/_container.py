"""Checks shared by every container description: commands, environment, image."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.infra._docker_run import docker_run_hits
from aiwarden.analyzers.infra._env import env_hits
from aiwarden.analyzers.infra._fetch import fetch_hits
from aiwarden.analyzers.infra._hits import Env, Hit
from aiwarden.analyzers.infra._kinds import image_kind, image_tag, name_kind, version_below
from aiwarden.analyzers.infra._servers import Server, api_key_configured, identify, server_hits
from aiwarden.analyzers.infra._shell import Command
from aiwarden.analyzers.infra.rules import MLFLOW_NO_AUTH, OLLAMA_EXPOSED, UNPINNED_IMAGE

_FLOATING_TAGS: Final = frozenset({"latest", "nightly", "main", "master", "dev", "edge", "stable"})
_NO_AUTH_KINDS: Final = frozenset({"ollama", "gradio", "streamlit", "langflow", "triton"})


@dataclass(slots=True)
class Container:
    """A container (compose service, pod container, Dockerfile stage) as the checks see it."""

    where: str
    name: str
    image: str | None = None
    image_line: int = 1
    commands: list[Command] = field(default_factory=list)
    env: Env = field(default_factory=dict)
    host: bool = False
    servers: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.servers = [s for c in self.commands if (s := identify(c)) is not None]

    @property
    def kind(self) -> str | None:
        """The AI service this container runs, from its command, image or name."""
        for server in self.servers:
            if server.kind != "docker":
                return server.kind
        return image_kind(self.image) or name_kind(self.name)

    def authenticated(self) -> bool:
        """True if the service's own authentication is configured."""
        kind = self.kind
        if kind is None or kind in _NO_AUTH_KINDS:
            return False
        servers = [s for s in self.servers if s.kind == kind]
        if not servers:
            return _env_auth(kind, self.env)
        return all(api_key_configured(s, self.env) for s in servers)


def _env_auth(kind: str, env: Env) -> bool:
    if kind == "ray":
        mode = env.get("RAY_AUTH_MODE")
        return mode is not None and mode.value.lower() == "token"
    if kind == "jupyter":
        token = env.get("JUPYTER_TOKEN")
        return token is None or token.value != ""
    if kind == "torchserve":
        return True  # token authorization is on by default (0.11+)
    return kind == "vllm" and "VLLM_API_KEY" in env


def container_hits(container: Container, *, image_rule: bool = True) -> list[Hit]:
    """Command, environment and image findings for ``container``."""
    hits = env_hits(container.env, host=container.host, where=container.where)
    for command in container.commands:
        server = identify(command)
        if server is not None and server.kind == "docker":
            hits.extend(docker_run_hits(command))
        elif server is not None:
            hits.extend(server_hits(server, container.env, host=container.host))
        hits.extend(env_hits(command.env, host=container.host, where=container.where))
        hits.extend(fetch_hits(command))
    if image_rule and container.image is not None:
        hits.extend(image_hits(container.image, container.image_line, require_kind=True))
    return hits


def image_hits(image: str, line: int, *, require_kind: bool) -> list[Hit]:
    """Unpinned tags, and releases of Ollama/MLflow with known unauthenticated-access bugs."""
    kind = image_kind(image)
    if image.startswith("$") or (require_kind and kind is None):
        return []
    hits: list[Hit] = []
    tag = image_tag(image)
    if "@sha256:" not in image and (tag is None or tag.lower() in _FLOATING_TAGS):
        hits.append(
            Hit(
                UNPINNED_IMAGE,
                line,
                f"Image `{image}` is not pinned to a release tag or digest.",
                f"iac-unpinned:{image}",
                evidence=image,
            )
        )
    if kind == "ollama" and version_below(tag, (0, 1, 34)):
        hits.append(
            Hit(
                OLLAMA_EXPOSED,
                line,
                f"Ollama {tag} predates the Probllama fix (CVE-2024-37032, 0.1.34).",
                "iac-ollama-old",
                evidence=image,
            )
        )
    if kind == "mlflow" and version_below(tag, (2, 9, 2)):
        hits.append(
            Hit(
                MLFLOW_NO_AUTH,
                line,
                f"MLflow {tag} has known path-traversal bugs "
                "(CVE-2023-1177, CVE-2023-6831; fixed 2.9.2).",
                "iac-mlflow-old",
                evidence=image,
            )
        )
    return hits
