"""Kubernetes pod specs (in workloads and KubeRay CRs): containers, privileges, limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.infra._compose import node_commands, node_words
from aiwarden.analyzers.infra._container import Container, container_hits
from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._kinds import (
    DANGEROUS_CAPABILITIES,
    IMPLICIT_ENTRYPOINTS,
    MODEL_SERVERS,
    image_kind,
    looks_like_model_service,
)
from aiwarden.analyzers.infra._shell import Tok
from aiwarden.analyzers.infra.rules import NO_RESOURCE_LIMITS, OVER_PRIVILEGED
from aiwarden.analyzers.infra.yaml_documents import Y

FROM_REFERENCE: Final = "$(valueFrom)"
"""The value recorded for an env var set through ``valueFrom`` (a reference, never a secret)."""
_SOCKET: Final = re.compile(r"(docker|containerd|crio)\.sock$")
_MODEL_CACHE: Final = re.compile(r"huggingface|\.cache|/models?(/|$)|ollama|torch/hub")


@dataclass(slots=True)
class Pod:
    """A pod template found in a manifest: where it lives and what it runs."""

    owner: str
    spec: Y
    labels: dict[str, str] = field(default_factory=dict)
    containers: list[Container] = field(default_factory=list)

    @property
    def serves_models(self) -> bool:
        """True if a container runs a model server (or the pod asks for GPUs)."""
        return any(c.kind in MODEL_SERVERS for c in self.containers) or _wants_gpu(self.spec)


def _wants_gpu(spec: Y) -> bool:
    for container in _container_nodes(spec):
        resources = container.get("resources")
        for part in ("limits", "requests"):
            node = resources.get(part) if resources is not None else None
            if node is not None and any("gpu" in key for key, _ in node.items()):
                return True
    return False


def _container_nodes(spec: Y) -> list[Y]:
    nodes: list[Y] = []
    for key in ("containers", "initContainers"):
        child = spec.get(key)
        nodes.extend(
            c for c in (child.seq() if child is not None else []) if isinstance(c.value, dict)
        )
    return nodes


def build_pod(owner: str, spec: Y, labels: dict[str, str]) -> Pod:
    """The :class:`Pod` of a pod ``spec`` owned by ``owner`` (``Deployment/llm``)."""
    host_network = spec.get("hostNetwork")
    host = host_network is not None and host_network.is_true()
    pod = Pod(owner, spec, labels)
    for node in _container_nodes(spec):
        name = node.text_at("name") or "?"
        image = node.get("image")
        command = node_words(node.get("command")) if node.get("command") is not None else None
        implicit = IMPLICIT_ENTRYPOINTS.get(image_kind(image.text() if image else None) or "")
        if command is None and implicit and node.get("args") is not None:
            command = [Tok(word, node.key_line("args")) for word in implicit]
        pod.containers.append(
            Container(
                f"container `{name}` of {owner}",
                name,
                image.text() if image is not None else None,
                image.line if image is not None else node.line,
                node_commands(node.get("args"), command) if command or node.get("args") else [],
                _env(node.get("env")),
                host=host,
            )
        )
    return pod


def _env(node: Y | None) -> Env:
    env: Env = {}
    for item in node.seq() if node is not None else []:
        name, value = item.get("name"), item.get("value")
        if name is None or not name.text():
            continue
        if item.get("valueFrom") is not None:  # set from a Secret/ConfigMap: present, unknown
            env[name.text() or ""] = EnvVar(FROM_REFERENCE, item.line)
            continue
        text = value.text() if value is not None else ""
        env[name.text() or ""] = EnvVar(text or "", value.line if value else item.line)
    return env


def pod_hits(pod: Pod) -> list[Hit]:
    """Privilege, limit and container findings for one pod template."""
    hits: list[Hit] = []
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        node = pod.spec.get(key)
        if node is not None and node.is_true():
            hits.append(
                Hit(OVER_PRIVILEGED, node.line, f"{pod.owner} sets {key}: true.", f"iac-priv:{key}")
            )
    hits.extend(_host_paths(pod))
    hits.extend(_run_as_root(pod.spec.get("securityContext"), pod.owner))
    for node, container in zip(_container_nodes(pod.spec), pod.containers, strict=False):
        hits.extend(container_hits(container))
        context = node.get("securityContext")
        privileged = context.get("privileged") if context is not None else None
        if privileged is not None and privileged.is_true():
            hits.append(
                Hit(
                    OVER_PRIVILEGED,
                    privileged.line,
                    f"{container.where} runs privileged.",
                    "iac-priv:privileged",
                )
            )
        hits.extend(_run_as_root(context, container.where))
        for cap in context.list_at("capabilities", "add") if context is not None else []:
            if (cap.text() or "").upper().removeprefix("CAP_") in DANGEROUS_CAPABILITIES:
                hits.append(
                    Hit(
                        OVER_PRIVILEGED,
                        cap.line,
                        f"{container.where} adds capability {cap.text()}.",
                        f"iac-priv:cap:{cap.text()}",
                    )
                )
        hits.extend(_limits(node, container, pod))
    return hits


def _run_as_root(context: Y | None, owner: str) -> list[Hit]:
    user = context.get("runAsUser") if context is not None else None
    if user is not None and user.text() == "0":
        return [
            Hit(
                OVER_PRIVILEGED, user.line, f"{owner} runs as root (runAsUser: 0).", "iac-priv:root"
            )
        ]
    return []


def _host_paths(pod: Pod) -> list[Hit]:
    hits: list[Hit] = []
    for volume in pod.spec.list_at("volumes"):
        path = volume.at("hostPath", "path")
        text = path.text() if path is not None else None
        if path is None or not text:
            continue
        if _SOCKET.search(text) or text.rstrip("/") in ("", "/var/run", "/run"):
            what = "the container runtime socket or host root (root on the node)"
        elif _MODEL_CACHE.search(text):
            what = "a host model cache shared with every workload on the node"
        else:
            continue
        hits.append(
            Hit(
                OVER_PRIVILEGED,
                path.line,
                f"{pod.owner} mounts hostPath `{text}`: {what}.",
                f"iac-priv:hostpath:{text}",
            )
        )
    return hits


def _limits(node: Y, container: Container, pod: Pod) -> list[Hit]:
    ai = (
        container.kind in MODEL_SERVERS
        or looks_like_model_service(container.name)
        or pod.serves_models
    )
    if not ai:
        return []
    resources = node.get("resources")
    limits = resources.get("limits") if resources is not None else None
    keys = {k for k, _ in limits.items()} if limits is not None else set()
    if "memory" in keys and ("cpu" in keys or any("gpu" in k for k in keys)):
        return []
    line = resources.line if resources is not None else node.line
    if resources is not None:
        line = resources.key_line("limits") if limits is not None else node.key_line("resources")
    missing = "no resources.limits" if limits is None else "limits without memory and cpu/gpu"
    return [Hit(NO_RESOURCE_LIMITS, line, f"{container.where} has {missing}.", "iac-limits")]
