"""Numbers and keyword sets that budget rules need beyond :meth:`ModuleContext.constant`.

:func:`number` folds ``10 ** 6``, ``1_000 * 1_000``, ``float("inf")``, ``math.inf`` and
``sys.maxsize``; :func:`keyword` and :func:`keyword_names` look through ``**options``
when ``options`` is a dict literal (or ``dict(...)``) in the same module, so
``create(**params)`` is judged by what ``params`` holds and is unknown otherwise.
"""

from __future__ import annotations

import ast
import math
from typing import Final

from aiwarden.analyzers.code.context import UNKNOWN, ModuleContext, Unknown

__all__ = ["INFINITE", "dict_entries", "is_none", "keyword", "keyword_names", "number"]

INFINITE: Final = math.inf
_INFINITE_NAMES: Final = frozenset(
    {"math.inf", "numpy.inf", "numpy.Inf", "numpy.infty", "numpy.Infinity", "sys.maxsize"}
)
_MAX_DEPTH: Final = 8
_MAX_EXPONENT: Final = 400


def number(ctx: ModuleContext, expr: ast.expr | None, depth: int = 0) -> float | Unknown | None:
    """The numeric value of ``expr`` (``None`` for a literal ``None``), or ``UNKNOWN``."""
    if expr is None or depth > _MAX_DEPTH:
        return UNKNOWN
    value = ctx.constant(expr)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(expr, ast.BinOp):
        return _fold(expr.op, number(ctx, expr.left, depth + 1), number(ctx, expr.right, depth + 1))
    if isinstance(expr, ast.Call) and ctx.call_names(expr) & {"builtins.float", "builtins.int"}:
        text = ctx.constant(expr.args[0]) if len(expr.args) == 1 else UNKNOWN
        return _parse_number(text)
    if isinstance(expr, ast.Attribute | ast.Name) and ctx.qualnames(expr) & _INFINITE_NAMES:
        return INFINITE
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr)
        if bindings and len(bindings) == 1 and isinstance(bindings[0], ast.expr):
            return number(ctx, bindings[0], depth + 1)
    return UNKNOWN


def _parse_number(text: object) -> float | Unknown:
    if isinstance(text, str):
        try:
            return float(text.strip().replace("_", ""))
        except ValueError:
            return UNKNOWN
    return UNKNOWN


def _fold(op: ast.operator, left: object, right: object) -> float | Unknown:
    if not isinstance(left, float) or not isinstance(right, float):
        return UNKNOWN
    try:
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Pow):
            return INFINITE if right > _MAX_EXPONENT and left > 1 else float(left**right)
        if isinstance(op, ast.FloorDiv | ast.Div) and right:
            return left / right
    except (OverflowError, ZeroDivisionError, TypeError):
        return UNKNOWN
    return UNKNOWN


def is_none(ctx: ModuleContext, expr: ast.expr | None) -> bool:
    """True when ``expr`` is provably ``None``."""
    return expr is not None and ctx.constant(expr) is None


def dict_entries(
    ctx: ModuleContext, expr: ast.expr | None, depth: int = 0
) -> dict[str, ast.expr] | None:
    """The constant-keyed entries of a dict literal or ``dict(k=v)`` that ``expr`` holds.

    ``None`` when ``expr`` is not such a mapping or may hold other keys (``**x``, a
    computed key, a name bound more than once).
    """
    if expr is None or depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Name):
        bindings = ctx.bindings(expr)
        if bindings and len(bindings) == 1 and isinstance(bindings[0], ast.expr):
            return dict_entries(ctx, bindings[0], depth + 1)
        return None
    if isinstance(expr, ast.Dict):
        entries: dict[str, ast.expr] = {}
        for key, value in zip(expr.keys, expr.values, strict=True):
            name = ctx.constant(key) if key is not None else UNKNOWN
            if not isinstance(name, str):
                return None
            entries[name] = value
        return entries
    if isinstance(expr, ast.Call) and "builtins.dict" in ctx.call_names(expr) and not expr.args:
        if ModuleContext.has_unpacked_kwargs(expr):
            return None
        return {k.arg: k.value for k in expr.keywords if k.arg is not None}
    return None


def keyword_names(ctx: ModuleContext, call: ast.Call) -> frozenset[str] | None:
    """Every keyword ``call`` passes, looking into ``**mapping`` (``None``: unknowable)."""
    names = {k.arg for k in call.keywords if k.arg is not None}
    for unpacked in (k.value for k in call.keywords if k.arg is None):
        entries = dict_entries(ctx, unpacked)
        if entries is None:
            return None
        names.update(entries)
    return frozenset(names)


def keyword(ctx: ModuleContext, call: ast.Call, name: str) -> ast.expr | None:
    """The value passed as keyword ``name``, directly or through a ``**`` dict literal."""
    direct = ModuleContext.argument(call, name)
    if direct is not None:
        return direct
    for unpacked in (k.value for k in call.keywords if k.arg is None):
        entries = dict_entries(ctx, unpacked)
        if entries is not None and name in entries:
            return entries[name]
    return None
