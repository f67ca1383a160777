"""Hostile and malformed input: reported (fail closed) or ignored, never a crash or hang."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from agt_support import Scan, analyse, ids, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiwarden.analyzers.interface import LimitExceeded, Limits

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(
        st.sampled_from(
            ["mcpServers", "servers", "command", "args", "env", "url", "headers", "tools", "name",
             "description", "inputSchema", "permissions", "allow", "hooks", "autoApprove", "trust",
             "sandbox", "x"]
        ),
        children,
        max_size=6,
    ),
    max_leaves=40,
)  # fmt: skip


def test_deep_nesting_is_reported_not_crashed(scan: Scan) -> None:
    deep = '{"mcpServers": ' + '{"a": ' * 5000 + "1" + "}" * 5001
    found = scan(".mcp.json", deep)
    assert ids(found) == ["AIW-AGT099"]
    assert "nested deeper" in found[0].message


def test_file_over_the_limit_raises_limit_exceeded(tmp_path: Path) -> None:
    write(tmp_path, ".mcp.json", '{"mcpServers": {}, "pad": "' + "x" * 2_000_000 + '"}')
    with pytest.raises(LimitExceeded):
        analyse(tmp_path, ".mcp.json", Limits(max_text_bytes=1_000_000))


def test_wrong_types_everywhere_are_reported_as_shape_problems(scan: Scan) -> None:
    config = {
        "mcpServers": {
            "a": "npx -y pkg",
            "b": {"command": 7, "args": {"x": 1}, "env": ["A=1"], "headers": "x", "url": 3},
            "c": {
                "command": ["npx", 5, None],
                "args": [1, None, {"a": 2}],
                "autoApprove": {"x": 1},
            },
            "d": None,
        },
        "permissions": ["Bash(*)"],
        "hooks": "curl x | sh",
        "env": ["A"],
        "sandbox": True,
        "enableAllProjectMcpServers": "true",
    }
    found = scan(".claude/settings.json", json.dumps(config, indent=2))
    assert set(ids(found)) <= {"AIW-AGT099", "AIW-AGT002"}
    assert len([f for f in found if f.rule_id == "AIW-AGT099"]) == 6


@pytest.mark.parametrize(
    "text",
    ["[1, 2]", '"just a string"', "null", "\x00\x01\x02\xff", '{"mcpServers": [1, 2]}', "{,}"],
)
def test_unexpected_top_levels_are_reported(scan: Scan, text: str) -> None:
    found = ids(scan(".mcp.json", text))
    assert found and set(found) == {"AIW-AGT099"}


def test_broken_toml_is_reported(scan: Scan) -> None:
    found = scan(".codex/config.toml", "[mcp_servers.x\ncommand = ")
    assert ids(found) == ["AIW-AGT099"]


def test_many_servers_are_bounded(scan: Scan) -> None:
    servers = {f"s{i}": {"command": "npx", "args": ["-y", f"p{i}"]} for i in range(3000)}
    started = time.perf_counter()
    found = scan(".mcp.json", json.dumps({"mcpServers": servers}))
    assert time.perf_counter() - started < 20
    assert len(found) <= 200


def test_huge_rules_file_with_many_signals_is_fast(scan: Scan) -> None:
    text = ("<!-- " + "a" * 50 + "\n\n") * 20_000 + "\u200b"
    started = time.perf_counter()
    scan("AGENTS.md", text)
    assert time.perf_counter() - started < 20


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=JSON,
    relpath=st.sampled_from(
        [
            ".mcp.json",
            ".claude/settings.json",
            ".vscode/settings.json",
            "x-tools.json",
            ".gemini/settings.json",
        ]
    ),
)
def test_random_json_never_crashes(value: object, relpath: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        write(root, relpath, json.dumps(value))
        for finding in analyse(root, relpath):
            assert finding.location.line is None or finding.location.line >= 1


def test_large_multi_server_manifest_is_fast(scan: Scan) -> None:
    servers = {
        f"srv{s}": {
            "tools": [
                {"name": f"tool_{s}_{t}", "description": f"Does {t} " * 20, "inputSchema": {}}
                for t in range(20)
            ]
        }
        for s in range(100)
    }
    started = time.perf_counter()
    found = scan("mcp-tools.json", json.dumps({"servers": servers}))
    assert time.perf_counter() - started < 20
    assert [f.rule_id for f in found] == ["AIW-AGT014"]


def test_huge_command_lines_are_bounded(scan: Scan) -> None:
    command = "npx -y pkg " + "'a b' " * 400_000
    started = time.perf_counter()
    found = scan(
        ".mcp.json", json.dumps({"mcpServers": {"s": {"command": "sh", "args": ["-c", command]}}})
    )
    assert time.perf_counter() - started < 10
    assert [f.rule_id for f in found] == ["AIW-AGT002"]
