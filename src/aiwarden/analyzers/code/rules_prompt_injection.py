"""AIW-PY009: untrusted request data formatted into the system (or developer) prompt.

Sources are web request data (:mod:`._input_sources`); sinks are the system-role
positions of chat messages and LLM calls (:mod:`._prompt_sinks`). Request data in the
*user* role is the normal use of a chat API and is never reported.

The analysis lives in :mod:`._prompt_flow`, imported only for a module that passes
the two text tests of :meth:`SystemPromptChecker.check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.code._rulekit import imports_module
from aiwarden.analyzers.code._rules_meta import REQUEST_DATA_IN_SYSTEM_PROMPT
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.code import _prompt_flow
else:  # the taint engine loads with the first module that passes both text tests
    _prompt_flow = lazy_import("aiwarden.analyzers.code._prompt_flow", before_fork=False)

WEB_FRAMEWORKS = ("fastapi", "flask", "starlette", "django", "rest_framework", "quart", "sanic")


class SystemPromptChecker(Checker):
    """Reports request data placed in a system prompt (AIW-PY009)."""

    rules: ClassVar[tuple[Rule, ...]] = (REQUEST_DATA_IN_SYSTEM_PROMPT,)

    def check(self, ctx: ModuleContext) -> Iterator[CodeIssue]:
        """Yield one issue per system-prompt position filled with request data."""
        if not imports_module(ctx, *WEB_FRAMEWORKS) and "request" not in ctx.source:
            return
        if not any(word in ctx.source for word in ("system", "developer", "instructions")):
            return
        yield from _prompt_flow.system_prompt_issues(ctx, imports_module(ctx, *WEB_FRAMEWORKS))
