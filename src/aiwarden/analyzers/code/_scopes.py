"""Scopes and bindings of a parsed module: which names each function or module defines.

The analysis is flow-insensitive inside a scope: every binding of a name in a
function (assignment, import, parameter, ``for`` target, ``def``...) is recorded, and
a name resolves to a value only when all of its bindings agree. That is enough for
``import torch as t``, ``from torch import load``, ``loader = pickle.loads`` and
``flag = True; f(trust_remote_code=flag)``, and never guesses when a name is rebound.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef


class Imported(NamedTuple):
    """A binding made by an import: the fully qualified name it refers to."""

    qualname: str


class Opaque(NamedTuple):
    """A binding whose value is not a plain expression (a parameter, a loop target...)."""

    kind: str
    node: ast.AST | None = None


Binding = ast.expr | Imported | Opaque


class Scope:
    """A module, function, lambda or class body and the names it binds.

    A plain slotted class: one is made per scope node, so identity is its equality.
    """

    __slots__ = ("bindings", "globals", "node", "parent")

    def __init__(self, node: ScopeNode, parent: Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.globals: set[str] = set()

    @property
    def is_function(self) -> bool:
        """True for functions and lambdas (their names are local variables)."""
        return isinstance(self.node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)

    def bind(self, name: str, value: Binding) -> None:
        """Record one binding of ``name`` in this scope."""
        self.bindings.setdefault(name, []).append(value)

    def lookup(self, name: str) -> list[Binding] | None:
        """The bindings ``name`` resolves to from here, following Python's scope rules.

        Class bodies are skipped by the functions nested in them; ``None`` means the
        name is bound nowhere in the module (a builtin, or a name from ``*`` imports).
        """
        scope: Scope | None = self
        first = True
        while scope is not None:
            skip = not first and isinstance(scope.node, ast.ClassDef)
            if not skip and name in scope.bindings and name not in scope.globals:
                return scope.bindings[name]
            first = False
            scope = scope.parent
        return None


class ScopeBuilder(ast.NodeVisitor):
    """Walks a module once, building its scopes and remembering the scope of every node."""

    def __init__(self, module: ast.Module) -> None:
        self.root = Scope(module, None)
        self.scope_of: dict[ast.AST, Scope] = {}
        self.by_type: dict[type[ast.AST], list[ast.AST]] = {}
        self.scopes: list[Scope] = [self.root]
        self._current = self.root
        for statement in module.body:
            self.visit(statement)

    # -- traversal ---------------------------------------------------------------

    def visit(self, node: ast.AST) -> None:
        """Record the current scope and the type of ``node``, then visit it."""
        self.scope_of[node] = self._current
        self.by_type.setdefault(type(node), []).append(node)
        super().visit(node)

    def _enter(self, node: ScopeNode, body: list[ast.AST]) -> None:
        scope = Scope(node, self._current)
        self.scopes.append(scope)
        outer, self._current = self._current, scope
        for child in body:
            self.visit(child)
        self._current = outer

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._current.bind(node.name, Opaque("def", node))
        for expr in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if expr is not None:
                self.visit(expr)
        if node.returns is not None:
            self.visit(node.returns)
        self._enter(node, [*_parameters(node.args), *node.body])

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        """A lambda is a scope of its own."""
        for expr in [*node.args.defaults, *node.args.kw_defaults]:
            if expr is not None:
                self.visit(expr)
        self._enter(node, [*_parameters(node.args), node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """A class body is a scope; its name is bound in the enclosing one."""
        self._current.bind(node.name, Opaque("class", node))
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self._enter(node, list(node.body))

    def visit_arg(self, node: ast.arg) -> None:
        """A parameter binds its name to an unknown value."""
        self._current.bind(node.arg, Opaque("parameter", node))
        if node.annotation is not None:
            self.visit(node.annotation)

    # -- bindings ----------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        """``import a.b`` binds ``a``; ``import a.b as c`` binds ``c`` to ``a.b``."""
        for alias in node.names:
            if alias.asname:
                self._current.bind(alias.asname, Imported(alias.name))
            else:
                head = alias.name.split(".", 1)[0]
                self._current.bind(head, Imported(head))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """``from a import b as c`` binds ``c`` to ``a.b`` (relative imports stay relative)."""
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{module}.{alias.name}" if node.module else module + alias.name
            self._current.bind(alias.asname or alias.name, Imported(target))

    def visit_Global(self, node: ast.Global) -> None:
        """``global x`` makes ``x`` resolve in the module scope."""
        self._current.globals.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        """``x = value`` binds ``x`` to ``value``; unpacking binds opaque values."""
        self.generic_visit(node)
        for target in node.targets:
            self._bind_target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """``x: T = value`` binds like an assignment (a bare annotation binds nothing)."""
        self.generic_visit(node)
        if node.value is not None:
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """``x += value`` rebinds ``x`` to something unknown."""
        self.generic_visit(node)
        self._bind_target(node.target, None, "augmented")

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """``(x := value)`` binds ``x`` (in the enclosing function, like Python)."""
        self.generic_visit(node)
        self._bind_target(node.target, node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        """A loop target is bound to an unknown element."""
        self.generic_visit(node)
        self._bind_target(node.target, None, "loop")

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        """Comprehension targets are treated as names of the enclosing scope."""
        self.generic_visit(node)
        self._bind_target(node.target, None, "loop")

    def visit_withitem(self, node: ast.withitem) -> None:
        """``with f() as x`` binds ``x`` to what ``__enter__`` returns (unknown)."""
        self.generic_visit(node)
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars, None, "with", node.context_expr)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        """``except E as e`` binds ``e``."""
        self.generic_visit(node)
        if node.name:
            self._current.bind(node.name, Opaque("except", node))

    def _bind_target(
        self,
        target: ast.expr,
        value: ast.expr | None,
        kind: str = "unpack",
        origin: ast.AST | None = None,
    ) -> None:
        if isinstance(target, ast.Name):
            self._current.bind(target.id, value if value is not None else Opaque(kind, origin))
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._bind_target(element, None, kind, value or origin)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None, kind, value or origin)


def _parameters(arguments: ast.arguments) -> Iterator[ast.arg]:
    """Every parameter of a signature (defaults are visited in the enclosing scope)."""
    yield from arguments.posonlyargs
    yield from arguments.args
    if arguments.vararg is not None:
        yield arguments.vararg
    yield from arguments.kwonlyargs
    if arguments.kwarg is not None:
        yield arguments.kwarg
