"""Small matching helpers shared by the AI-library rule modules (``rules_*.py``).

Names come from :meth:`~aiwarden.analyzers.code.context.ModuleContext.qualnames`
(which also resolves ``with ... as`` targets and conventional module names); here
qualified names are matched by package family and final name, so historic module paths
(``langchain.tools.PythonREPLTool``,
``langchain_experimental.tools.python.tool.PythonREPLTool``) all match.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
from collections.abc import Iterable, Iterator
from typing import Final

from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext

_MAX_DEPTH: Final = 12
_MAX_NAMES: Final = 64
_BUILTINS: Final = frozenset(dir(builtins))


ALL_INTERFACES: Final = frozenset({"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*"})  # noqa: S104


@functools.cache
def regex(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, done once, the first time a rule needs it.

    The rule modules keep their patterns as strings: a module defines a dozen that most
    files never reach (a hub id, a logger name, a loop budget), and compiling them all
    when the Python analyzer loads cost more than checking a small file.
    """
    return re.compile(pattern)


def split(qualname: str) -> tuple[str, str]:
    """``("torch", "load")`` for ``"torch.serialization.load"`` (root package, last name)."""
    parts = qualname.split(".")
    return parts[0], parts[-1]


def family_match(
    qualnames: Iterable[str], roots: frozenset[str], last: frozenset[str]
) -> str | None:
    """The first name whose root package is in ``roots`` and last part in ``last``."""
    for qualname in sorted(qualnames):
        root, tail = split(qualname)
        if root in roots and tail in last:
            return qualname
    return None


def imported_roots(ctx: ModuleContext) -> frozenset[str]:
    """The top-level packages the module imports (absolute imports only)."""
    roots: set[str] = set()
    for node in ctx.nodes(ast.Import):
        roots.update(alias.name.split(".", 1)[0] for alias in node.names)
    for source in ctx.nodes(ast.ImportFrom):
        if source.level == 0 and source.module:
            roots.add(source.module.split(".", 1)[0])
    return frozenset(roots)


def imports_module(ctx: ModuleContext, *modules: str) -> bool:
    """True when the module imports any of ``modules`` (or a submodule)."""
    for node in ctx.nodes(ast.Import):
        if any(a.name.split(".", 1)[0] in modules for a in node.names):
            return True
    return any(
        (node.module or "").split(".", 1)[0] in modules and not node.level
        for node in ctx.nodes(ast.ImportFrom)
    )


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value passed as keyword ``name`` (not through ``**``)."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def constant_str(ctx: ModuleContext, expr: ast.expr | None) -> str | None:
    """The constant string value of ``expr``, or ``None``."""
    value = ctx.constant(expr)
    return value if isinstance(value, str) else None


def truth(ctx: ModuleContext, expr: ast.expr | None) -> bool | None:
    """``True``/``False`` when ``expr`` is provably truthy/falsy, ``None`` when unknown."""
    if expr is None:
        return None
    value = ctx.constant(expr)
    if value is UNKNOWN:
        return None
    return bool(value)


def identifier_text(expr: ast.expr) -> str:
    """The dotted identifiers of ``expr`` (``args.model_dir`` -> ``"args.model_dir"``)."""
    parts: list[str] = []
    node: ast.expr = expr
    for _ in range(_MAX_DEPTH):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                parts.append(key.value)
            node = node.value
        else:
            break
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def dict_items(expr: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The constant-keyed items of a dict display or a ``dict(key=value)`` call."""
    if isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict":
        for kw in expr.keywords:
            if kw.arg is not None:
                yield kw.arg, kw.value


def expr_bindings(ctx: ModuleContext, expr: ast.expr) -> list[ast.expr]:
    """``expr`` itself, or the expressions a name is assigned (one level)."""
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr)
        if bindings:
            return [b for b in bindings if isinstance(b, ast.expr)]
    return [expr]


def unpacked_may_set(ctx: ModuleContext, call: ast.Call, name: str) -> bool:
    """True when a ``**mapping`` of ``call`` may set keyword ``name``.

    A mapping that is a dict display or ``dict(...)`` call (directly or through a
    name) without that key cannot; anything else (a parameter, ``**kwargs``) may.
    """
    for kw in call.keywords:
        if kw.arg is not None:
            continue
        candidates = expr_bindings(ctx, kw.value)
        if not candidates:
            return True
        for candidate in candidates:
            if not isinstance(candidate, ast.Dict | ast.Call):
                return True
            keys = {k for k, _ in dict_items(candidate)}
            if name in keys or _has_opaque_keys(candidate):
                return True
    return False


def _has_opaque_keys(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Dict):
        return any(
            not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in expr.keys
        )
    if isinstance(expr, ast.Call):
        is_dict = isinstance(expr.func, ast.Name) and expr.func.id == "dict"
        return not is_dict or bool(expr.args) or any(k.arg is None for k in expr.keywords)
    return True


def short(ctx: ModuleContext, node: ast.AST, limit: int = 60) -> str:
    """The normalised source of ``node`` cut to ``limit`` characters, for messages."""
    text = ctx.normalised(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Label:
    """The short source of a node, computed only when a message is built."""

    __slots__ = ("_ctx", "_limit", "_node", "_quote")

    def __init__(self, ctx: ModuleContext, node: ast.AST, limit: int = 50, quote: bool = False):
        self._ctx = ctx
        self._node = node
        self._limit = limit
        self._quote = quote

    def __str__(self) -> str:
        text = short(self._ctx, self._node, self._limit)
        return f"`{text}`" if self._quote else text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
