"""AIW-AGT004: remote endpoints."""

from __future__ import annotations

import json

import pytest
from agt_support import Scan, by_rule

from aiwarden.analyzers.agents._endpoints import url_problems


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://mcp.example.com/sse", "unencrypted"),
        ("ws://mcp.example.com/ws", "unencrypted"),
        ("http://10.0.0.5:8080/mcp", "unencrypted"),
        ("https://45.33.32.156/mcp", "raw IP"),
        ("https://[2001:db8::1]/mcp", "raw IP"),
        ("https://mcp.example.com/mcp?token=abc", "`token`"),
        ("https://mcp.example.com/mcp?x=1&apiKey=${KEY}", "`apiKey`"),
    ],
)
def test_insecure_urls(url: str, fragment: str) -> None:
    assert any(fragment in p for p in url_problems(url))


@pytest.mark.parametrize(
    "url",
    [
        "https://mcp.example.com/mcp",
        "http://localhost:3000/mcp",
        "http://127.0.0.1:8931/sse",
        "http://[::1]:8080/mcp",
        "http://app.localhost/mcp",
        "http://host.docker.internal:3000/mcp",
        "https://10.1.2.3/mcp",
        "https://mcp.example.com/mcp?version=2",
        "not a url",
        "http://[broken",
    ],
)
def test_fine_urls(url: str) -> None:
    assert url_problems(url) == []


@pytest.mark.parametrize("key", ["url", "serverUrl", "httpUrl"])
def test_url_keys_of_each_client_are_checked(scan: Scan, key: str) -> None:
    text = json.dumps({"mcpServers": {"r": {key: "http://mcp.example.com/sse"}}}, indent=2)
    found = by_rule(scan("mcp_config.json", text), "AIW-AGT004")
    assert [f.location.line for f in found] == [4]


def test_mcp_remote_argument_url_is_checked(scan: Scan) -> None:
    entry = {"command": "npx", "args": ["-y", "mcp-remote@0.1.18", "http://203.0.113.10/sse"]}
    found = by_rule(scan(".mcp.json", json.dumps({"mcpServers": {"r": entry}})), "AIW-AGT004")
    assert len(found) == 2  # plain http, and a raw IP
