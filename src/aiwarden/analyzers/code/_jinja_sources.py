"""Unsandboxed Jinja rendering of templates that come from model metadata (``AIW-PY012``).

:func:`unsandboxed_template` finds ``jinja2.Template(src)`` and
``Environment(...).from_string(src)`` (never the ``jinja2.sandbox`` environments)
whose ``src`` mentions a chat template: ``tokenizer.chat_template``, the GGUF key
``"tokenizer.chat_template"``, a variable assigned from one, a call of a function of the
same module that reads one, or ``self.template`` set from one in the same class. A
template variable inside a function or class whose name is about chat formatting
(llama-cpp-python's ``Jinja2ChatFormatter``, the CVE-2024-34359 pattern) is reported
with medium confidence.
"""

from __future__ import annotations

import ast
from typing import Final

from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence

_MAX_DEPTH: Final = 4
_TEMPLATE_CLASSES: Final = frozenset({"jinja2.Template", "jinja2.environment.Template"})
_ENVIRONMENTS: Final = frozenset(
    {
        "jinja2.Environment()",
        "jinja2.environment.Environment()",
        "jinja2.nativetypes.NativeEnvironment()",
        "jinja2.Environment",
        "jinja2.environment.Environment",
    }
)
_MARKER: Final = "chat_template"


def unsandboxed_template(ctx: ModuleContext, call: ast.Call) -> tuple[ast.expr, Confidence] | None:
    """The template source and confidence when ``call`` compiles it without a sandbox."""
    source, known = _compiled_source(ctx, call)
    if source is None:
        return None
    if _mentions(ctx, source, 0):
        return source, Confidence.HIGH if known else Confidence.MEDIUM
    if _chat_context(ctx, call) and "template" in ctx.normalised(source).lower():
        return source, Confidence.MEDIUM
    return None


def _compiled_source(ctx: ModuleContext, call: ast.Call) -> tuple[ast.expr | None, bool]:
    names = ctx.call_names(call)
    if names & _TEMPLATE_CLASSES:
        return ctx.argument(call, "source", 0), True
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "from_string"):
        return None, False
    receiver = ctx.qualnames(func.value)
    if any("Sandbox" in n for n in receiver):
        return None, False
    source = ctx.argument(call, "source", 0)
    if receiver & _ENVIRONMENTS:
        return source, True
    if not receiver and _module_uses_plain_environment(ctx):
        return source, False
    return None, False


def _module_uses_plain_environment(ctx: ModuleContext) -> bool:
    plain = sandboxed = False
    for call in ctx.calls():
        for name in ctx.call_names(call):
            if name.startswith("jinja2.") and "Sandbox" in name:
                sandboxed = True
            elif f"{name}()" in _ENVIRONMENTS:
                plain = True
    return plain and not sandboxed


def _mentions(ctx: ModuleContext, expr: ast.expr, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    for node in ast.walk(expr):
        if _marked(node):
            return True
        if isinstance(node, ast.Name):
            bound = [b for b in ctx.bindings(node) or () if isinstance(b, ast.expr)]
            if any(_mentions(ctx, b, depth + 1) for b in bound if not _reads(b, node.id)):
                return True
        if isinstance(node, ast.Call) and _local_function_mentions(ctx, node):
            return True
        if _is_self_attribute(node):
            assert isinstance(node, ast.Attribute)
            if any(_mentions(ctx, v, depth + 1) for v in _self_assignments(ctx, node.attr)):
                return True
    return False


def _local_function_mentions(ctx: ModuleContext, call: ast.Call) -> bool:
    """True for a call of a function defined in this module whose body reads a chat
    template (``read_template(path)`` returning GGUF ``tokenizer.chat_template``)."""
    if not isinstance(call.func, ast.Name):
        return False
    for binding in ctx.bindings(call.func) or ():
        node = binding.node if isinstance(binding, Opaque) and binding.kind == "def" else None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            _marked(inner) for inner in ast.walk(node)
        ):
            return True
    return False


def _marked(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return _MARKER in node.id
    if isinstance(node, ast.Attribute):
        return _MARKER in node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _MARKER in node.value
    return False


def _is_self_attribute(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"self", "cls"}
    )


def _self_assignments(ctx: ModuleContext, attr: str) -> list[ast.expr]:
    values: list[ast.expr] = []
    for assign in ctx.nodes(ast.Assign):
        for target in assign.targets:
            if (
                isinstance(target, ast.Attribute)
                and _is_self_attribute(target)
                and target.attr == attr
                and not _is_self_attribute(assign.value)
            ):
                values.append(assign.value)
    return values


def _reads(expr: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(expr))


def _chat_context(ctx: ModuleContext, node: ast.AST) -> bool:
    scope = ctx.scope_of(node)
    for _ in range(_MAX_DEPTH * 4):
        name = getattr(scope.node, "name", "")
        if "chat" in name.lower():
            return True
        if scope.parent is None:
            return False
        scope = scope.parent
    return False
