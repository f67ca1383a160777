"""AIW-PY021: prompts, completions or credentials written to logs or standard output.

A log call is ``logging.<level>(...)``, a method of ``logging.getLogger()``, loguru's
``logger`` or structlog, a ``.debug``/``.info``/... method on a receiver named like a
logger (``self.logger``, ``log``, ``app.logger``), or ``print`` for credentials. Its
message and arguments are classified by :mod:`._sensitive_values`. Credentials are
reported at medium severity (CWE-532); prompts and completions, in log calls only (printing
model output is how command-line tools and notebooks show it), at low severity, with low
confidence at ``debug`` (which production usually does not emit).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code._llm_calls import attribute_chain
from aiwarden.analyzers.code._rules_meta import (
    SENSITIVE_LOGGING,
)
from aiwarden.analyzers.code._sensitive_values import Kind, Sensitive, classify
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

__all__ = ["SENSITIVE_LOGGING", "LoggingChecker"]


_LEVELS: Final = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
     "trace", "success", "msg"}
)  # fmt: skip
_LOGGER_ROOTS: Final = ("logging.", "loguru.", "structlog.")
_LOGGER_NAME: Final = re.compile(r"(?i)^_*(?:\w*logger|log|logging|logs|console_log)$")
_SKIPPED_KEYWORDS: Final = frozenset(
    {"exc_info", "stack_info", "stacklevel", "file", "flush", "sep"}
)


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
            found = _strongest(ctx, _logged_arguments(call, sink))
            if found is None or (sink == "print" and found.kind is not Kind.KEY):
                continue  # printing model output is how CLIs and notebooks show it
            yield _issue(ctx, call, sink, found)


def _sink(ctx: ModuleContext, call: ast.Call) -> str | None:
    """``"print"``, the log level, or ``None`` when ``call`` does not log."""
    names = ctx.call_names(call)
    if "builtins.print" in names:
        return "print"
    chain = attribute_chain(call.func)
    if len(chain) < 2 or chain[-1] not in _LEVELS:
        return None
    if any(name.startswith(_LOGGER_ROOTS) for name in names) or _LOGGER_NAME.match(chain[-2]):
        return chain[-1]
    return None


def _logged_arguments(call: ast.Call, sink: str) -> list[ast.expr]:
    args = list(call.args[1:] if sink == "log" else call.args)
    args += [k.value for k in call.keywords if k.arg not in _SKIPPED_KEYWORDS]
    return args


def _strongest(ctx: ModuleContext, args: list[ast.expr]) -> Sensitive | None:
    found = [s for arg in args if (s := classify(ctx, arg)) is not None]
    order = (Kind.KEY, Kind.COMPLETION, Kind.PROMPT)
    return min(found, key=lambda s: order.index(s.kind)) if found else None


def _issue(ctx: ModuleContext, call: ast.Call, sink: str, found: Sensitive) -> CodeIssue:
    where = {"print": "printed", "log": "logged"}.get(sink, f"logged at `{sink}`")
    if found.kind is Kind.KEY:
        return ctx.issue(
            SENSITIVE_LOGGING,
            call,
            f"A credential (`{found.name}`) is {where}: anyone who can read the logs can use it.",
            key=f"{sink}: key {found.name}",
            severity=Severity.MEDIUM,
            related=(ctx.span(found.node, "credential"),),
        )
    weak = sink in {"print", "debug", "trace"}
    confidence = Confidence.LOW if weak else Confidence.HIGH if found.derived else Confidence.MEDIUM
    return ctx.issue(
        SENSITIVE_LOGGING,
        call,
        f"{_article(found.kind)} {found.kind.value} (`{found.name}`) is {where}: prompts and "
        "model output often carry personal data, documents and system prompts.",
        key=f"{sink}: {found.kind.name.lower()} {found.name}",
        confidence=confidence,
        related=(ctx.span(found.node, found.kind.value),),
    )


def _article(kind: Kind) -> str:
    return "An" if kind is Kind.COMPLETION else "A"
