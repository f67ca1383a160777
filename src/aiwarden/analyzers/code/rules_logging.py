"""AIW-PY021: prompts, completions or credentials written to logs or standard output.

A log call is ``logging.<level>(...)``, a method of ``logging.getLogger()``, loguru's
``logger`` or structlog, a ``.debug``/``.info``/... method on a receiver named like a
logger (``self.logger``, ``log``, ``app.logger``), or ``print`` for credentials. Its
message and arguments are classified by :mod:`._sensitive_values` (through
:mod:`._logged_values`, loaded at the first log call). Credentials are
reported at medium severity (CWE-532); prompts and completions, in log calls only (printing
model output is how command-line tools and notebooks show it), at low severity, with low
confidence at ``debug`` (which production usually does not emit).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.code._llm_calls import attribute_chain
from aiwarden.analyzers.code._rulekit import regex
from aiwarden.analyzers.code._rules_meta import (
    SENSITIVE_LOGGING,
)
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.code import _logged_values
else:  # the sensitive-value tables load with the first log call
    _logged_values = lazy_import("aiwarden.analyzers.code._logged_values", before_fork=False)

__all__ = ["SENSITIVE_LOGGING", "LoggingChecker"]


_LEVELS: Final = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
     "trace", "success", "msg"}
)  # fmt: skip
_LOGGER_ROOTS: Final = ("logging.", "loguru.", "structlog.")
_LOGGER_NAME: Final = r"(?i)^_*(?:\w*logger|log|logging|logs|console_log)$"


class LoggingChecker(Checker):
    """Reports log and print calls that write prompts, completions or credentials."""

    rules: ClassVar[tuple[Rule, ...]] = (SENSITIVE_LOGGING,)

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per log call that writes a sensitive value."""
        return self._issues(ctx)

    @staticmethod
    def _issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
        for call in ctx.calls():
            sink = _sink(ctx, call)
            if sink is None:
                continue
            issue = _logged_values.logged_issue(ctx, call, sink)
            if issue is not None:
                yield issue


def _sink(ctx: ModuleContext, call: ast.Call) -> str | None:
    """``"print"``, the log level, or ``None`` when ``call`` does not log."""
    names = ctx.call_names(call)
    if "builtins.print" in names:
        return "print"
    chain = attribute_chain(call.func)
    if len(chain) < 2 or chain[-1] not in _LEVELS:
        return None
    if any(name.startswith(_LOGGER_ROOTS) for name in names) or regex(_LOGGER_NAME).match(
        chain[-2]
    ):
        return chain[-1]
    return None
