"""KubeRay custom resources: RayCluster, RayService, RayJob."""

from __future__ import annotations

from typing import Final

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra.rules import RAY_NO_AUTH
from aiwarden.analyzers.infra.yaml_documents import Y
from aiwarden.core.severity import Confidence, Severity

_CLUSTER_PATHS: Final = {
    "RayCluster": ("spec",),
    "RayService": ("spec", "rayClusterConfig"),
    "RayJob": ("spec", "rayClusterSpec"),
}


def ray_cluster_spec(doc: Y, kind: str) -> Y | None:
    """The RayCluster spec inside a KubeRay resource, or None for other kinds."""
    path = _CLUSTER_PATHS.get(kind)
    api = doc.get("apiVersion")
    if path is None or api is None or "ray.io" not in (api.text() or ""):
        return None
    return doc.at(*path)


def _token_auth(cluster: Y) -> bool:
    mode = cluster.at("authOptions", "mode")
    if mode is not None and (mode.text() or "").lower() == "token":
        return True
    head = cluster.at("headGroupSpec", "template", "spec", "containers")
    for container in head.seq() if head is not None else []:
        for var in container.list_at("env"):
            name, value = var.get("name"), var.get("value")
            if name is not None and name.text() == "RAY_AUTH_MODE" and value is not None:
                return (value.text() or "").lower() == "token"
    return False


def ray_hits(doc: Y, kind: str) -> list[Hit]:
    """Exposure of a KubeRay head without token authentication."""
    cluster = ray_cluster_spec(doc, kind)
    if cluster is None or _token_auth(cluster):
        return []
    head = cluster.get("headGroupSpec")
    if head is None:
        return []
    hits: list[Hit] = []
    service_type = head.get("serviceType")
    if service_type is not None and service_type.text() in ("LoadBalancer", "NodePort"):
        hits.append(
            Hit(
                RAY_NO_AUTH,
                service_type.line,
                f"Ray head service is a "
                f"{service_type.text()} and the cluster has no token authentication "
                "(ShadowRay, CVE-2023-48022).",
                "iac-ray-service-type",
            )
        )
    ingress = head.get("enableIngress")
    if ingress is not None and ingress.is_true():
        hits.append(
            Hit(
                RAY_NO_AUTH,
                ingress.line,
                "Ray dashboard published through an Ingress without token authentication.",
                "iac-ray-ingress",
            )
        )
    if not hits:
        hits.append(
            Hit(
                RAY_NO_AUTH,
                cluster.key_line("headGroupSpec"),
                f"{kind} has no "
                "authOptions (token mode): any pod that reaches the head can submit jobs.",
                "iac-ray-no-auth-options",
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
            )
        )
    return hits
