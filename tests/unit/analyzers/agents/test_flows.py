"""AIW-AGT012 toxic flows and AIW-AGT014 server count."""

from __future__ import annotations

import json

import pytest
from agt_support import Scan, by_rule


def servers(**entries: dict[str, object]) -> str:
    return json.dumps({"mcpServers": entries}, indent=2)


def npx(pkg: str) -> dict[str, object]:
    return {"command": "npx", "args": ["-y", pkg]}


def test_trifecta_names_each_leg_once_per_file(scan: Scan) -> None:
    text = servers(
        fetch={"command": "uvx", "args": ["mcp-server-fetch==2025.4.7"]},
        postgres=npx("@modelcontextprotocol/server-postgres@0.6.2"),
        slack=npx("@modelcontextprotocol/server-slack@2025.4.25"),
    )
    found = by_rule(scan(".mcp.json", text), "AIW-AGT012")
    assert len(found) == 1
    message = found[0].message
    assert "untrusted input (`fetch`, `slack`)" in message
    assert "`postgres`" in message and "public sink" in message
    assert found[0].location.line == 2


def test_remote_servers_are_classified_by_host(scan: Scan) -> None:
    text = servers(
        gh={"type": "http", "url": "https://api.githubcopilot.com/mcp/"},
        notes={"type": "http", "url": "https://mcp.notion.com/mcp"},
    )
    found = by_rule(scan(".vscode/mcp.json", text.replace("mcpServers", "servers")), "AIW-AGT012")
    assert len(found) == 1
    assert "`gh`" in found[0].message and "`notes`" in found[0].message


def test_one_server_alone_is_not_a_combination(scan: Scan) -> None:
    text = servers(github=npx("@modelcontextprotocol/server-github@2025.4.8"))
    assert by_rule(scan(".mcp.json", text), "AIW-AGT012") == []


def test_untrusted_input_with_destructive_tools(scan: Scan) -> None:
    text = servers(
        search=npx("@modelcontextprotocol/server-brave-search@0.6.2"),
        files=npx("@modelcontextprotocol/server-filesystem@2025.8.21"),
    )
    found = by_rule(scan(".mcp.json", text), "AIW-AGT012")
    assert len(found) == 1 and "destructive" in found[0].message


@pytest.mark.parametrize(
    "entries",
    [
        {"postgres": npx("@modelcontextprotocol/server-postgres@0.6.2")},
        {"memory": npx("@modelcontextprotocol/server-memory@1.0.0"), "time": npx("mcp-time@1.0.0")},
        {
            "search": npx("@modelcontextprotocol/server-brave-search@0.6.2"),
            "thinking": npx("x@1.0.0"),
        },
        {
            "files": npx("@modelcontextprotocol/server-filesystem@2025.8.21"),
            "db": npx("sqlite-mcp@1.0.0"),
        },
    ],
)
def test_no_flow_without_all_legs(scan: Scan, entries: dict[str, dict[str, object]]) -> None:
    assert by_rule(scan(".mcp.json", servers(**entries)), "AIW-AGT012") == []


def test_many_servers_is_excessive(scan: Scan) -> None:
    many = {f"s{i}": npx(f"pkg{i}@1.0.0") for i in range(11)}
    assert len(by_rule(scan(".mcp.json", servers(**many)), "AIW-AGT014")) == 1
    few = {f"s{i}": npx(f"pkg{i}@1.0.0") for i in range(10)}
    assert by_rule(scan(".mcp.json", servers(**few)), "AIW-AGT014") == []
