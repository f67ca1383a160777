"""ML and LLM framework rules: Keras loading, dangerous opt-ins, code-execution tools, Jinja.

``AIW-PY005`` unsafe Keras/TensorFlow model loading, ``AIW-PY006`` LangChain-style
``allow_dangerous_*`` opt-ins, ``AIW-PY007`` code-execution tools handed to an LLM,
and ``AIW-PY012`` unsandboxed Jinja rendering of chat templates from model metadata.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import ClassVar, Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code._agent_tools import agent_tool, docker_disabled
from aiwarden.analyzers.code._jinja_sources import unsandboxed_template
from aiwarden.analyzers.code._netsource import network_source
from aiwarden.analyzers.code._rules_meta import (
    CODE_TOOL,
    DANGEROUS_OPT_IN,
    KERAS_LOAD,
    UNSANDBOXED_TEMPLATE,
)
from aiwarden.analyzers.code.checker import Checker
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

__all__ = [
    "CODE_TOOL",
    "DANGEROUS_OPT_IN",
    "KERAS_LOAD",
    "UNSANDBOXED_TEMPLATE",
    "FrameworkChecker",
]


_KERAS: Final = frozenset({"keras", "tensorflow", "tf_keras"})
_LEGACY_SUFFIXES: Final = (".h5", ".hdf5")
_DANGEROUS_PREFIX: Final = "allow_dangerous_"


class FrameworkChecker(Checker):
    """Reports AIW-PY005, AIW-PY006, AIW-PY007 and AIW-PY012."""

    rules: ClassVar[tuple[Rule, ...]] = (
        KERAS_LOAD,
        DANGEROUS_OPT_IN,
        CODE_TOOL,
        UNSANDBOXED_TEMPLATE,
    )

    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield one issue per offending call (and per flagged dict literal)."""
        for call in ctx.calls():
            yield from _call_issues(ctx, call)
        yield from _dict_issues(ctx)


def _call_issues(ctx: ModuleContext, call: ast.Call) -> Iterator[CodeIssue]:
    keras = _keras_issue(ctx, call)
    if keras is not None:
        yield keras
    opt_in = _opt_in(ctx, call, call.keywords)
    if opt_in is not None:
        yield opt_in
    tool = agent_tool(ctx, call)
    if tool is not None:
        message, severity, confidence = tool
        yield ctx.issue(CODE_TOOL, call, message, severity=severity, confidence=confidence)
    template = unsandboxed_template(ctx, call)
    if template is not None:
        source, confidence = template
        yield ctx.issue(
            UNSANDBOXED_TEMPLATE,
            call,
            f"`{kit.short(ctx, call.func, 50)}` compiles `{kit.short(ctx, source, 50)}`, a "
            "template from model metadata, without a Jinja sandbox.",
            confidence=confidence,
        )


def _keras_issue(ctx: ModuleContext, call: ast.Call) -> CodeIssue | None:
    names = [n for n in ctx.call_names(call) if kit.split(n)[0] in _KERAS]
    if not names:
        return None
    label = kit.short(ctx, call.func, 50)
    if any(kit.split(n)[1] == "enable_unsafe_deserialization" for n in names):
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}()` turns off Keras safe mode for every later load in this process.",
        )
    is_load = any(kit.split(n)[1] == "load_model" for n in names)
    safe_mode = ctx.argument(call, "safe_mode", 3 if is_load else None)
    if safe_mode is not None and not ctx.is_true(safe_mode):
        known = ctx.is_false(safe_mode)
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` is called with `safe_mode={kit.short(ctx, safe_mode, 30)}`: "
            "Lambda layers in the file can run arbitrary code.",
            confidence=Confidence.HIGH if known else Confidence.MEDIUM,
        )
    if is_load and safe_mode is None:
        unsafe = _unsafe_switch(ctx)
        if unsafe is not None and unsafe < call.lineno:
            return ctx.issue(
                KERAS_LOAD,
                call,
                f"`{label}` runs after `enable_unsafe_deserialization()` (line {unsafe}) turned "
                "safe mode off: Lambda layers in the file can run arbitrary code.",
            )
    argument = ctx.argument(call, "filepath", 0) if is_load else None
    origin = network_source(ctx, argument) if argument is not None else None
    if origin is not None:
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` loads a model whose path comes from {origin}: the client chooses "
            "which file is deserialized.",
        )
    path = kit.constant_str(ctx, argument)
    if path is not None and path.lower().endswith(_LEGACY_SUFFIXES):
        return ctx.issue(
            KERAS_LOAD,
            call,
            f"`{label}` loads the legacy HDF5 model `{path[-60:]}`, whose Lambda layers "
            "carry marshalled bytecode; re-save it as .keras.",
            severity=Severity.MEDIUM,
        )
    return None


def _unsafe_switch(ctx: ModuleContext) -> int | None:
    """The line of the module's first ``enable_unsafe_deserialization()`` call, if any."""
    for call in ctx.calls():
        names = ctx.call_names(call)
        if any(
            kit.split(n)[0] in _KERAS and n.endswith(".enable_unsafe_deserialization")
            for n in names
        ):
            return call.lineno
    return None


def _opt_in(ctx: ModuleContext, node: ast.AST, keywords: list[ast.keyword]) -> CodeIssue | None:
    return _opt_in_items(ctx, node, [(kw.arg, kw.value) for kw in keywords if kw.arg is not None])


def _opt_in_items(
    ctx: ModuleContext, node: ast.AST, items: list[tuple[str, ast.expr]]
) -> CodeIssue | None:
    enabled: list[str] = []
    maybe: list[str] = []
    for name, value in items:
        if not name.startswith(_DANGEROUS_PREFIX):
            continue
        truth = kit.truth(ctx, value)
        if truth is True:
            enabled.append(name)
        elif truth is None:
            maybe.append(name)
    if not enabled and not maybe:
        return None
    flags = ", ".join(f"`{n}`" for n in (enabled or maybe))
    state = "enabled" if enabled else "set from a value that is not provably False"
    return ctx.issue(
        DANGEROUS_OPT_IN,
        node,
        f"{flags} {state}: the library's protection against untrusted input is off.",
        confidence=Confidence.HIGH if enabled else Confidence.MEDIUM,
    )


def _dict_issues(ctx: ModuleContext) -> Iterator[CodeIssue]:
    for mapping in ctx.nodes(ast.Dict):
        issue = _opt_in_items(ctx, mapping, list(kit.dict_items(mapping)))
        if issue is not None:
            yield issue
        if docker_disabled(ctx, mapping):
            yield ctx.issue(
                CODE_TOOL,
                mapping,
                "AutoGen `code_execution_config` with `use_docker=False` runs model-written "
                "code directly on the host.",
            )
