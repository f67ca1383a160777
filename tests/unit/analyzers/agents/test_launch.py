"""Reading what a launch command runs, without running it."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.agents._launch import launch_of, split_image
from aiwarden.analyzers.agents._model import build_server


def launch(command: object, args: list[str] | tuple[str, ...] = ()) -> tuple[object, ...]:
    server, _ = build_server("s", ("mcpServers", "s"), {"command": command, "args": list(args)})
    result = launch_of(server)
    return result.runner, result.name, result.version, result.pinned


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("npx", ["-y", "pkg@1.2.3"], ("npx", "pkg", "1.2.3", True)),
        (
            "npx",
            ["-y", "@scope/pkg@1.2.3-beta.1", "--flag"],
            ("npx", "@scope/pkg", "1.2.3-beta.1", True),
        ),
        ("npx", ["-y", "@scope/pkg"], ("npx", "@scope/pkg", None, False)),
        ("npx", ["pkg@latest"], ("npx", "pkg", "latest", False)),
        ("npx", ["--yes", "pkg@^1.2.0"], ("npx", "pkg", "^1.2.0", False)),
        ("npx", ["-p", "pkg@2.0.0", "pkg-bin"], ("npx", "pkg", "2.0.0", True)),
        ("npx.cmd", ["-y", "pkg"], ("npx", "pkg", None, False)),
        ("C:\\Program Files\\nodejs\\npx.cmd", ["-y", "pkg@1.0.0"], ("npx", "pkg", "1.0.0", True)),
        ("cmd", ["/c", "npx", "-y", "pkg"], ("npx", "pkg", None, False)),
        ("bash", ["-c", "npx -y pkg@1.0.0 && echo ok"], ("npx", "pkg", "1.0.0", True)),
        ("npx -y pkg", [], ("npx", "pkg", None, False)),
        ("env", ["A=1", "npx", "-y", "pkg"], ("npx", "pkg", None, False)),
        ("pnpm", ["dlx", "pkg"], ("npx", "pkg", None, False)),
        ("bunx", ["pkg@1.0.0"], ("npx", "pkg", "1.0.0", True)),
        ("npx", ["-y", "github:owner/repo"], ("npx", "github:owner/repo", None, False)),
        (
            "npx",
            ["-y", "github:owner/repo#0123abc"],
            ("npx", "github:owner/repo#0123abc", None, True),
        ),
        ("uvx", ["mcp-server-fetch"], ("uvx", "mcp-server-fetch", None, False)),
        ("uvx", ["mcp-server-fetch==2025.4.7"], ("uvx", "mcp-server-fetch", "2025.4.7", True)),
        ("uvx", ["mcp-server-fetch@2025.4.7"], ("uvx", "mcp-server-fetch", "2025.4.7", True)),
        ("uvx", ["mcp-server-fetch@latest"], ("uvx", "mcp-server-fetch", "latest", False)),
        ("uvx", ["mcp-server-fetch>=1.0"], ("uvx", "mcp-server-fetch", "1.0", False)),
        ("uvx", ["--from", "pkg==1.0.0", "pkg-cli"], ("uvx", "pkg", "1.0.0", True)),
        ("uvx", ["--python", "3.12", "pkg"], ("uvx", "pkg", None, False)),
        ("uv", ["tool", "run", "pkg"], ("uvx", "pkg", None, False)),
        (
            "uvx",
            ["--from", "git+https://github.com/o/r", "srv"],
            ("uvx", "git+https://github.com/o/r", None, False),
        ),
        (
            "uvx",
            ["--from", "git+https://github.com/o/r@" + "a" * 40, "srv"],
            ("uvx", "git+https://github.com/o/r@" + "a" * 40, None, True),
        ),
        ("pipx", ["run", "pkg"], ("pipx", "pkg", None, False)),
        ("pipx", ["run", "--spec", "pkg==1.0", "cli"], ("pipx", "pkg", "1.0", True)),
        (
            "docker",
            ["run", "-i", "--rm", "-e", "TOKEN", "mcp/github"],
            ("docker", "mcp/github", None, False),
        ),
        ("docker", ["run", "-i", "mcp/github:latest"], ("docker", "mcp/github", "latest", False)),
        ("docker", ["run", "-i", "ghcr.io/o/s:1.4.0"], ("docker", "ghcr.io/o/s", "1.4.0", True)),
        (
            "docker",
            ["run", "-i", "localhost:5000/s@sha256:" + "0" * 64],
            ("docker", "localhost:5000/s", None, True),
        ),
        ("podman", ["run", "--network=none", "srv"], ("docker", "srv", None, False)),
        ("node", ["build/index.js"], ("", None, None, True)),
        ("npx", ["-y", "./local-server"], ("", None, None, True)),
        ("uvx", ["--from", ".", "srv"], ("", None, None, True)),
        ("python", ["-m", "my_server"], ("", None, None, True)),
        ("docker", ["compose", "up"], ("", None, None, True)),
    ],
)
def test_launch_specs(command: str, args: list[str], expected: tuple[object, ...]) -> None:
    assert launch(command, args) == expected


def test_argv_command_lists_and_bad_shell_quoting_do_not_crash() -> None:
    assert launch(["npx", "-y", "pkg"]) == ("npx", "pkg", None, False)
    assert launch("sh", ["-c", "npx 'unclosed"])[0] == "npx"
    assert launch(None, ["x"])[0] == ""
    assert launch("", [])[0] == ""


@pytest.mark.parametrize(
    ("image", "parts"),
    [
        ("mcp/github", ("mcp/github", None, None)),
        ("registry:5000/a/b:1.0", ("registry:5000/a/b", "1.0", None)),
        ("a@sha256:ff", ("a", None, "sha256:ff")),
    ],
)
def test_split_image(image: str, parts: tuple[str, str | None, str | None]) -> None:
    assert split_image(image) == parts
