"""One parsed Python module and the questions every rule asks about it.

:class:`ModuleContext` resolves what a name or attribute chain refers to after
imports and simple assignments (:meth:`~ModuleContext.qualnames`), what constant an
expression holds (:meth:`~ModuleContext.constant`), and builds :class:`CodeIssue`
objects with evidence and a line-independent fingerprint key.

Qualified names use the import path of the callee: ``import torch as t; t.load(f)``
calls ``torch.load``; ``from pickle import loads as l; l(b)`` calls ``pickle.loads``;
a builtin is ``builtins.eval``. The result of a call is written with ``()``:
``client = openai.OpenAI(); client.chat.completions.create(...)`` calls
``openai.OpenAI().chat.completions.create``. Relative imports keep their dots
(``.utils.load``); ``with f() as x`` binds ``x`` to ``f()``; a conventional module name
bound nowhere (``np``, ``torch`` in a notebook cell) means that module. Answers are
memoised per node and cycles of assignments resolve to nothing, so the cost stays
linear in the size of the module. Nothing is imported or evaluated.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from typing import Final, TypeVar

from aiwarden.analyzers.code._scopes import Binding, Imported, Opaque, Scope, ScopeBuilder
from aiwarden.analyzers.code.issue import CodeIssue, CodeSpan
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

__all__ = ["UNKNOWN", "ModuleContext", "Unknown"]

_BUILTINS: Final = frozenset(dir(builtins))
_MAX_DEPTH: Final = 24
_MAX_NAMES: Final = 32
_MAX_EVIDENCE: Final = 160
_MAX_KEY: Final = 240

CONVENTIONAL_MODULES: Final[dict[str, str]] = {
    "torch": "torch",
    "pickle": "pickle",
    "cPickle": "cPickle",
    "dill": "dill",
    "cloudpickle": "cloudpickle",
    "joblib": "joblib",
    "yaml": "yaml",
    "np": "numpy",
    "numpy": "numpy",
    "pd": "pandas",
    "pandas": "pandas",
    "tf": "tensorflow",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "tarfile": "tarfile",
    "shutil": "shutil",
    "zmq": "zmq",
    "gr": "gradio",
    "gradio": "gradio",
    "st": "streamlit",
    "ray": "ray",
    "uvicorn": "uvicorn",
    "jinja2": "jinja2",
    "transformers": "transformers",
    "jsonpickle": "jsonpickle",
    "shelve": "shelve",
}
"""Names that mean a module when nothing in the module binds them (a notebook cell whose
imports live in another cell, a ``*`` import): ``torch.load`` is still ``torch.load``."""

NodeT = TypeVar("NodeT", bound=ast.AST)


class Unknown:
    """The value of an expression that is not a compile-time constant."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        """There is one :data:`UNKNOWN`."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; compare with `is UNKNOWN`")


UNKNOWN: Final = Unknown()


class ModuleContext:
    """A parsed module with its scopes, and helpers to resolve names and build issues."""

    def __init__(self, source: str, tree: ast.Module) -> None:
        self.source = source
        self.tree = tree
        self.lines = source.splitlines()
        self._scopes = ScopeBuilder(tree)
        self._names: dict[ast.expr, frozenset[str]] = {}
        self._resolving: set[ast.expr] = set()

    @classmethod
    def parse(cls, source: str, filename: str = "<source>") -> ModuleContext:
        """Parse ``source`` (raises ``SyntaxError``, ``ValueError`` or ``RecursionError``)."""
        return cls(source, ast.parse(source, filename=filename, type_comments=False))

    # -- nodes and scopes ---------------------------------------------------------

    def nodes(self, kind: type[NodeT]) -> list[NodeT]:
        """Every node of exactly type ``kind`` in source order (e.g. ``ast.Call``)."""
        return self._scopes.by_type.get(kind, [])  # type: ignore[return-value]

    def calls(self) -> list[ast.Call]:
        """Every call expression in the module."""
        return self.nodes(ast.Call)

    def functions(self) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
        """Every ``def`` and ``async def`` in the module."""
        yield from self.nodes(ast.FunctionDef)
        yield from self.nodes(ast.AsyncFunctionDef)

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope in which ``node`` is evaluated (the module for unknown nodes)."""
        return self._scopes.scope_of.get(node, self._scopes.root)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The nearest ``def`` whose body holds ``node`` (``None`` at module level)."""
        scope: Scope | None = self.scope_of(node)
        while scope is not None:
            if isinstance(scope.node, ast.FunctionDef | ast.AsyncFunctionDef):
                return scope.node
            scope = scope.parent
        return None

    def bindings(self, name: ast.Name) -> list[Binding] | None:
        """What ``name`` may be bound to at its use (``None``: not bound in this module)."""
        return self.scope_of(name).lookup(name.id)

    # -- names --------------------------------------------------------------------

    def qualnames(self, expr: ast.expr) -> frozenset[str]:
        """Every qualified name ``expr`` may refer to (empty when none is known).

        ``try: import cPickle as pickle / except ImportError: import pickle`` makes
        ``pickle.loads`` resolve to both ``cPickle.loads`` and ``pickle.loads``.
        """
        return self._qualnames(expr, 0)

    def qualname(self, expr: ast.expr) -> str | None:
        """The qualified name of ``expr`` when exactly one is possible."""
        names = self._qualnames(expr, 0)
        return next(iter(names)) if len(names) == 1 else None

    def call_names(self, call: ast.Call) -> frozenset[str]:
        """Every qualified name the callee of ``call`` may have."""
        return self._qualnames(call.func, 0)

    def _qualnames(self, expr: ast.expr, depth: int) -> frozenset[str]:
        """Memoised per node: every expression is resolved once per module, and a cycle
        of assignments (``a = b.x; b = a.y``) resolves to nothing instead of looping."""
        cached = self._names.get(expr)
        if cached is not None:
            return cached
        if depth > _MAX_DEPTH or expr in self._resolving:
            return frozenset()
        self._resolving.add(expr)
        try:
            names = self._resolve(expr, depth)
        finally:
            self._resolving.discard(expr)
        if len(names) > _MAX_NAMES:
            names = frozenset()  # a name rebound to that many things is simply unknown
        self._names[expr] = names
        return names

    def _resolve(self, expr: ast.expr, depth: int) -> frozenset[str]:
        if isinstance(expr, ast.Name):
            return self._name_qualnames(expr, depth)
        if isinstance(expr, ast.Attribute):
            return frozenset(
                f"{base}.{expr.attr}" for base in self._qualnames(expr.value, depth + 1)
            )
        if isinstance(expr, ast.Call):
            return frozenset(f"{base}()" for base in self._qualnames(expr.func, depth + 1))
        if isinstance(expr, ast.Await):
            return self._qualnames(expr.value, depth + 1)
        return frozenset()

    def _name_qualnames(self, name: ast.Name, depth: int) -> frozenset[str]:
        bindings = self.bindings(name)
        if bindings is None:
            if name.id in _BUILTINS:
                return frozenset({f"builtins.{name.id}"})
            module = CONVENTIONAL_MODULES.get(name.id)
            return frozenset({module}) if module is not None else frozenset()
        names: set[str] = set()
        for binding in bindings:
            if isinstance(binding, Imported):
                names.add(binding.qualname)
                continue
            # ``with tarfile.open(p) as tar``: ``tar`` is the context manager itself
            # (``__enter__`` returns ``self`` for files, archives, sessions and clients).
            origin = (
                binding.node if isinstance(binding, Opaque) and binding.kind == "with" else binding
            )
            if isinstance(origin, ast.expr) and not _refers_to(origin, name.id):
                names.update(self._qualnames(origin, depth + 1))
        return frozenset(names)

    # -- constants ----------------------------------------------------------------

    def constant(self, expr: ast.expr | None) -> object:
        """The compile-time value of ``expr``, or :data:`UNKNOWN`.

        Literals, names bound only to the same constant, ``not``/unary minus, tuples
        and lists of constants, ``+`` of strings or numbers and f-strings without
        placeholders, or whose placeholders are string constants, are folded; anything else
        is unknown.
        """
        if expr is None:
            return UNKNOWN
        return self._constant(expr, 0)

    def is_true(self, expr: ast.expr | None) -> bool:
        """True when ``expr`` is provably truthy (``True``, ``1``, ``"yes"``...)."""
        value = self.constant(expr)
        return value is not UNKNOWN and bool(value)

    def is_false(self, expr: ast.expr | None) -> bool:
        """True when ``expr`` is provably falsy (``False``, ``None``, ``0``, ``""``...)."""
        value = self.constant(expr)
        return value is not UNKNOWN and not bool(value)

    def _constant(self, expr: ast.expr, depth: int) -> object:
        if depth > _MAX_DEPTH:
            return UNKNOWN
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Name):
            return self._name_constant(expr, depth)
        if isinstance(expr, ast.UnaryOp):
            return _fold_unary(expr.op, self._constant(expr.operand, depth + 1))
        if isinstance(expr, ast.Tuple | ast.List):
            values = tuple(self._constant(e, depth + 1) for e in expr.elts)
            return UNKNOWN if any(v is UNKNOWN for v in values) else values
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return _fold_add(
                self._constant(expr.left, depth + 1), self._constant(expr.right, depth + 1)
            )
        if isinstance(expr, ast.FormattedValue):
            plain = expr.conversion == -1 and expr.format_spec is None
            value = self._constant(expr.value, depth + 1) if plain else UNKNOWN
            return value if isinstance(value, str) else UNKNOWN
        if isinstance(expr, ast.JoinedStr):
            parts = [self._constant(v, depth + 1) for v in expr.values]
            return "".join(parts) if all(isinstance(p, str) for p in parts) else UNKNOWN  # type: ignore[arg-type]
        return UNKNOWN

    def _name_constant(self, name: ast.Name, depth: int) -> object:
        bindings = self.bindings(name)
        if not bindings:
            return UNKNOWN
        values = []
        for binding in bindings:
            if not isinstance(binding, ast.expr) or _refers_to(binding, name.id):
                return UNKNOWN
            values.append(self._constant(binding, depth + 1))
        first = values[0]
        if first is UNKNOWN or any(
            v is UNKNOWN or type(v) is not type(first) or v != first for v in values
        ):
            return UNKNOWN
        return first

    # -- call arguments -----------------------------------------------------------

    @staticmethod
    def argument(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
        """The expression passed as keyword ``name``, or at ``position`` (0-based)."""
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        if position is not None and position < len(call.args):
            candidate = call.args[position]
            if not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return candidate
        return None

    @staticmethod
    def has_unpacked_kwargs(call: ast.Call) -> bool:
        """True when ``call`` passes ``**mapping`` (which may set any keyword)."""
        return any(keyword.arg is None for keyword in call.keywords)

    # -- issues -------------------------------------------------------------------

    def issue(
        self,
        rule: Rule,
        node: ast.AST,
        message: str,
        *,
        key: str | None = None,
        severity: Severity | None = None,
        confidence: Confidence = Confidence.HIGH,
        related: tuple[CodeSpan, ...] = (),
    ) -> CodeIssue:
        """A :class:`CodeIssue` at ``node``.

        The evidence is the node's first source line; the fingerprint key is ``key``
        (default: the normalised source of ``node``) qualified by the enclosing
        function's name, so it survives edits elsewhere in the file.
        """
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        function = self.enclosing_function(node)
        where = function.name if function is not None else "<module>"
        return CodeIssue(
            rule=rule,
            line=line,
            column=column,
            message=message,
            evidence=self.evidence(line),
            fingerprint_key=f"{where}: {key if key is not None else self.normalised(node)}"[
                :_MAX_KEY
            ],
            end_line=end_line,
            end_column=end_col + 1 if end_col is not None else None,
            severity=severity,
            confidence=confidence,
            related=related,
        )

    def evidence(self, line: int) -> str:
        """Source line ``line`` (1-based), stripped and shortened."""
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1] + "…"

    @staticmethod
    def normalised(node: ast.AST) -> str:
        """The source of ``node`` as ``ast.unparse`` writes it (whitespace-independent)."""
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError):
            text = type(node).__name__
        return " ".join(text.split())[:_MAX_KEY]

    @staticmethod
    def span(node: ast.AST, label: str = "") -> CodeSpan:
        """A :class:`CodeSpan` at ``node`` (for ``related`` positions)."""
        return CodeSpan(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, label)


def _refers_to(expr: ast.expr, name: str) -> bool:
    """True when ``expr`` reads ``name`` itself (``x = x.y``), which would loop."""
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(expr))


def _fold_unary(op: ast.unaryop, value: object) -> object:
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(op, ast.Not):
        return not value
    if isinstance(op, ast.USub) and isinstance(value, int | float) and not isinstance(value, bool):
        return -value
    return UNKNOWN


def _fold_add(left: object, right: object) -> object:
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers):
        return left + right
    return UNKNOWN
