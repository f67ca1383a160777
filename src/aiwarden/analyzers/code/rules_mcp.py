"""AIW-PY016: an MCP tool handler's parameter reaches a shell, code, a file path or a URL.

MCP tool arguments are chosen by a language model, which any document, web page or
tool output it reads can steer. The handlers of ``FastMCP`` ``@mcp.tool()`` /
``@mcp.resource()`` / ``@mcp.prompt()`` and low-level ``@server.call_tool()`` servers
(:mod:`._input_sources`) are analysed with the sink tables of :mod:`._taint_sinks`.
File-path flows are not reported when the handler checks containment
(``Path.resolve().is_relative_to(root)``, ``os.path.commonpath``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import (
    imports_module,
    mcp_handler,
    mcp_parameters,
    registered_tools,
)
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint import Evaluator, Hit, Sink, SinkKind, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, ScopeNode, analyse
from aiwarden.analyzers.code._taint_sinks import SinkMatcher
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Confidence, Severity

MCP_KINDS: Final = frozenset({SinkKind.CODE, SinkKind.SHELL, SinkKind.PATH, SinkKind.URL})
SEVERITY: Final = {
    SinkKind.CODE: Severity.CRITICAL,
    SinkKind.SHELL: Severity.CRITICAL,
    SinkKind.PATH: Severity.HIGH,
    SinkKind.URL: Severity.HIGH,
}

MCP_PARAMETER_TO_SINK = Rule(
    id=RuleId("AIW-PY016"),
    title="MCP tool parameter reaches a dangerous sink",
    severity=Severity.HIGH,
    summary=(
        "An argument of an MCP tool handler flows into a shell command, code execution, a "
        "file path without a containment check, or an outbound URL."
    ),
    help=(
        "The arguments of an MCP tool are written by the model that calls it, and the model "
        "can be steered by any text it reads (a web page, an issue, a file, another tool's "
        "output). A tool that passes them to `subprocess(..., shell=True)` or `eval` gives "
        "that text code execution on the server's machine; a tool that opens a path "
        "without checking it stays inside an allowed directory reads or overwrites any "
        "file (the Filesystem MCP server's CVE-2025-53109/53110 were containment checks "
        "that could be bypassed); a tool that fetches any URL reaches internal services "
        "and cloud metadata (SSRF). CodeQL models MCP handler parameters as remote input "
        "for the same reason, and Semgrep has `mcp-command-injection` and `mcp-ssrf`.\n\n"
        "Unsafe:\n\n"
        "```python\n"
        "@mcp.tool()\n"
        "def grep(pattern: str, path: str) -> str:\n"
        '    return subprocess.check_output(f"grep -r {pattern} {path}", shell=True, text=True)\n'
        "```\n\n"
        "Safe:\n\n"
        "```python\n"
        'ROOT = Path("/srv/docs").resolve()\n\n'
        "@mcp.tool()\n"
        "def grep(pattern: str, path: str) -> str:\n"
        "    target = (ROOT / path).resolve()\n"
        "    if not target.is_relative_to(ROOT):\n"
        '        raise ValueError("path outside the allowed directory")\n'
        '    argv = ["grep", "-r", "--", pattern, str(target)]\n'
        "    return subprocess.check_output(argv, text=True)\n"
        "```"
    ),
    remediation=(
        "Validate every tool argument as hostile input: run programs with an argv list and "
        "no shell (`shlex.quote` when a shell is unavoidable), never `eval`/`exec` them, "
        "resolve paths and check they stay inside an allowed root "
        "(`Path.resolve().is_relative_to(root)`, symlinks included), and fetch only URLs "
        "whose host is on an allowlist. Type parameters narrowly (`int`, `Literal[...]`, "
        "enums) so the SDK rejects other values, and ask the user to confirm destructive "
        "tools."
    ),
    guidelines=("SD-3.h", "SD-3.f", "DP-1.b"),
    cwe=(78, 94, 22, 918, 77),
    owasp_llm=("LLM06:2025", "LLM01:2025", "LLM05:2025"),
    atlas=("AML.T0053", "AML.M0028", "AML.M0033"),
    references=(
        "https://modelcontextprotocol.io/specification/2025-06-18/server/tools#security-considerations",
        "https://nvd.nist.gov/vuln/detail/CVE-2025-53109",
        "https://nvd.nist.gov/vuln/detail/CVE-2025-53110",
        "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/",
        "https://github.com/semgrep/semgrep-rules/tree/develop/ai",
        "https://github.com/github/codeql/tree/main/python/ql/lib/semmle/python/frameworks",
    ),
    tags=("code", "python", "mcp", "agent", "taint", "injection", "security"),
)


class McpSpec:
    """Sources: handler parameters (seeded). Sinks: shell, code, file paths, URLs."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver) -> None:
        self.matcher = SinkMatcher(ctx, resolver, MCP_KINDS)

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """No expression is a source: the handler's parameters are."""
        return None

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The dangerous calls ``node`` makes."""
        if isinstance(node, ast.Call):
            yield from self.matcher.sinks(node, ev)


class McpChecker(Checker):
    """Reports MCP tool parameters that reach a dangerous sink (AIW-PY016)."""

    rules: ClassVar[tuple[Rule, ...]] = (MCP_PARAMETER_TO_SINK,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per sink reached by a tool parameter."""
        if not imports_module(ctx, "mcp", "fastmcp"):
            return
        resolver = Resolver(ctx)
        handlers: dict[Function, Confidence] = {}
        for func in ctx.functions():
            found = mcp_handler(resolver, func, imports_mcp=True)
            if found is not None:
                handlers[func] = found
        for func in registered_tools(ctx, resolver):
            handlers.setdefault(func, Confidence.HIGH)
        if not handlers:
            return

        def seeds(func: Function) -> dict[str, TaintSet]:
            return mcp_parameters(resolver, func, handlers[func])

        scopes: list[ScopeNode] = list(handlers)
        analysis = analyse(ctx, McpSpec(ctx, resolver), scopes, seeds, resolver=resolver)
        for hit in analysis.hits:
            if report.path_is_contained(ctx, hit):
                continue
            yield self._issue(ctx, hit)
        for scope in analysis.incomplete:
            yield report.incomplete(ctx, scope, MCP_PARAMETER_TO_SINK)

    @staticmethod
    def _issue(ctx: ModuleContext, hit: Hit) -> CodeIssue:
        taint = report.primary(hit)
        scope = hit.scope
        handler = scope.name if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else "?"
        line = getattr(hit.node, "lineno", 1)
        return ctx.issue(
            MCP_PARAMETER_TO_SINK,
            hit.node,
            f"{taint.label} of {handler}() (line {taint.line}) reaches {hit.sink.name} "
            f"(line {line}){report.route(hit)}: a model-chosen value is used as "
            f"{hit.sink.kind.value} without validation.",
            key=report.fingerprint(hit, taint),
            severity=SEVERITY[hit.sink.kind],
            confidence=report.confidence(hit, taint),
            related=report.related(ctx, hit, taint, "tool parameter"),
        )
