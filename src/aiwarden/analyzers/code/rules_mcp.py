"""AIW-PY016: an MCP tool handler's parameter reaches a shell, code, a file path or a URL.

MCP tool arguments are chosen by a language model, which any document, web page or
tool output it reads can steer. The handlers of ``FastMCP`` ``@mcp.tool()`` /
``@mcp.resource()`` / ``@mcp.prompt()`` and low-level ``@server.call_tool()`` servers
(:mod:`._input_sources`) are analysed with the sink tables of :mod:`._taint_sinks`.
File-path flows are not reported when the handler checks containment
(``Path.resolve().is_relative_to(root)``, ``os.path.commonpath``).

The analysis lives in :mod:`._mcp_flow`, imported only for a module that imports
``mcp`` or ``fastmcp``: no other module can hold a handler this rule analyses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.code._rulekit import imports_module
from aiwarden.analyzers.code._rules_meta import MCP_PARAMETER_TO_SINK
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.code import _mcp_flow
else:  # the taint engine loads with the first module that imports MCP
    _mcp_flow = lazy_import("aiwarden.analyzers.code._mcp_flow", before_fork=False)


class McpChecker(Checker):
    """Reports MCP tool parameters that reach a dangerous sink (AIW-PY016)."""

    rules: ClassVar[tuple[Rule, ...]] = (MCP_PARAMETER_TO_SINK,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per sink reached by a tool parameter."""
        if not imports_module(ctx, "mcp", "fastmcp"):
            return
        yield from _mcp_flow.mcp_issues(ctx)
