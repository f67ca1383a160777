"""AIW-AGT004: remote MCP endpoints over plain HTTP, by raw public IP, or with tokens in URLs."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from aiwarden.analyzers.agents._credentials import secret_name
from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._model import Server
from aiwarden.analyzers.agents.rules import INSECURE_ENDPOINT
from aiwarden.core.severity import Confidence

_LOCAL_NAMES: Final = frozenset(
    {"localhost", "host.docker.internal", "host.containers.internal", "ip6-localhost"}
)
_PRIVATE: Final = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
_TOKEN_PARAMS: Final = frozenset(
    {"token", "key", "apikey", "api_key", "api-key", "access_token", "auth", "secret",
     "password", "pass", "pwd", "sig", "signature", "session", "jwt", "code", "bearer"}
)  # fmt: skip


def check_server(server: Server) -> Iterator[Hit]:
    """Endpoint findings for the URL of ``server`` and URLs passed in its arguments."""
    urls: list[tuple[JsonPath, str]] = []
    if server.url is not None:
        urls.append(server.url)
    urls.extend((path, arg) for path, arg in server.args if arg.startswith(("http", "ws")))
    seen: set[str] = set()
    for path, url in urls[:20]:
        internal = _internal_host(url)
        for problem in url_problems(url):
            if problem not in seen:
                seen.add(problem)
                yield Hit(
                    INSECURE_ENDPOINT,
                    path,
                    f"Server `{server.name}` connects to {problem}.",
                    key=f"agt-endpoint:{server.name}:{problem}",
                    evidence=_without_query(url),
                    confidence=Confidence.MEDIUM if internal else Confidence.HIGH,
                )


def _internal_host(url: str) -> bool:
    """True for single-label, ``.local``/``.internal`` names and private addresses."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    if "." not in host or host.endswith((".local", ".internal", ".lan", ".home.arpa")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in _PRIVATE if network.version == address.version)


def url_problems(url: str) -> list[str]:
    """What is wrong with ``url`` as a remote MCP endpoint (empty when fine)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return []
    if parts.scheme not in ("http", "https", "ws", "wss") or not host:
        return []
    problems: list[str] = []
    local = _is_local(host)
    if parts.scheme in ("http", "ws") and not local:
        problems.append(f"`{host}` over unencrypted {parts.scheme}://")
    if _public_ip(host):
        problems.append(f"the raw IP address `{host}` (no name to verify)")
    params = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)[:50]]
    tokens = [n for n in params if n.lower() in _TOKEN_PARAMS or secret_name(n)]
    if tokens:
        problems.append(f"a URL carrying `{tokens[0]}` in its query string (logged by proxies)")
    return problems


def _is_local(host: str) -> bool:
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _public_ip(host: str) -> bool:
    """An IP literal outside loopback, link-local and the private ranges (documentation
    ranges such as 203.0.113.0/24 count as public: they stand for public addresses)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        return False
    return not any(address in network for network in _PRIVATE if network.version == address.version)


def _without_query(url: str) -> str:
    return url.split("?", 1)[0][:200]
