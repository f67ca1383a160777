"""Published ports: which are AI services reachable on every interface."""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra._kinds import KIND_PORTS, METRIC_PORTS, PORT_NAMES
from aiwarden.analyzers.infra.rules import METRICS_EXPOSED, PORT_EXPOSED

MAX_RANGE: Final = 1000
_LOOPBACK: Final = re.compile(r"^\[?(127\.\d+\.\d+\.\d+|localhost|::1)\]?$")
_VARIABLE: Final = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?-(?P<default>[^}]*))?\}?")
_ALWAYS_PUBLIC: Final = frozenset({8081, 7071})
"""Management ports reported even when the service authenticates (never publish them)."""


def is_loopback(host: str) -> bool:
    """True for a loopback address (``127.0.0.1``, ``localhost``, ``::1``)."""
    return _LOOPBACK.match(host.strip()) is not None


def host_is_public(host: str | None) -> bool | None:
    """True if a bind address is all interfaces or routable, None if it is a variable."""
    if host is None or host.strip() in ("", "0.0.0.0", "::", "[::]", "*"):  # noqa: S104
        return True
    variable = _VARIABLE.fullmatch(host.strip())
    if variable is not None:
        default = variable.group("default")
        return None if default is None else not is_loopback(default)
    return not is_loopback(host)


def split_publish(spec: str) -> tuple[str | None, list[int]]:
    """Host address and container ports of a ``[ip:][host:]container[/proto]`` mapping."""
    spec = spec.strip().split("/", 1)[0]
    host: str | None = None
    if spec.startswith("["):
        end = spec.find("]")
        host, spec = spec[: end + 1], spec[end + 2 :]
    parts = _split_colons(spec)
    if len(parts) == 3:
        host = parts[0]
    return host, _ports(parts[-1])


def _split_colons(spec: str) -> list[str]:
    parts: list[str] = []
    depth, current = 0, ""
    for ch in spec:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == ":" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def _ports(text: str) -> list[int]:
    start, _, end = text.partition("-")
    if not start.isdecimal() or (end and not end.isdecimal()):
        return []
    low, high = int(start), int(end or start)
    return list(range(low, min(high, low + MAX_RANGE) + 1))


def port_hit(port: int, kind: str | None, line: int, where: str, *, authed: bool) -> Hit | None:
    """The finding for container ``port`` of a ``kind`` service published publicly, if any."""
    if port in METRIC_PORTS:
        return Hit(
            METRICS_EXPOSED,
            line,
            f"{METRIC_PORTS[port]} (port {port}) is {where}.",
            f"iac-metrics:{port}",
        )
    known = kind is not None and port in KIND_PORTS.get(kind, frozenset())
    if not known and port not in PORT_NAMES:
        return None
    if authed and port not in _ALWAYS_PUBLIC:
        return None
    what = PORT_NAMES.get(port) or f"{kind} (port {port})"
    what = what[0].upper() + what[1:]
    return Hit(
        PORT_EXPOSED,
        line,
        f"{what} is {where}; it has no authentication of its own.",
        f"iac-port:{kind or ''}:{port}",
        evidence=str(port),
    )
