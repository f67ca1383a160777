"""Low-level MCP server (mcp.server.Server) for the build farm."""

import subprocess

import mcp.types as types
from mcp.server import Server

app = Server("build-farm")


@app.list_tools()
async def list_tools() -> list[types.Tool]:
    return [
        types.Tool(name="build", description="Build a target.", inputSchema={"type": "object"}),
        types.Tool(name="exec", description="Run a snippet.", inputSchema={"type": "object"}),
    ]


@app.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    if name == "build":
        out = subprocess.check_output("make " + arguments["target"], shell=True, text=True)  # expect: AIW-PY016
    elif name == "exec":
        scope: dict = {}
        exec(arguments["code"], scope)  # expect: AIW-PY016
        out = str(scope.get("result"))
    else:
        out = subprocess.check_output(["make", "--version"], text=True)  # ok: AIW-PY016
    return [types.TextContent(type="text", text=out)]
