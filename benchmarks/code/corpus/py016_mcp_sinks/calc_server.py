"""Calculator and notes MCP server (FastMCP 2 style)."""

import ast
import os
from pathlib import Path

import requests
from fastmcp import FastMCP

server = FastMCP(name="calc-notes")
NOTES = Path.home() / "notes"
WEATHER = "https://api.weather.example.com/v1/forecast"


@server.tool
def calculate(expression: str) -> float:
    """Evaluate an arithmetic expression."""
    return eval(expression)  # expect: AIW-PY016


@server.tool
def literal(expression: str):
    """Parse a Python literal (numbers, lists, dicts)."""
    return ast.literal_eval(expression)  # ok: AIW-PY016


@server.tool(name="save_note", description="Save a note under a name.")
def save_note(name: str, body: str) -> str:
    (NOTES / name).write_text(body)  # expect: AIW-PY016
    return "saved"


@server.tool
def cleanup(pattern: str) -> str:
    """Delete temporary files that match a glob pattern."""
    os.system("rm -f /tmp/notes-" + pattern)  # expect: AIW-PY016
    return "ok"


@server.tool
def weather(city: str) -> dict:
    """Current weather for a city."""
    return requests.get(WEATHER, params={"city": city}, timeout=10).json()  # ok: AIW-PY016
