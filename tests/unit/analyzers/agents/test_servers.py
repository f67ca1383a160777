"""AIW-AGT002 unpinned launches, AGT003 vulnerable versions, AGT005 over-broad grants."""

from __future__ import annotations

import json

import pytest
from agt_support import Scan, by_rule


def one(command: str, args: list[str], name: str = "srv") -> str:
    return json.dumps({"mcpServers": {name: {"command": command, "args": args}}}, indent=2)


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("npx", ["-y", "@modelcontextprotocol/server-github"]),
        ("npx", ["@playwright/mcp@latest"]),
        ("npx", ["-y", "pkg@^1.0.0"]),
        ("uvx", ["mcp-server-fetch"]),
        ("pipx", ["run", "mcp-server-time"]),
        ("docker", ["run", "-i", "--rm", "mcp/fetch"]),
        ("docker", ["run", "-i", "--rm", "mcp/fetch:latest"]),
        ("uvx", ["--from", "git+https://github.com/org/server", "server"]),
        ("cmd", ["/c", "npx", "-y", "tavily-mcp"]),
    ],
)
def test_unpinned_launch_is_reported_at_the_package_argument(
    scan: Scan, command: str, args: list[str]
) -> None:
    text = one(command, args)
    found = by_rule(scan(".mcp.json", text), "AIW-AGT002")
    assert len(found) == 1
    lines = text.splitlines()
    assert any(a in lines[found[0].location.line - 1] for a in args if not a.startswith("-"))


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("npx", ["-y", "@modelcontextprotocol/server-github@2025.4.8"]),
        ("npx", ["-y", "pkg@1.2.3"]),
        ("uvx", ["mcp-server-fetch==2025.4.7"]),
        ("docker", ["run", "-i", "--rm", "mcp/fetch@sha256:" + "a" * 64]),
        ("docker", ["run", "-i", "--rm", "-e", "TOKEN", "mcp/fetch:1.2.0"]),
        ("node", ["/opt/servers/index.js"]),
        ("python", ["-m", "server"]),
        ("uv", ["run", "server.py"]),
    ],
)
def test_pinned_or_local_launch_is_not_reported(scan: Scan, command: str, args: list[str]) -> None:
    assert by_rule(scan(".mcp.json", one(command, args)), "AIW-AGT002") == []


@pytest.mark.parametrize(
    ("spec", "advisory"),
    [
        ("mcp-remote@0.1.15", "CVE-2025-6514"),
        ("mcp-remote@0.0.5", "CVE-2025-6514"),
        ("@modelcontextprotocol/inspector@0.14.0", "CVE-2025-49596"),
        ("@modelcontextprotocol/server-filesystem@2025.3.28", "CVE-2025-53109"),
        ("@modelcontextprotocol/server-filesystem@0.6.2", "CVE-2025-53110"),
        ("@modelcontextprotocol/server-filesystem@2024.12.19", "CVE-2025-53109"),
    ],
)
def test_known_vulnerable_versions_are_reported(scan: Scan, spec: str, advisory: str) -> None:
    found = by_rule(scan(".mcp.json", one("npx", ["-y", spec, "./data"])), "AIW-AGT003")
    assert len(found) == 1
    assert advisory in found[0].message


@pytest.mark.parametrize(
    "spec",
    [
        "mcp-remote@0.1.16",
        "mcp-remote@0.0.4",
        "mcp-remote",
        "@modelcontextprotocol/inspector@0.14.1",
        "@modelcontextprotocol/server-filesystem@2025.7.1",
        "mcp-remote-other@0.1.0",
    ],
)
def test_fixed_or_unrelated_versions_are_not(scan: Scan, spec: str) -> None:
    assert by_rule(scan(".mcp.json", one("npx", ["-y", spec, "./d"])), "AIW-AGT003") == []


FS = "@modelcontextprotocol/server-filesystem@2025.8.21"


@pytest.mark.parametrize(
    "root",
    [
        "/",
        "~",
        "~/",
        "$HOME",
        "${HOME}",
        "C:\\",
        "C:/",
        "..",
        "../..",
        "/Users/alice",
        "/home/bob/",
    ],
)
def test_filesystem_server_rooted_too_high_is_reported(scan: Scan, root: str) -> None:
    found = by_rule(scan(".mcp.json", one("npx", ["-y", FS, "./docs", root])), "AIW-AGT005")
    assert len(found) == 1
    assert root in found[0].message


@pytest.mark.parametrize(
    "root", [".", "./docs", "${workspaceFolder}", "/home/bob/projects/app", "src", "~/projects/app"]
)
def test_filesystem_server_inside_the_project_is_not(scan: Scan, root: str) -> None:
    assert by_rule(scan(".mcp.json", one("npx", ["-y", FS, root])), "AIW-AGT005") == []


@pytest.mark.parametrize(
    "args",
    [
        ["run", "-i", "--privileged", "img:1"],
        ["run", "-i", "--network", "host", "img:1"],
        ["run", "-i", "--net=host", "img:1"],
        ["run", "-i", "-v", "/var/run/docker.sock:/var/run/docker.sock", "img:1"],
        ["run", "-i", "-v", "/:/host", "img:1"],
        ["run", "-i", "--volume=/home/me/.ssh:/root/.ssh:ro", "img:1"],
        ["run", "-i", "--mount", "type=bind,source=/,target=/host", "img:1"],
        ["run", "-i", "--cap-add", "SYS_ADMIN", "img:1"],
    ],
)
def test_privileged_docker_is_reported(scan: Scan, args: list[str]) -> None:
    assert len(by_rule(scan(".mcp.json", one("docker", args)), "AIW-AGT005")) == 1


def test_confined_docker_is_not(scan: Scan) -> None:
    args = ["run", "-i", "--rm", "--network", "none", "-v", "./data:/data:ro", "img:1"]
    assert by_rule(scan(".mcp.json", one("docker", args)), "AIW-AGT005") == []


@pytest.mark.parametrize(
    ("name", "command", "args"),
    [
        ("shell", "npx", ["-y", "mcp-shell@1.0.0"]),
        ("tools", "npx", ["-y", "@wonderwhy-er/desktop-commander@0.2.3"]),
        ("terminal", "node", ["terminal-server.js"]),
        ("runner", "uvx", ["mcp-server-commands==0.1.0"]),
    ],
)
def test_shell_servers_are_reported(scan: Scan, name: str, command: str, args: list[str]) -> None:
    assert len(by_rule(scan(".mcp.json", one(command, args, name)), "AIW-AGT005")) == 1


@pytest.mark.parametrize("name", ["github", "memory", "fetch", "sequential-thinking", "context7"])
def test_ordinary_servers_are_not_shell_servers(scan: Scan, name: str) -> None:
    assert by_rule(scan(".mcp.json", one("npx", ["-y", f"{name}@1.0.0"], name)), "AIW-AGT005") == []


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("uvx", ["mcp-server-git==2025.1.1", "--repository", "/"]),
        ("node", ["server.js", "--allowed-dirs=~"]),
        ("npx", ["-y", "code-index@1.0.0", "--root", "$HOME"]),
    ],
)
def test_broad_path_options_of_any_server(scan: Scan, command: str, args: list[str]) -> None:
    assert len(by_rule(scan(".mcp.json", one(command, args)), "AIW-AGT005")) == 1


def test_narrow_path_options_are_not(scan: Scan) -> None:
    args = ["mcp-server-git==2025.1.1", "--repository", "."]
    assert by_rule(scan(".mcp.json", one("uvx", args)), "AIW-AGT005") == []


def test_list_of_named_servers(scan: Scan) -> None:
    text = json.dumps({"mcpServers": [{"name": "fs", "command": "npx", "args": ["-y", FS, "/"]}]})
    found = scan(".mcp.json", text)
    assert [f.rule_id for f in found] == ["AIW-AGT005"]
    assert "`fs`" in found[0].message


def test_zed_context_servers_with_a_command_object(scan: Scan) -> None:
    text = json.dumps(
        {
            "context_servers": {
                "gh": {"command": {"path": "npx", "args": ["-y", "gh-mcp"], "env": {}}}
            }
        },
        indent=2,
    )
    found = scan(".zed/settings.json", text)
    assert [f.rule_id for f in found] == ["AIW-AGT002"]
    assert '"gh-mcp"' in text.splitlines()[found[0].location.line - 1]
