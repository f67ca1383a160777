"""AIW-PY016: MCP tool handler parameters reaching shell, code, file-path and URL sinks."""

from __future__ import annotations

import textwrap

import pytest

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.rules_mcp import McpChecker
from aiwarden.core.severity import Confidence, Severity


def _issues(source: str) -> list[CodeIssue]:
    ctx = ModuleContext.parse(textwrap.dedent(source))
    return list(McpChecker().check(ctx))


FASTMCP = """
import os, subprocess, shlex
from pathlib import Path
import httpx
from mcp.server.fastmcp import FastMCP, Context

mcp = FastMCP("tools")
"""

POSITIVES = [
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
def grep(pattern: str, path: str) -> str:
    \"\"\"Search files.\"\"\"
    return subprocess.check_output(f"grep -r {pattern} {path}", shell=True, text=True)
""",
        "subprocess.check_output(shell=True)",
        Severity.CRITICAL,
        id="shell-fstring",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
async def calculate(expression: str, ctx: Context) -> str:
    await ctx.info("calculating")
    return str(eval(expression))
""",
        "eval",
        Severity.CRITICAL,
        id="async-eval",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
def read_file(path: str) -> str:
    return Path(path).read_text()
""",
        "Path.read_text",
        Severity.HIGH,
        id="pathlib-read",
    ),
    pytest.param(
        FASTMCP
        + """
ROOT = "/srv/data"

@mcp.tool(name="write", description="Write a file")
def write_file(name: str, content: str) -> str:
    with open(os.path.join(ROOT, name), "w") as handle:
        handle.write(content)
    return "ok"
""",
        "open",
        Severity.HIGH,
        id="open-join-without-containment",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
async def fetch(url: str) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return response.text
""",
        "AsyncClient.get",
        Severity.HIGH,
        id="ssrf-async-client",
    ),
    pytest.param(
        """
import fastmcp
import subprocess

server = fastmcp.FastMCP("git")

def _git(*args):
    return subprocess.run(["git", *args], capture_output=True)

def _run(cmd):
    return subprocess.run(cmd, shell=True)

@server.tool
def checkout(branch: str) -> str:
    _run("git checkout " + branch)
    return "done"
""",
        "subprocess.run(shell=True)",
        Severity.CRITICAL,
        id="bare-decorator-helper-sink",
    ),
    pytest.param(
        """
import subprocess
from mcp.server import Server

server = Server("shell")

@server.call_tool()
async def handle_call_tool(name: str, arguments: dict):
    if name == "run":
        cmd = arguments.get("command")
        out = subprocess.run(cmd, shell=True, capture_output=True)
        return [out.stdout]
""",
        "subprocess.run(shell=True)",
        Severity.CRITICAL,
        id="low-level-call-tool",
    ),
    pytest.param(
        FASTMCP
        + """
def delete(path: str) -> str:
    os.remove(path)
    return "deleted"

mcp.add_tool(delete)
""",
        "os.remove",
        Severity.HIGH,
        id="add-tool-registration",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.resource("file://{name}")
def resource(name: str) -> bytes:
    return open("/data/" + name, "rb").read()
""",
        "open",
        Severity.HIGH,
        id="resource-template",
    ),
]


@pytest.mark.parametrize(("source", "sink", "severity"), POSITIVES)
def test_a_tool_parameter_reaching_a_sink_is_reported(
    source: str, sink: str, severity: Severity
) -> None:
    issues = _issues(source)
    assert [i.rule.id for i in issues] == ["AIW-PY016"], [i.message for i in issues]
    assert f"reaches {sink} (line" in issues[0].message
    assert issues[0].severity is severity


NEGATIVES = [
    pytest.param(
        FASTMCP
        + """
ROOT = Path("/srv/data").resolve()

@mcp.tool()
def read_file(path: str) -> str:
    target = (ROOT / path).resolve()
    if not target.is_relative_to(ROOT):
        raise ValueError("outside root")
    return target.read_text()
""",
        id="contained-path",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
def grep(pattern: str) -> str:
    return subprocess.check_output(["grep", "-r", "--", pattern, "/srv"], text=True)
""",
        id="argv-list",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
def grep(pattern: str) -> str:
    return subprocess.check_output("grep -r " + shlex.quote(pattern) + " /srv", shell=True)
""",
        id="shlex-quoted",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
def head(count: int, verbose: bool = False) -> str:
    return subprocess.check_output(f"head -n {count} /var/log/app.log", shell=True, text=True)
""",
        id="integer-parameters",
    ),
    pytest.param(
        FASTMCP
        + """
@mcp.tool()
async def weather(city: str) -> str:
    async with httpx.AsyncClient() as client:
        r = await client.get(f"https://api.weather.example/v1/{city}", params={"units": "metric"})
    return r.text
""",
        id="fixed-host-url",
    ),
    pytest.param(
        """
import subprocess
from fastapi import FastAPI

app = FastAPI()

@app.get("/run")
def run(cmd: str):
    return subprocess.run(cmd, shell=True)
""",
        id="not-an-mcp-server",
    ),
    pytest.param(
        FASTMCP
        + """
def helper(cmd):
    return subprocess.run(cmd, shell=True)

@mcp.tool()
def status() -> str:
    return helper("git status")
""",
        id="constant-argument-to-helper",
    ),
]


@pytest.mark.parametrize("source", NEGATIVES)
def test_safe_tool_handlers_are_not_reported(source: str) -> None:
    assert _issues(source) == []


def test_the_message_names_the_parameter_and_the_handler() -> None:
    (issue,) = _issues(POSITIVES[1].values[0])  # type: ignore[arg-type]
    assert issue.message.startswith("MCP tool parameter 'expression' of calculate() (line")
    assert issue.related[0].label == "tool parameter"


def test_a_decorator_on_an_unresolved_server_object_is_medium_confidence() -> None:
    source = """
    import subprocess
    from .server import mcp
    from mcp.types import TextContent

    @mcp.tool()
    def run(command: str) -> list[TextContent]:
        subprocess.run(command, shell=True)
        return []
    """
    (issue,) = _issues(source)
    assert issue.confidence is Confidence.MEDIUM
