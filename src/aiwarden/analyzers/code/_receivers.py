"""What object a receiver expression may be, a little further than ``ModuleContext.qualnames``.

:class:`Resolver` names an expression like :meth:`ModuleContext.qualnames` does
(``openai.OpenAI().chat.completions.create``) and also follows what a taint rule needs
to know about receivers in real application code:

- ``self.client`` inside a class, through every ``self.client = ...`` in its methods
  and ``client: OpenAI`` annotations in its body;
- parameters annotated with a class (``def f(llm: ChatOpenAI)`` is ``ChatOpenAI()``,
  ``Optional[X]`` and ``X | None`` included);
- ``with OpenAI() as client`` (the object entered, as for every client class);
- LangChain pipelines: ``prompt | llm | parser`` may be any of its parts;
- ``Path(a) / b`` is still a ``Path``.
"""

from __future__ import annotations

import ast
from typing import Final, NamedTuple

from aiwarden.analyzers.code._scopes import Imported, Opaque, Scope
from aiwarden.analyzers.code.context import ModuleContext

MAX_DEPTH: Final = 16
MAX_NAMES: Final = 24
_WRAPPERS: Final = frozenset({"Optional", "Annotated", "Union", "Final", "ClassVar"})
CONVENTIONAL_MODULES: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "os",
            "subprocess",
            "shutil",
            "sqlite3",
            "requests",
            "httpx",
            "urllib3",
            "openai",
            "anthropic",
            "litellm",
            "ollama",
            "jinja2",
            "flask",
            "streamlit",
            "transformers",
            "pathlib",
            "importlib",
            "runpy",
        ),
        "",
    ),
    "st": "streamlit",
    "pd": "pandas",
    "genai": "google.generativeai",
}
"""Names that mean a module when nothing in the source binds them (a notebook cell whose
imports are in another cell)."""


class Annotation(NamedTuple):
    """A class-body annotation without a value (``client: OpenAI``): an instance of it."""

    expr: ast.expr


class Resolver:
    """Qualified names of receivers, memoised per node."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._memo: dict[ast.AST, frozenset[str]] = {}
        self._class_attrs: dict[ast.ClassDef, dict[str, list[ast.expr | Annotation]]] = {}
        self._active: set[ast.AST] = set()

    def names(self, expr: ast.expr) -> frozenset[str]:
        """Every qualified name ``expr`` may have (empty when unknown)."""
        return self._names(expr, 0)

    def _names(self, expr: ast.expr, depth: int) -> frozenset[str]:
        if depth > MAX_DEPTH or expr in self._active:
            return frozenset()
        cached = self._memo.get(expr)
        if cached is not None:
            return cached
        self._active.add(expr)
        try:
            names = self._compute(expr, depth)
        finally:
            self._active.discard(expr)
        names = frozenset(sorted(names)[:MAX_NAMES])
        self._memo[expr] = names
        return names

    def _compute(self, expr: ast.expr, depth: int) -> frozenset[str]:
        if isinstance(expr, ast.Name):
            return self._name(expr, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, depth)
        if isinstance(expr, ast.Call):
            return frozenset(f"{n}()" for n in self._names(expr.func, depth + 1))
        if isinstance(expr, ast.Await):
            return self._names(expr.value, depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return self._names(expr.left, depth + 1) | self._names(expr.right, depth + 1)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self._names(expr.left, depth + 1)
            return frozenset(n for n in left if n.startswith("pathlib."))
        return frozenset()

    def _attribute(self, expr: ast.Attribute, depth: int) -> frozenset[str]:
        base = frozenset(f"{n}.{expr.attr}" for n in self._names(expr.value, depth + 1))
        if isinstance(expr.value, ast.Name) and expr.value.id in {"self", "cls"}:
            for value in self.class_attribute(expr, expr.attr):
                if isinstance(value, Annotation):
                    base |= self.annotation(value.expr, depth + 1)
                else:
                    base |= self._names(value, depth + 1)
        return base

    def _name(self, name: ast.Name, depth: int) -> frozenset[str]:
        bindings = self.ctx.bindings(name)
        if bindings is None:
            if name.id in CONVENTIONAL_MODULES:
                return frozenset({CONVENTIONAL_MODULES[name.id] or name.id})
            return self.ctx.qualnames(name)
        names: set[str] = set()
        for binding in bindings:
            if isinstance(binding, Imported):
                names.add(binding.qualname)
            elif isinstance(binding, ast.expr):
                names |= self._names(binding, depth + 1)
            elif binding.kind == "parameter":
                names |= self._parameter(binding, depth)
            elif binding.kind == "with" and isinstance(binding.node, ast.expr):
                names |= self._names(binding.node, depth + 1)
        return frozenset(names)

    def _parameter(self, binding: Opaque, depth: int) -> frozenset[str]:
        arg = binding.node
        if not isinstance(arg, ast.arg) or arg.annotation is None:
            return frozenset()
        return self.annotation(arg.annotation, depth)

    def annotation(self, annotation: ast.expr, depth: int = 0) -> frozenset[str]:
        """Instances named by a type annotation: ``OpenAI`` -> ``openai.OpenAI()``."""
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self.annotation(annotation.left, depth) | self.annotation(
                annotation.right, depth
            )
        if isinstance(annotation, ast.Subscript):
            head = annotation.value
            tail = head.attr if isinstance(head, ast.Attribute) else getattr(head, "id", "")
            if tail in _WRAPPERS:
                inner = annotation.slice
                parts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                out: frozenset[str] = frozenset()
                for part in parts[: 1 if tail == "Annotated" else None]:
                    out |= self.annotation(part, depth)
                return out
            return frozenset()
        if isinstance(annotation, ast.Name | ast.Attribute):
            return frozenset(f"{n}()" for n in self._names(annotation, depth + 1))
        return frozenset()

    def class_attribute(self, node: ast.AST, attr: str) -> list[ast.expr | Annotation]:
        """What ``self.<attr>`` is assigned in the class enclosing ``node``."""
        owner = enclosing_class(self.ctx, node)
        if owner is None:
            return []
        table = self._class_attrs.get(owner)
        if table is None:
            table = _collect_attributes(owner)
            self._class_attrs[owner] = table
        return table.get(attr, [])


def enclosing_class(ctx: ModuleContext, node: ast.AST) -> ast.ClassDef | None:
    """The class whose method holds ``node`` (``None`` outside a method)."""
    scope: Scope | None = ctx.scope_of(node)
    while scope is not None:
        if isinstance(scope.node, ast.ClassDef):
            return scope.node
        scope = scope.parent
    return None


def _collect_attributes(owner: ast.ClassDef) -> dict[str, list[ast.expr | Annotation]]:
    table: dict[str, list[ast.expr | Annotation]] = {}
    for statement in owner.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            value = statement.value
            table.setdefault(statement.target.id, []).append(
                value if value is not None else Annotation(statement.annotation)
            )
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    table.setdefault(target.id, []).append(statement.value)
    for node in ast.walk(owner):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    table.setdefault(target.attr, []).append(node.value)
    return table
