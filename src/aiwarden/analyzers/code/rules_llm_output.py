"""AIW-PY008: model-written text reaches code execution, a shell, SQL, HTML, files or URLs.

The taint engine (:mod:`._taint_scope`) follows the reply of every recognised LLM call
(:mod:`._llm_sources`) through each function body to the sinks of
:mod:`._taint_sinks`. Severity depends on the sink: critical for code and shell,
high for SQL and HTML, medium for file paths and outbound URLs.

The analysis itself lives in :mod:`._llm_output_flow`, imported only for a module that
passes :data:`LLM_HINTS`: the taint engine is most of the Python analyzer's import
cost, and most Python files (TorchScript ``code/`` members, build scripts) mention no
LLM library at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.code._rules_meta import LLM_OUTPUT_TO_SINK
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.code import _llm_output_flow
else:  # the taint engine loads with the first module that passes LLM_HINTS
    _llm_output_flow = lazy_import("aiwarden.analyzers.code._llm_output_flow", before_fork=False)

LLM_HINTS: Final = (
    "openai", "anthropic", "genai", "generativeai", "vertexai", "langchain", "langgraph",
    "llama_index", "litellm", "ollama", "mistral", "cohere", "groq", "together", "fireworks",
    "cerebras", "huggingface", "bedrock", "boto3", "transformers", "vllm", "agents", "crewai",
    "smolagents", "pydantic_ai", "completions", "messages.create", "generate_content",
    ".generate(", ".invoke(",
)  # fmt: skip
"""Cheap text test: a module mentioning none of these makes no LLM call we recognise.

Plain substrings (``in`` needs no compiled pattern, and is fast on large files)."""


class LlmOutputChecker(Checker):
    """Reports LLM output that reaches a dangerous sink (AIW-PY008)."""

    rules: ClassVar[tuple[Rule, ...]] = (LLM_OUTPUT_TO_SINK,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per sink reached by LLM output."""
        if not any(hint in ctx.source for hint in LLM_HINTS):
            return
        yield from _llm_output_flow.llm_output_issues(ctx)
