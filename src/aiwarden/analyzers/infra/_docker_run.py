"""``docker run`` / ``podman run`` in scripts and RUN lines: published ports, privileges."""

from __future__ import annotations

from aiwarden.analyzers.infra._exposure import host_is_public, port_hit, split_publish
from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra._kinds import image_kind
from aiwarden.analyzers.infra._servers import identify, server_hits
from aiwarden.analyzers.infra._shell import Command, Tok
from aiwarden.analyzers.infra.rules import OVER_PRIVILEGED


def docker_run_hits(command: Command) -> list[Hit]:
    """Findings for one ``docker run`` command line."""
    argv = command.argv[2:]
    at = next((i for i, t in enumerate(argv) if image_kind(t.text) is not None), None)
    kind = image_kind(argv[at].text) if at is not None else None
    hits: list[Hit] = []
    if at is not None and at + 1 < len(argv):
        server = identify(Command(argv[at + 1 :]))
        if server is not None and server.kind != "docker":
            hits.extend(server_hits(server, {}, host=False))
        argv = argv[: at + 1]
    for index, tok in enumerate(argv):
        value = _value(argv, index, ("-p", "--publish"))
        if value is not None:
            hits.extend(_publish(value, kind, tok.line))
        hit = _privilege(argv, index)
        if hit is not None:
            hits.append(hit)
    return hits


def _value(argv: list[Tok], index: int, names: tuple[str, ...]) -> str | None:
    text = argv[index].text
    for name in names:
        if text == name and index + 1 < len(argv):
            return argv[index + 1].text
        if text.startswith(name + "=") or (
            len(name) == 2 and text.startswith(name) and len(text) > 2
        ):
            return text[len(name) :].lstrip("=")
    return None


def _publish(spec: str, kind: str | None, line: int) -> list[Hit]:
    host, ports = split_publish(spec)
    if host_is_public(host) is not True:
        return []
    hits = [
        port_hit(p, kind, line, "published on all interfaces (docker run -p)", authed=False)
        for p in ports
    ]
    return [h for h in hits if h is not None][:1]


def _privilege(argv: list[Tok], index: int) -> Hit | None:
    tok = argv[index]
    if tok.text in ("--privileged", "--privileged=true"):
        return Hit(
            OVER_PRIVILEGED,
            tok.line,
            "docker run --privileged gives the container the host's devices and capabilities.",
            "iac-priv:docker-privileged",
        )
    network = _value(argv, index, ("--network", "--net"))
    if network == "host":
        return Hit(
            OVER_PRIVILEGED,
            tok.line,
            "docker run --network host shares the host's network namespace.",
            "iac-priv:docker-host-network",
        )
    volume = _value(argv, index, ("-v", "--volume", "--mount"))
    if volume is not None and "docker.sock" in volume:
        return Hit(
            OVER_PRIVILEGED,
            tok.line,
            "The Docker socket is mounted into the container (root on the host).",
            "iac-priv:docker-sock",
        )
    return None
