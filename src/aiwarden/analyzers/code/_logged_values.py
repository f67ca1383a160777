"""The sensitive-value half of AIW-PY021: what a log or print call writes, and the issue.

Loaded by :mod:`.rules_logging` only once a module holds a log or print call, so a file
without one never imports :mod:`._sensitive_values` (its word tables and patterns).
"""

from __future__ import annotations

import ast
from typing import Final

from aiwarden.analyzers.code._rules_meta import SENSITIVE_LOGGING
from aiwarden.analyzers.code._sensitive_values import Kind, Sensitive, classify
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence, Severity

_SKIPPED_KEYWORDS: Final = frozenset(
    {"exc_info", "stack_info", "stacklevel", "file", "flush", "sep"}
)


def logged_issue(ctx: ModuleContext, call: ast.Call, sink: str) -> CodeIssue | None:
    """The issue for log call ``call`` at level ``sink`` (``"print"`` for ``print``), if any."""
    found = _strongest(ctx, _logged_arguments(call, sink))
    if found is None or (sink == "print" and found.kind is not Kind.KEY):
        return None  # printing model output is how CLIs and notebooks show it
    return _issue(ctx, call, sink, found)


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
