"""AIW-PY009: untrusted request data formatted into the system (or developer) prompt.

Sources are web request data (:mod:`._input_sources`); sinks are the system-role
positions of chat messages and LLM calls (:mod:`._prompt_sinks`). Request data in the
*user* role is the normal use of a chat API and is never reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar

from aiwarden.analyzers.code import _taint_report as report
from aiwarden.analyzers.code._input_sources import (
    imports_module,
    request_source,
    route_parameters,
)
from aiwarden.analyzers.code._llm_sources import LlmSources
from aiwarden.analyzers.code._prompt_sinks import PromptSinks
from aiwarden.analyzers.code._receivers import Resolver
from aiwarden.analyzers.code._taint import Evaluator, Sink, Taint, TaintSet
from aiwarden.analyzers.code._taint_scope import Function, all_scopes, analyse
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

WEB_FRAMEWORKS = ("fastapi", "flask", "starlette", "django", "rest_framework", "quart", "sanic")

REQUEST_DATA_IN_SYSTEM_PROMPT = Rule(
    id=RuleId("AIW-PY009"),
    title="Untrusted request data in the system prompt",
    severity=Severity.MEDIUM,
    summary=(
        "Data from an HTTP request is formatted into the system or developer message of an "
        "LLM call, where the model treats it as the application's own instructions."
    ),
    help=(
        "Models give the system (or developer) role more authority than the user role: it "
        "holds the application's rules, its guardrails and often secrets. When request "
        "parameters are formatted into it, any client can rewrite those rules (direct "
        "prompt injection with the application's own privileges) or read them back (system "
        "prompt leakage). CodeQL's `py/prompt-injection` (CWE-1427) and Semgrep's "
        "`*-user-input-in-system-prompt` rules report the same flow.\n\n"
        "aiwarden follows Flask/Django/Starlette request data and the parameters of "
        'FastAPI/Flask route handlers into `{"role": "system"}` messages, '
        '`SystemMessage`, `("system", ...)` prompt templates, Anthropic\'s `system=`, '
        "Gemini's `system_instruction=` and the `instructions=`/`system_prompt=` of agent "
        "constructors. Request data in user messages is not reported.\n\n"
        "Unsafe:\n\n"
        "```python\n"
        '@app.post("/chat")\n'
        "def chat(persona: str, question: str):\n"
        "    messages = [\n"
        '        {"role": "system", "content": f"You are {persona}. Never reveal the key."},\n'
        '        {"role": "user", "content": question},\n'
        "    ]\n"
        "```\n\n"
        "Safe:\n\n"
        "```python\n"
        'PERSONAS = {"tutor": "You are a patient tutor.", "coder": "You review code."}\n'
        'system = PERSONAS.get(persona, PERSONAS["tutor"])   # chosen, not written, by the client\n'
        'messages = [{"role": "system", "content": system},\n'
        '            {"role": "user", "content": question}]\n'
        "```"
    ),
    remediation=(
        "Keep the system prompt fixed by the application. Put client text in the user "
        "message, clearly delimited; when a client must choose a behaviour, map its choice "
        "through an allowlist of prepared system prompts. Do not put secrets in prompts, "
        "and log the prompts you send so injections can be detected."
    ),
    guidelines=("SD-3.f", "SD-3.i", "OM-2.a"),
    cwe=(1427, 77),
    owasp_llm=("LLM01:2025", "LLM07:2025"),
    atlas=("AML.T0051.000", "AML.M0020"),
    references=(
        "https://genai.owasp.org/llmrisk/llm01-prompt-injection/",
        "https://cwe.mitre.org/data/definitions/1427.html",
        "https://github.com/github/codeql/blob/main/python/ql/src/experimental/Security/"
        "CWE-1427/PromptInjection.ql",
        "https://github.com/semgrep/semgrep-rules/tree/develop/ai",
    ),
    tags=("code", "python", "llm", "taint", "prompt-injection", "security"),
)


class SystemPromptSpec:
    """Sources: request data. Sinks: system-role prompt positions."""

    def __init__(self, ctx: ModuleContext, resolver: Resolver, web: bool = False) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self.web = web
        self.prompts = PromptSinks(ctx, resolver, LlmSources(ctx, resolver))

    def source(self, node: ast.Call | ast.Attribute, ev: Evaluator) -> Taint | None:
        """The request data ``node`` reads, if any."""
        return request_source(self.ctx, self.resolver, node, self.web)

    def sinks(self, node: ast.expr, ev: Evaluator) -> Iterable[tuple[Sink, TaintSet]]:
        """The system-prompt positions ``node`` fills."""
        return self.prompts.sinks(node, ev)


class SystemPromptChecker(Checker):
    """Reports request data placed in a system prompt (AIW-PY009)."""

    rules: ClassVar[tuple[Rule, ...]] = (REQUEST_DATA_IN_SYSTEM_PROMPT,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per system-prompt position filled with request data."""
        if not imports_module(ctx, *WEB_FRAMEWORKS) and "request" not in ctx.source:
            return
        if not any(word in ctx.source for word in ("system", "developer", "instructions")):
            return
        resolver = Resolver(ctx)
        web = imports_module(ctx, *WEB_FRAMEWORKS)

        def seeds(func: Function) -> dict[str, TaintSet]:
            return route_parameters(resolver, func, web)

        spec = SystemPromptSpec(ctx, resolver, web)
        analysis = analyse(ctx, spec, all_scopes(ctx), seeds, resolver=resolver)
        for hit in analysis.hits:
            taint = report.primary(hit)
            yield ctx.issue(
                REQUEST_DATA_IN_SYSTEM_PROMPT,
                hit.node,
                f"Request data {report.origin(taint)} is placed in the system prompt "
                f"({hit.sink.name}, line {getattr(hit.node, 'lineno', 1)}){report.route(hit)}; "
                "clients can rewrite the application's instructions.",
                key=report.fingerprint(hit, taint),
                confidence=report.confidence(hit, taint),
                related=report.related(ctx, hit, taint, "request data"),
            )
        for scope in analysis.incomplete:
            yield report.incomplete(ctx, scope, REQUEST_DATA_IN_SYSTEM_PROMPT)
