"""Unbounded consumption: LLM calls without limits (AIW-PY011) and endless agent loops (AIW-PY018).

The detection lives in :mod:`._unbounded_calls` and :mod:`._agent_loops`, the rules'
metadata in :mod:`._rules_meta`; this module is the checker that runs both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from aiwarden.analyzers.code._agent_loops import agent_loop_issues
from aiwarden.analyzers.code._rules_meta import (
    UNBOUNDED_AGENT_LOOP,
    UNBOUNDED_LLM_CALL,
)
from aiwarden.analyzers.code._unbounded_calls import unbounded_call_issues
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

__all__ = ["UNBOUNDED_AGENT_LOOP", "UNBOUNDED_LLM_CALL", "ConsumptionChecker"]


class ConsumptionChecker(Checker):
    """Reports LLM calls and agent loops that have no budget (AIW-PY011, AIW-PY018)."""

    rules: ClassVar[tuple[Rule, ...]] = (UNBOUNDED_LLM_CALL, UNBOUNDED_AGENT_LOOP)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield the unbounded calls, clients and agent loops in ``ctx``'s module."""
        return self._issues(ctx)

    @staticmethod
    def _issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
        yield from unbounded_call_issues(ctx, UNBOUNDED_LLM_CALL)
        yield from agent_loop_issues(ctx, UNBOUNDED_AGENT_LOOP)
