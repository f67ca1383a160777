"""Reading the Python, notebook and config files of a project for the inventory.

Each reader takes the text of one file and returns the hits found in it. Python is
parsed with :mod:`ast` through :class:`ModuleContext` (never imported); a notebook's code
cells are joined (IPython magics and shell lines dropped) and read as one module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.bom._code_hub import HubHit, hub_hits
from aiwarden.bom._code_prompts import PromptHit, ToolHit, prompt_hits, tool_hits
from aiwarden.bom._code_services import ServiceHit, service_hits
from aiwarden.bom._configs import Architecture, scan_json, scan_yaml, url_hits
from aiwarden.bom._hubids import hub_urls
from aiwarden.bom._mcp import mcp_servers
from aiwarden.bom.model import McpServer

MAX_NOTEBOOK_CELLS = 5_000


@dataclass(slots=True)
class FileHits:
    """What one source or config file contributes to the inventory."""

    hub: list[HubHit] = field(default_factory=list)
    services: list[ServiceHit] = field(default_factory=list)
    prompts: list[PromptHit] = field(default_factory=list)
    tools: list[ToolHit] = field(default_factory=list)
    mcp: list[McpServer] = field(default_factory=list)
    architecture: Architecture | None = None
    problem: str | None = None
    lines_valid: bool = True


def read_python(source: str, filename: str, *, notebook: bool = False) -> FileHits:
    """Hits in Python source; a syntax error is returned as ``problem``."""
    try:
        ctx = ModuleContext.parse(source, filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return FileHits(problem=f"not parsed as Python: {type(exc).__name__}")
    try:
        hits = FileHits(
            hub=hub_hits(ctx)
            + [HubHit(h.kind, h.repo_id, h.revision, "url", 0) for h in hub_urls(source)],
            services=service_hits(ctx),
            prompts=prompt_hits(ctx),
            tools=tool_hits(ctx),
        )
    except RecursionError:  # pathological nesting that the parser accepted
        return FileHits(problem="not analysed: expressions nested too deeply")
    hits.lines_valid = not notebook  # a notebook's lines are those of the joined cells
    return hits


def read_notebook(text: str, filename: str) -> FileHits:
    """Hits in the code cells of a Jupyter notebook."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return FileHits(problem="not parsed as a notebook: invalid JSON")
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return FileHits(problem="not parsed as a notebook: no cells")
    lines: list[str] = []
    for cell in cells[:MAX_NOTEBOOK_CELLS]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        body = "".join(source) if isinstance(source, list) else source
        if isinstance(body, str):
            lines.extend(
                "pass" if line.lstrip().startswith(("%", "!")) else line
                for line in body.splitlines()
            )
    return read_python("\n".join(lines), filename, notebook=True)


def read_config(text: str, relpath: str, kind: str) -> FileHits:
    """Hits in a JSON, YAML or other text config (``kind``: json, yaml or text)."""
    name = relpath.rsplit("/", 1)[-1]
    if kind == "json":
        found = scan_json(text, name)
        return FileHits(
            hub=found.hub,
            services=found.services,
            prompts=found.prompts,
            mcp=mcp_servers(text, relpath),
            architecture=found.architecture,
        )
    if kind == "yaml":
        found = scan_yaml(text)
        return FileHits(hub=found.hub, services=found.services)
    return FileHits(services=url_hits(text))


def is_cyclonedx(text: str) -> bool:
    """True for a CycloneDX JSON document (a BOM is never inventoried as a config)."""
    head = text[:65_536]
    return '"bomFormat"' in head and "CycloneDX" in head
