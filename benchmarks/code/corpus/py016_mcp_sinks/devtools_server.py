"""MCP server exposing a few developer tools to the IDE agent."""

import os
import shlex
import subprocess
from pathlib import Path

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("devtools")
WORKSPACE = Path(os.environ.get("WORKSPACE", ".")).resolve()


@mcp.tool()
def run_tests(selector: str) -> str:
    """Run the test-suite for a test selector."""
    return subprocess.run(f"pytest -q {selector}", shell=True, capture_output=True, text=True).stdout  # expect: AIW-PY016


@mcp.tool()
def grep(pattern: str) -> str:
    """Search the workspace for a pattern."""
    return subprocess.run(f"grep -rn {shlex.quote(pattern)} .", shell=True, capture_output=True, text=True, cwd=WORKSPACE).stdout  # ok: AIW-PY016


@mcp.tool()
def git_log(count: int = 10) -> str:
    """Show the latest commits."""
    return subprocess.run(["git", "log", "--oneline", "-n", str(int(count))], capture_output=True, text=True).stdout  # ok: AIW-PY016


@mcp.tool()
def read_file(path: str) -> str:
    """Read a file and return its text."""
    with open(path) as fh:  # expect: AIW-PY016
        return fh.read()


@mcp.tool()
def read_workspace_file(relative: str) -> str:
    """Read a file inside the workspace."""
    target = (WORKSPACE / relative).resolve()
    if not target.is_relative_to(WORKSPACE):
        raise ValueError("path escapes the workspace")
    return target.read_text()  # ok: AIW-PY016


@mcp.tool()
async def fetch(url: str) -> str:
    """Fetch a web page and return its text."""
    async with httpx.AsyncClient(timeout=10) as client:
        return (await client.get(url)).text  # expect: AIW-PY016; allow: AIW-PY019
