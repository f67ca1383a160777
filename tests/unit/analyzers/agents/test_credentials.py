"""AIW-AGT001: plaintext credentials in MCP and agent configs."""

from __future__ import annotations

import json

import pytest
from agt_support import Scan, by_rule

from aiwarden.analyzers.secrets import find_secrets

GITHUB_PAT = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GENERIC = "q8Zt3LmN0vR7xYp2Kd9sWf4H"


def mcp(servers: dict[str, object]) -> str:
    return json.dumps({"mcpServers": servers}, indent=2)


def test_provider_token_in_env_is_left_to_the_secrets_analyzer(scan: Scan) -> None:
    text = mcp(
        {
            "github": {
                "command": "npx",
                "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
                "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": GITHUB_PAT},
            }
        }
    )
    assert by_rule(scan(".mcp.json", text), "AIW-AGT001") == []
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "GITHUB_PERSONAL" in row)
    (match,) = find_secrets(text)
    assert (match.rule.id, match.line) == ("AIW-SEC002", line)
    assert GITHUB_PAT not in match.evidence
    assert match.evidence.startswith("ghp_") and "Q7r8" in match.evidence


@pytest.mark.parametrize(
    "entry",
    [
        {"command": "srv", "env": {"ACME_API_KEY": GENERIC}},
        {"command": "srv", "env": {"dbPassword": "S3cure-Passw0rd!"}},
        {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": f"Bearer {GENERIC}"}},
        {"url": "https://mcp.example.com/mcp", "headers": {"X-API-Key": GENERIC}},
        {"command": "srv", "args": ["--api-key", GENERIC]},
        {"command": "docker", "args": ["run", "-i", "-e", f"SLACK_BOT_TOKEN={GENERIC}", "img:1"]},
        {"command": "srv", "args": [f"--token={GENERIC}"]},
        {"url": f"https://user:{GENERIC}@mcp.example.com/mcp"},
        {"url": f"https://mcp.example.com/mcp?api_key={GENERIC}"},
        {"command": "srv", "args": ["--header", f"Authorization: Bearer {GITHUB_PAT}"]},
        {
            "command": "npx",
            "args": [
                "mcp-remote@0.1.18",
                "https://a.example",
                "--header",
                f"Authorization: Bearer {GENERIC}",
            ],
        },
    ],
)
def test_plaintext_credentials_are_reported(scan: Scan, entry: dict[str, object]) -> None:
    text = mcp({"s": entry})
    found = by_rule(scan(".cursor/mcp.json", text), "AIW-AGT001")
    # Exactly once: by AIW-AGT001, or by the secrets analyzer (AIW-SEC) which owns every
    # credential its patterns recognise; the agents analyzer then stays silent on that line.
    assert len(found) + len(find_secrets(text)) == 1
    assert all(GENERIC not in f.message and GITHUB_PAT not in f.message for f in found)


@pytest.mark.parametrize(
    "entry",
    [
        {"command": "srv", "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}"}},
        {"command": "srv", "env": {"GITHUB_TOKEN": "${env:GITHUB_TOKEN}"}},
        {"command": "srv", "env": {"GITHUB_TOKEN": "${input:github-token}"}},
        {"command": "srv", "env": {"GITHUB_TOKEN": "<your token>"}},
        {"command": "srv", "env": {"OPENAI_API_KEY": "your-api-key-here"}},
        {"command": "srv", "env": {"API_KEY": "sk-..."}},
        {"command": "srv", "env": {"TOKEN_LIMIT": "100000"}},
        {"command": "srv", "env": {"API_KEY_FILE": "/run/secrets/api_key"}},
        {"command": "srv", "env": {"AUTH_TYPE": "oauth"}},
        {"command": "srv", "args": ["--token", "$TOKEN"]},
        {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ${API_TOKEN}"}},
        {"url": "https://mcp.example.com/mcp?api_key=${KEY}"},
        {
            "command": "npx",
            "args": [
                "mcp-remote@0.1.18",
                "https://a.example",
                "--header",
                "Authorization: Bearer ${AUTH_TOKEN}",
            ],
        },
        {"command": "srv", "env": {"LOG_LEVEL": "debug", "PORT": "3000"}},
        {"command": "srv", "key": "github-server", "env": {"SORT_KEY": "created-at"}},
    ],
)
def test_references_and_placeholders_are_not_reported(scan: Scan, entry: dict[str, object]) -> None:
    assert by_rule(scan(".mcp.json", mcp({"s": entry})), "AIW-AGT001") == []


def test_claude_settings_env_secret_is_reported(scan: Scan) -> None:
    text = json.dumps({"env": {"ANTHROPIC_API_KEY": "sk-ant-api03-" + GENERIC * 3}})
    found = by_rule(scan(".claude/settings.json", text), "AIW-AGT001")
    assert len(found) + len(find_secrets(text)) == 1


def test_codex_bearer_token_is_reported(scan: Scan) -> None:
    text = f'[mcp_servers.docs]\nurl = "https://docs.example.com/mcp"\nbearer_token = "{GENERIC}"\n'
    found = by_rule(scan(".codex/config.toml", text), "AIW-AGT001")
    lines = [f.location.line for f in found] + [m.line for m in find_secrets(text)]
    assert lines == [3]
