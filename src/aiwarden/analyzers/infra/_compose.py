"""docker-compose files: services' images, commands, environment, ports and privileges."""

from __future__ import annotations

from aiwarden.analyzers.infra._container import Container, container_hits
from aiwarden.analyzers.infra._exposure import host_is_public, port_hit, split_publish
from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._kinds import DANGEROUS_CAPABILITIES, IMPLICIT_ENTRYPOINTS
from aiwarden.analyzers.infra._shell import Command, Tok, commands, commands_from_tokens
from aiwarden.analyzers.infra.rules import OLLAMA_EXPOSED, OVER_PRIVILEGED
from aiwarden.analyzers.infra.yaml_documents import Y

_SERVICE_KEYS = frozenset({"image", "build", "command", "ports", "environment", "volumes"})


def is_compose(doc: Y) -> bool:
    """True for a mapping with a ``services`` mapping of service definitions."""
    services = doc.get("services")
    return services is not None and isinstance(services.value, dict)


def compose_services(doc: Y) -> Y | None:
    """The services mapping (Compose v2/v3 ``services:``, or a v1 file's top level)."""
    if is_compose(doc):
        return doc.get("services")
    entries = list(doc.items())
    if entries and all(
        isinstance(svc.value, dict) and _SERVICE_KEYS & set(svc.value) for _, svc in entries
    ):
        return doc
    return None


def compose_hits(services: Y) -> list[Hit]:
    """Every finding for one compose document's services mapping."""
    hits: list[Hit] = []
    for name, svc in services.items():
        if isinstance(svc.value, dict):
            hits.extend(_service(name, svc))
    return hits


def node_words(node: Y | None) -> list[Tok]:
    """A command given as a YAML list: one word per item, at the item's line."""
    if node is None:
        return []
    return [Tok(item.text() or "", item.text_line()) for item in node.seq()]


def node_commands(node: Y | None, prefix: list[Tok] | None = None) -> list[Command]:
    """Commands of a ``command:``/``args:`` node (string or list), after ``prefix`` words."""
    if node is None:
        return commands_from_tokens(prefix) if prefix else []
    text = node.text()
    if text is not None:
        if prefix:
            return commands_from_tokens(
                [*prefix, *[t for c in commands(text, node.text_line()) for t in c.argv]]
            )
        return commands(text, node.text_line())
    return commands_from_tokens([*(prefix or []), *node_words(node)])


def env_of(node: Y | None) -> Env:
    """Compose ``environment:`` as a map or a ``KEY=value`` list."""
    env: Env = {}
    if node is None:
        return env
    for key, value in node.items():
        env[key] = EnvVar(
            value.text() or "", value.line if value.value is not None else node.key_line(key)
        )
    for item in node.seq():
        name, _, text = (item.text() or "").partition("=")
        if name:
            env[name] = EnvVar(text, item.line)
    return env


def _service(name: str, svc: Y) -> list[Hit]:
    image_node = svc.get("image")
    image = image_node.text() if image_node is not None else None
    entry = node_words(svc.get("entrypoint")) if svc.get("entrypoint") is not None else None
    network = svc.get("network_mode")
    container = Container(
        f"compose service `{name}`",
        name,
        image,
        image_node.line if image_node is not None else svc.line,
        node_commands(svc.get("command"), entry),
        env_of(svc.get("environment")),
        host=network is not None and network.text() == "host",
    )
    implicit_words = IMPLICIT_ENTRYPOINTS.get(container.kind or "")
    if not container.servers and implicit_words and svc.get("command") is not None:
        implicit = [Tok(w, svc.key_line("command")) for w in implicit_words]
        container = Container(
            container.where,
            name,
            image,
            container.image_line,
            node_commands(svc.get("command"), implicit),
            container.env,
            container.host,
        )
    hits = container_hits(container)
    port_hits = _ports(svc, container)
    hits.extend(port_hits)
    hits.extend(_privileges(name, svc))
    host = container.env.get("OLLAMA_HOST")
    published = any(h.key.endswith(":11434") for h in port_hits)
    if published and host is not None and host.value.startswith(("0.0.0.0", ":", "[::]")):  # noqa: S104
        hits.append(
            Hit(
                OLLAMA_EXPOSED,
                host.line,
                "OLLAMA_HOST listens on every interface and port 11434 is published: Ollama "
                "(no authentication) is reachable without an auth proxy.",
                "iac-ollama-host-published",
            )
        )
    return hits


def _ports(svc: Y, container: Container) -> list[Hit]:
    hits: list[Hit] = []
    where = "published on all interfaces"
    authed = container.authenticated()
    for item in svc.list_at("ports"):
        if isinstance(item.value, dict):
            target, host_ip = item.get("target"), item.get("host_ip")
            ports = [int(t)] if (t := target.text() if target else None) and t.isdecimal() else []
            public = host_is_public(host_ip.text() if host_ip is not None else None)
        else:
            host, ports = split_publish(item.text() or "")
            public = host_is_public(host)
        if public is not True:
            continue
        found = [
            h for p in ports if (h := port_hit(p, container.kind, item.line, where, authed=authed))
        ]
        hits.extend(found[:1])
    return hits


def _privileges(name: str, svc: Y) -> list[Hit]:
    hits: list[Hit] = []
    checks = (
        ("privileged", lambda n: n.is_true(), "runs privileged"),
        ("network_mode", lambda n: n.text() == "host", "shares the host network"),
        ("pid", lambda n: n.text() == "host", "shares the host PID namespace"),
        ("user", lambda n: (n.text() or "").split(":")[0] in ("root", "0"), "runs as root"),
    )
    for key, test, what in checks:
        node = svc.get(key)
        if node is not None and test(node):
            hits.append(
                Hit(OVER_PRIVILEGED, node.line, f"Service `{name}` {what}.", f"iac-priv:{key}")
            )
    for item in svc.list_at("cap_add"):
        if (item.text() or "").upper().removeprefix("CAP_") in DANGEROUS_CAPABILITIES:
            hits.append(
                Hit(
                    OVER_PRIVILEGED,
                    item.line,
                    f"Service `{name}` adds capability {item.text()}.",
                    f"iac-priv:cap:{item.text()}",
                )
            )
    for item in svc.list_at("volumes"):
        source = item.get("source") if isinstance(item.value, dict) else item
        text = source.text() if source is not None else None
        if text and text.split(":", 1)[0].endswith(("docker.sock", "containerd.sock")):
            hits.append(
                Hit(
                    OVER_PRIVILEGED,
                    item.line,
                    f"Service `{name}` mounts the container runtime socket (root on the host).",
                    "iac-priv:docker-sock",
                )
            )
    return hits
