"""Which YAML loads can construct arbitrary Python objects (for ``AIW-PY022``).

:func:`yaml_problem` classifies PyYAML and ruamel.yaml calls: ``yaml.load`` and
``load_all`` by their ``Loader`` (keyword or second positional argument, resolved
through imports, ``try``/``except`` import fallbacks, ``getattr(yaml, "CSafeLoader",
yaml.SafeLoader)`` and local subclasses), ``unsafe_load``, ``full_load`` and
ruamel's ``YAML(typ="unsafe")``.
"""

from __future__ import annotations

import ast
import enum
from typing import Final

from aiwarden.analyzers.code import _rulekit as kit
from aiwarden.analyzers.code._scopes import Opaque
from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.core.severity import Confidence, Severity

_MAX_DEPTH: Final = 6
_YAML_MODULES: Final = frozenset({"yaml", "ruamel.yaml", "ruamel.yaml.main"})
_SAFE: Final = frozenset(
    {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "RoundTripLoader"}
)
_UNSAFE: Final = frozenset({"Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader"})
_FULL: Final = frozenset({"FullLoader", "CFullLoader"})

Problem = tuple[str, Severity | None, Confidence]


class Kind(enum.IntEnum):
    """How dangerous a loader is (ordered: the worst wins)."""

    SAFE = 0
    UNKNOWN = 1
    FULL = 2
    UNSAFE = 3


def yaml_problem(ctx: ModuleContext, call: ast.Call, names: frozenset[str]) -> Problem | None:
    """The message, severity override and confidence for an unsafe YAML load, or ``None``."""
    for qualname in sorted(names):
        module, _, last = qualname.rpartition(".")
        if module not in _YAML_MODULES:
            continue
        if last in {"unsafe_load", "unsafe_load_all"}:
            return (f"`{qualname}` constructs arbitrary Python objects.", None, Confidence.HIGH)
        if last in {"full_load", "full_load_all"}:
            return (
                f"`{qualname}` uses FullLoader, which had code-execution bypasses before "
                "PyYAML 5.4; prefer safe_load.",
                Severity.LOW,
                Confidence.HIGH,
            )
        if last in {"load", "load_all"}:
            return _load_problem(ctx, call, qualname)
        if last == "YAML":
            return _ruamel_problem(ctx, call)
    return None


def _load_problem(ctx: ModuleContext, call: ast.Call, qualname: str) -> Problem | None:
    loader = ctx.argument(call, "Loader", 1)
    if loader is None:
        if kit.unpacked_may_set(ctx, call, "Loader"):
            return None
        return (
            f"`{qualname}` without a `Loader`: unsafe on PyYAML before 5.1 (and an error "
            "on 6.x); use safe_load or Loader=SafeLoader.",
            None,
            Confidence.HIGH,
        )
    kind = classify(ctx, loader, 0)
    text = kit.short(ctx, loader)
    if kind is Kind.SAFE:
        return None
    if kind is Kind.UNSAFE:
        return (
            f"`{qualname}` with `{text}` constructs arbitrary Python objects.",
            None,
            Confidence.HIGH,
        )
    if kind is Kind.FULL:
        return (
            f"`{qualname}` with `{text}` (FullLoader) had code-execution bypasses before "
            "PyYAML 5.4; prefer SafeLoader.",
            Severity.LOW,
            Confidence.HIGH,
        )
    return (
        f"`{qualname}` with a Loader (`{text}`) that is not known to be safe.",
        None,
        Confidence.LOW,
    )


def _ruamel_problem(ctx: ModuleContext, call: ast.Call) -> Problem | None:
    typ = ctx.constant(kit.keyword(call, "typ"))
    values = typ if isinstance(typ, tuple) else (typ,)
    if "unsafe" in values:
        return (
            "ruamel.yaml `YAML(typ='unsafe')` constructs arbitrary Python objects.",
            None,
            Confidence.HIGH,
        )
    return None


def classify(ctx: ModuleContext, expr: ast.expr, depth: int) -> Kind:
    """How dangerous the loader ``expr`` is."""
    if depth > _MAX_DEPTH:
        return Kind.UNKNOWN
    if isinstance(expr, ast.Call) and "builtins.getattr" in ctx.call_names(expr):
        return _getattr_kind(ctx, expr, depth)
    kinds = [_tail_kind(kit.split(q)[1]) for q in ctx.qualnames(expr)]
    if isinstance(expr, ast.Name):
        kinds += _local_class_kinds(ctx, expr, depth)
    if kinds:
        return max(kinds)
    lowered = kit.identifier_text(expr).lower()
    return Kind.SAFE if "safe" in lowered or "base" in lowered else Kind.UNKNOWN


def _tail_kind(tail: str) -> Kind:
    if tail in _UNSAFE:
        return Kind.UNSAFE
    if tail in _FULL:
        return Kind.FULL
    if tail in _SAFE:
        return Kind.SAFE
    return Kind.SAFE if "Safe" in tail else Kind.UNKNOWN


def _getattr_kind(ctx: ModuleContext, call: ast.Call, depth: int) -> Kind:
    kinds: list[Kind] = []
    if len(call.args) >= 2:
        name = kit.constant_str(ctx, call.args[1])
        kinds.append(_tail_kind(name) if name is not None else Kind.UNKNOWN)
    if len(call.args) >= 3:
        kinds.append(classify(ctx, call.args[2], depth + 1))
    return max(kinds) if kinds else Kind.UNKNOWN


def _local_class_kinds(ctx: ModuleContext, name: ast.Name, depth: int) -> list[Kind]:
    kinds: list[Kind] = []
    for binding in ctx.bindings(name) or ():
        if isinstance(binding, Opaque) and isinstance(binding.node, ast.ClassDef):
            bases = binding.node.bases
            kinds.append(max((classify(ctx, b, depth + 1) for b in bases), default=Kind.UNKNOWN))
    return kinds
