"""Kubernetes manifests: workloads, Services, Ingresses, NetworkPolicies, ConfigMaps, Secrets."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.infra._exposure import port_hit
from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra._kinds import looks_like_model_service, name_kind
from aiwarden.analyzers.infra._pods import Pod, build_pod, pod_hits
from aiwarden.analyzers.infra._ray import ray_cluster_spec, ray_hits
from aiwarden.analyzers.infra._secretish import is_placeholder, redact, secret_hit
from aiwarden.analyzers.infra.rules import NO_NETWORK_ISOLATION, SECRET_IN_MANIFEST
from aiwarden.analyzers.infra.yaml_documents import Y

MAX_SECRET_BYTES: Final = 64 * 1024
_WORKLOADS: Final = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})
_AUTH_ANNOTATIONS: Final = (
    "auth-url", "auth-type", "auth-signin", "auth-tls-verify-client", "router.middlewares",
    "auth-idp", "konghq.com/plugins", "appgw-ssl", "oauth", "auth-secret", "auth-",
)  # fmt: skip

PolicyLookup = Callable[[str], bool]
"""Whether a NetworkPolicy exists for a namespace (in this file or its neighbours)."""


@dataclass(slots=True)
class Manifest:
    """One Kubernetes object."""

    kind: str
    name: str
    namespace: str
    doc: Y
    pods: list[Pod] = field(default_factory=list)


def is_manifest(doc: Y) -> bool:
    """True for a mapping with ``apiVersion`` and ``kind``."""
    return doc.get("apiVersion") is not None and doc.get("kind") is not None


def to_manifest(doc: Y) -> Manifest:
    """The :class:`Manifest` of a document, with its pod templates."""
    kind = doc.text_at("kind") or ""
    name = doc.at("metadata", "name")
    namespace = doc.at("metadata", "namespace")
    manifest = Manifest(
        kind,
        (name.text() if name else None) or "?",
        (namespace.text() if namespace else None) or "default",
        doc,
    )
    owner = f"{kind}/{manifest.name}"
    for spec, labels in _pod_specs(doc, kind):
        manifest.pods.append(build_pod(owner, spec, labels))
    return manifest


def _labels(node: Y | None) -> dict[str, str]:
    return {k: v.text() or "" for k, v in node.items()} if node is not None else {}


def _pod_specs(doc: Y, kind: str) -> list[tuple[Y, dict[str, str]]]:
    templates: list[Y | None] = []
    if kind in _WORKLOADS:
        templates.append(doc.at("spec", "template"))
    elif kind == "CronJob":
        templates.append(doc.at("spec", "jobTemplate", "spec", "template"))
    elif kind == "Pod":
        spec = doc.get("spec")
        return [(spec, _labels(doc.at("metadata", "labels")))] if spec is not None else []
    else:
        cluster = ray_cluster_spec(doc, kind)
        if cluster is not None:
            templates.append(cluster.at("headGroupSpec", "template"))
            workers = cluster.get("workerGroupSpecs")
            templates.extend(w.get("template") for w in (workers.seq() if workers else []))
    out = []
    for template in templates:
        spec = template.get("spec") if template is not None else None
        if spec is not None and isinstance(spec.value, dict):
            out.append((spec, _labels(template.at("metadata", "labels") if template else None)))
    return out


def manifest_hits(manifests: list[Manifest], has_policy: PolicyLookup) -> list[Hit]:
    """Every finding for the objects of one file."""
    hits: list[Hit] = []
    pods = [pod for m in manifests for pod in m.pods]
    for manifest in manifests:
        for pod in manifest.pods:
            hits.extend(pod_hits(pod))
        hits.extend(ray_hits(manifest.doc, manifest.kind))
        if manifest.kind == "Service":
            hits.extend(_service(manifest, pods))
        elif manifest.kind in ("Ingress", "Route"):
            hits.extend(_ingress(manifest))
        elif manifest.kind == "ConfigMap":
            hits.extend(_config_map(manifest))
        elif manifest.kind == "Secret":
            hits.extend(_secret(manifest))
        if any(p.serves_models for p in manifest.pods) and not has_policy(manifest.namespace):
            line = manifest.doc.at("metadata", "name")
            hits.append(
                Hit(
                    NO_NETWORK_ISOLATION,
                    line.line if line else manifest.doc.line,
                    f"{manifest.kind}/{manifest.name} serves models in namespace "
                    f"`{manifest.namespace}`, which has no NetworkPolicy.",
                    "iac-no-netpol",
                )
            )
    return hits


def _service(manifest: Manifest, pods: list[Pod]) -> list[Hit]:
    kind_node = manifest.doc.at("spec", "type")
    if kind_node is None or kind_node.text() not in ("LoadBalancer", "NodePort"):
        return []
    selector = _labels(manifest.doc.at("spec", "selector"))
    chosen = [p for p in pods if selector and selector.items() <= p.labels.items()]
    containers = [c for p in chosen for c in p.containers]
    kind = next((c.kind for c in containers if c.kind), None) or name_kind(manifest.name)
    authed = bool(containers) and all(c.authenticated() for c in containers if c.kind)
    where = f"exposed by {kind_node.text()} Service `{manifest.name}`"
    hits: list[Hit] = []
    for port in manifest.doc.list_at("spec", "ports"):
        for key in ("targetPort", "port"):
            value = port.get(key)
            text = value.text() if value is not None else None
            if text and text.isdecimal():
                hit = port_hit(int(text), kind, kind_node.line, where, authed=authed)
                if hit is not None:
                    hits.append(hit)
                    break
    return hits


def _ingress(manifest: Manifest) -> list[Hit]:
    annotations = manifest.doc.at("metadata", "annotations")
    if annotations is not None and any(
        marker in key for key, _ in annotations.items() for marker in _AUTH_ANNOTATIONS
    ):
        return []
    backends = _backends(manifest.doc)
    ai = [
        name
        for name, port in backends
        if looks_like_model_service(name) or name_kind(name) or _ai_port(port)
    ]
    if not ai:
        return []
    line = manifest.doc.at("metadata", "name")
    return [
        Hit(
            NO_NETWORK_ISOLATION,
            line.line if line else manifest.doc.line,
            f"{manifest.kind} `{manifest.name}` routes to `{ai[0]}` without an "
            "authentication annotation.",
            "iac-ingress-auth",
        )
    ]


def _ai_port(port: str) -> bool:
    from aiwarden.analyzers.infra._kinds import PORT_NAMES

    return port.isdecimal() and int(port) in PORT_NAMES


def _backends(doc: Y) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    default = doc.at("spec", "defaultBackend", "service")
    candidates = [default] if default is not None else []
    route = doc.at("spec", "to")  # an OpenShift Route
    if route is not None:
        target = doc.text_at("spec", "port", "targetPort") or ""
        return [(route.text_at("name") or "", target)]
    for rule in doc.list_at("spec", "rules"):
        for path in rule.list_at("http", "paths"):
            backend = path.at("backend", "service") or path.get("backend")
            if backend is not None:
                candidates.append(backend)
    for node in candidates:
        name = node.get("name") or node.get("serviceName")
        port = node.at("port", "number") or node.at("port", "name") or node.get("servicePort")
        found.append(((name.text() if name else None) or "", (port.text() if port else None) or ""))
    return found


def _config_map(manifest: Manifest) -> list[Hit]:
    data = manifest.doc.get("data")
    hits: list[Hit] = []
    for key, value in data.items() if data is not None else ():
        hit = secret_hit(key, value.text() or "", value.line, f"ConfigMap `{manifest.name}`")
        if hit is not None:
            hits.append(hit)
    return hits


def _secret(manifest: Manifest) -> list[Hit]:
    hits: list[Hit] = []
    for section, encoded in (("data", True), ("stringData", False)):
        node = manifest.doc.get(section)
        for key, value in node.items() if node is not None else ():
            text = _decode(value.text() or "") if encoded else value.text() or ""
            if text is None or is_placeholder(text) or not _credential_like(key, text):
                continue
            hits.append(
                Hit(
                    SECRET_IN_MANIFEST,
                    value.line,
                    f"Secret `{manifest.name}` commits "
                    f"`{key}` in the repository ({section} is "
                    f"{'only base64-encoded' if encoded else 'plain text'}).",
                    f"iac-k8s-secret:{manifest.name}:{key}",
                    evidence=redact(text),
                )
            )
    return hits


def _decode(text: str) -> str | None:
    if len(text) > MAX_SECRET_BYTES:
        return None
    try:
        return base64.b64decode(text.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _credential_like(key: str, value: str) -> bool:
    if secret_hit(key, value, 0, "") is not None:
        return True
    if len(value) < 16 or any(ch.isspace() for ch in value):
        return False
    counts = {ch: value.count(ch) for ch in set(value)}
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= 3.5
