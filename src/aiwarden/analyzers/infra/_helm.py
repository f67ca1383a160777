"""Helm values files of AI charts: auth switches, service types, default passwords, env."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.infra._container import image_hits
from aiwarden.analyzers.infra._env import env_hits
from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._secretish import is_secret_name, secret_hit
from aiwarden.analyzers.infra.rules import HELM_AUTH_DISABLED, INFERENCE_SERVER
from aiwarden.analyzers.infra.yaml_documents import Y

_AUTH_PARENTS: Final = frozenset(
    {
        "auth",
        "authentication",
        "authn",
        "basicauth",
        "tokenauth",
        "oauth",
        "oidc",
        "security",
        "login",
    }
)
_WEAK: Final = frozenset(
    {"admin", "password", "changeme", "mlflow", "ray", "jupyter", "root", "123456", "secret",
     "default", "test", "pass", "admin123", "letmein"}
)  # fmt: skip
_MAX_WALK: Final = 200_000


def _walk(node: Y, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Y]]:
    stack: list[tuple[tuple[str, ...], Y]] = [(path, node)]
    seen = 0
    while stack and seen < _MAX_WALK:
        current_path, current = stack.pop()
        seen += 1
        yield current_path, current
        for key, child in current.items():
            stack.append(((*current_path, key), child))
        for child in current.seq():
            stack.append((current_path, child))


def helm_hits(doc: Y, *, ai_chart: bool = True) -> list[Hit]:
    """Every finding for one values document (auth switches only for ``ai_chart`` values)."""
    hits: list[Hit] = []
    for path, node in _walk(doc):
        key = path[-1] if path else ""
        parent = path[-2].lower() if len(path) > 1 else ""
        hit = _value_hit(key, parent, node, path)
        if hit is not None and hit.rule is HELM_AUTH_DISABLED and not ai_chart:
            hit = None
        if hit is not None:
            hits.append(hit)
        if key in ("env", "extraEnv", "extraEnvVars", "environment"):
            hits.extend(env_hits(_env(node), host=False, where="Helm values"))
        if key in ("args", "extraArgs", "command"):
            hits.extend(_args(node))
        if key == "image" and isinstance(node.value, dict):
            hits.extend(_image(node))
    return hits


def _value_hit(key: str, parent: str, node: Y, path: tuple[str, ...]) -> Hit | None:
    text = node.text()
    if text is None:
        return None
    dotted = ".".join(path)
    if key == "enabled" and parent in _AUTH_PARENTS and node.is_false():
        return Hit(
            HELM_AUTH_DISABLED,
            node.line,
            f"`{dotted}: false` turns authentication off.",
            f"iac-helm-auth:{dotted}",
        )
    if (key == "serviceType" or (key == "type" and parent.endswith("service"))) and text in (
        "LoadBalancer",
        "NodePort",
    ):
        return Hit(
            HELM_AUTH_DISABLED,
            node.line,
            f"`{dotted}: {text}` exposes the service outside the cluster.",
            f"iac-helm-service:{dotted}",
        )
    if is_secret_name(key) and not key.lower().endswith("key") and text.lower() in _WEAK:
        return Hit(
            HELM_AUTH_DISABLED,
            node.line,
            f"`{dotted}` keeps a default password.",
            f"iac-helm-default-password:{dotted}",
        )
    if key.lower().replace("_", "") == "trustremotecode" and node.is_true():
        return Hit(
            INFERENCE_SERVER,
            node.line,
            f"`{dotted}: true` runs Python from the model repository in the server.",
            f"iac-helm-remote-code:{dotted}",
        )
    if isinstance(node.value, str):
        return secret_hit(key, text, node.line, "Helm values")
    return None


def _env(node: Y) -> Env:
    env: Env = {}
    for key, value in node.items():
        if value.text() is not None:
            env[key] = EnvVar(value.text() or "", value.line)
    for item in node.seq():
        name, literal = item.get("name"), item.get("value")
        if name is not None and literal is not None and literal.text() is not None:
            env[name.text() or ""] = EnvVar(literal.text() or "", literal.line)
    return env


def _args(node: Y) -> list[Hit]:
    items = node.seq() or [node]
    for item in items:
        if "--trust-remote-code" in (item.text() or ""):
            return [
                Hit(
                    INFERENCE_SERVER,
                    item.line,
                    "Server arguments in Helm values enable --trust-remote-code.",
                    "iac-helm-remote-code-arg",
                )
            ]
    return []


def _image(node: Y) -> list[Hit]:
    repository = node.get("repository")
    tag = node.get("tag")
    if repository is None or not repository.text():
        return []
    reference = repository.text() or ""
    if tag is not None and tag.text():
        reference += f":{tag.text()}"
    line = tag.line if tag is not None else repository.line
    return image_hits(reference, line, require_kind=True)
