"""Statements of one scope, in order: how taint flows through assignments, branches and loops.

:class:`Walker` runs a block of statements over an :class:`~._taint.Evaluator`'s
environment. Assignment to a name replaces what it held (so a tainted value
overwritten by a clean one is clean again); branches are analysed separately and
joined (union); a branch that ends in ``return``/``raise``/``continue``/``break`` does
not flow on; loops are iterated to a fixpoint (at most :data:`LOOP_ITERATIONS` times,
once when nested deeper than :data:`DEEP_LOOPS`). Simple guards narrow a name in the
branch where it is known to be safe: ``if x in ALLOWED``, ``if x == "literal"``,
``if x.isdigit()`` (and the ``else`` branch of the negated forms).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Final

from aiwarden.analyzers.code._taint import EMPTY, Evaluator, Taint, TaintSet, key_of

LOOP_ITERATIONS: Final = 4
DEEP_LOOPS: Final = 3
_SAFE_TESTS: Final = frozenset({"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha"})

Env = dict[str, TaintSet]


def join(*envs: Env) -> Env:
    """The union of several environments (a name is tainted if it is in any)."""
    out: Env = dict(envs[0]) if envs else {}
    for env in envs[1:]:
        for key, taints in env.items():
            current = out.get(key)
            if current is None:
                out[key] = taints
            elif current is not taints and not taints <= current:
                out[key] = current | taints
    return out


class Walker:
    """Runs statements in order over ``ev.env``, collecting the taints of ``return`` values."""

    def __init__(self, ev: Evaluator) -> None:
        self.ev = ev
        self.returns: set[Taint] = set()
        self._loops = 0

    def run(self, body: list[ast.stmt]) -> bool:
        """Run ``body``; True when it always leaves the block (return, raise, break...)."""
        for statement in body:
            self.ev.budget.spend()
            handler = _STATEMENTS.get(type(statement), Walker._generic)
            if handler(self, statement):
                return True
        return False

    def _join(self, *envs: Env) -> Env:
        """:func:`join`, counted against the budget (joins dominate the cost of big scopes)."""
        self.ev.budget.spend(sum(len(env) for env in envs))
        return join(*envs)

    def _copy(self, env: Env) -> Env:
        self.ev.budget.spend(len(env))
        return dict(env)

    # -- simple statements ----------------------------------------------------------

    def _generic(self, statement: ast.stmt) -> bool:
        for child in ast.iter_child_nodes(statement):
            if isinstance(child, ast.expr):
                self.ev.evaluate(child)
        return False

    def _assign(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Assign)
        value, targets = statement.value, statement.targets
        if len(targets) == 1 and _same_shape(targets[0], value):
            assert isinstance(targets[0], ast.Tuple | ast.List)
            assert isinstance(value, ast.Tuple | ast.List)
            parts = [self.ev.evaluate(element) for element in value.elts]
            for target, taints in zip(targets[0].elts, parts, strict=True):
                self.ev.assign(target, taints)
            return False
        taints = self.ev.evaluate(value)
        for target in targets:
            self.ev.assign(target, taints)
        return False

    def _ann_assign(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.AnnAssign)
        if statement.value is not None:
            self.ev.assign(statement.target, self.ev.evaluate(statement.value))
        return False

    def _aug_assign(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.AugAssign)
        taints = self.ev.evaluate(statement.value)
        key = key_of(statement.target)
        if key is not None:
            self.ev.weaken(key, taints)
        else:
            self.ev.assign(statement.target, taints)
        return False

    def _return(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Return)
        if statement.value is not None:
            self.returns |= self.ev.evaluate(statement.value)
        return True

    def _leave(self, statement: ast.stmt) -> bool:
        self._generic(statement)
        return True

    def _definition(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        self.ev.assign(ast.Name(id=statement.name, ctx=ast.Store()), EMPTY)
        return False

    def _import(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Import | ast.ImportFrom)
        for alias in statement.names:
            name = alias.asname or alias.name.split(".", 1)[0]
            self.ev.assign(ast.Name(id=name, ctx=ast.Store()), EMPTY)
        return False

    def _delete(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Delete)
        for target in statement.targets:
            if isinstance(target, ast.Name):
                self.ev.assign(target, EMPTY)
        return False

    def _nothing(self, statement: ast.stmt) -> bool:
        return False

    # -- compound statements --------------------------------------------------------

    def _if(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.If)
        self.ev.evaluate(statement.test)
        before = self._copy(self.ev.env)
        self.ev.budget.spend(2 * len(before))
        self.ev.env = _narrowed(before, statement.test, True)
        body_leaves = self.run(statement.body)
        after_body = self.ev.env
        self.ev.env = _narrowed(before, statement.test, False)
        else_leaves = self.run(statement.orelse)
        after_else = self.ev.env
        if body_leaves and else_leaves:
            return True
        if body_leaves:
            self.ev.env = after_else
        elif else_leaves:
            self.ev.env = after_body
        else:
            self.ev.env = self._join(after_body, after_else)
        return False

    def _for(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.For | ast.AsyncFor)
        items = self.ev.evaluate(statement.iter)
        target = statement.target
        self._loop(statement.body, lambda: self.ev.assign(target, items))
        self.run(statement.orelse)
        return False

    def _while(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.While)
        test = statement.test

        def enter() -> None:
            self.ev.evaluate(test)

        self._loop(statement.body, enter)
        self.run(statement.orelse)
        return False

    def _loop(self, body: list[ast.stmt], enter: Callable[[], None]) -> None:
        limit = LOOP_ITERATIONS if self._loops < DEEP_LOOPS else 1
        self._loops += 1
        try:
            for _ in range(limit):
                before = self._copy(self.ev.env)
                enter()
                self.run(body)
                self.ev.env = self._join(before, self.ev.env)
                if self.ev.env == before:
                    break
        finally:
            self._loops -= 1

    def _with(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.With | ast.AsyncWith)
        for item in statement.items:
            taints = self.ev.evaluate(item.context_expr)
            if item.optional_vars is not None:
                self.ev.assign(item.optional_vars, taints)
        return self.run(statement.body)

    def _try(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Try | ast.TryStar)
        before = self._copy(self.ev.env)
        leaves = self.run(statement.body)
        after_body = self.ev.env
        outcomes: list[tuple[bool, Env]] = []
        for handler in statement.handlers:
            self.ev.env = self._join(before, after_body)
            if handler.name:
                self.ev.assign(ast.Name(id=handler.name, ctx=ast.Store()), EMPTY)
            outcomes.append((self.run(handler.body), self.ev.env))
        self.ev.env = after_body
        if not leaves:
            leaves = self.run(statement.orelse)
        outcomes.append((leaves, self.ev.env))
        going_on = [env for left, env in outcomes if not left]
        self.ev.env = self._join(*(going_on or [env for _, env in outcomes]))
        return self.run(statement.finalbody) or not going_on

    def _match(self, statement: ast.stmt) -> bool:
        assert isinstance(statement, ast.Match)
        subject = self.ev.evaluate(statement.subject)
        before = self._copy(self.ev.env)
        going_on: list[Env] = [before]
        for case in statement.cases:
            self.ev.env = self._copy(before)
            for node in ast.walk(case.pattern):
                name = getattr(node, "name", None) or getattr(node, "rest", None)
                if isinstance(name, str):
                    self.ev.assign(ast.Name(id=name, ctx=ast.Store()), subject)
            if case.guard is not None:
                self.ev.evaluate(case.guard)
            if not self.run(case.body):
                going_on.append(self.ev.env)
        self.ev.env = self._join(*going_on)
        return False


def _same_shape(target: ast.expr, value: ast.expr) -> bool:
    """``a, b = x, y`` (element-wise, no starred element on either side)."""
    return (
        isinstance(target, ast.Tuple | ast.List)
        and isinstance(value, ast.Tuple | ast.List)
        and len(target.elts) == len(value.elts)
        and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
    )


def _narrowed(env: Env, test: ast.expr, outcome: bool) -> Env:
    """``env`` in the branch where ``test`` evaluated to ``outcome``."""
    safe = _safe_keys(test, outcome)
    if not safe:
        return dict(env)
    return {k: v for k, v in env.items() if k not in safe}


def _safe_keys(test: ast.expr, outcome: bool) -> set[str]:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _safe_keys(test.operand, not outcome)
    if isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == outcome:
            return set().union(*(_safe_keys(v, outcome) for v in test.values))
        return set()
    if isinstance(test, ast.Call) and outcome:
        func = test.func
        if isinstance(func, ast.Attribute) and func.attr in _SAFE_TESTS and not test.args:
            key = key_of(func.value)
            return {key} if key else set()
        return set()
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare_safe(test, outcome)
    return set()


def _compare_safe(test: ast.Compare, outcome: bool) -> set[str]:
    key = key_of(test.left)
    op, right = test.ops[0], test.comparators[0]
    if key is None:
        return set()
    if isinstance(op, ast.In | ast.Eq) and outcome and _is_fixed(right):
        return {key}
    if isinstance(op, ast.NotIn | ast.NotEq) and not outcome and _is_fixed(right):
        return {key}
    return set()


def _is_fixed(expr: ast.expr) -> bool:
    """A literal, a collection of literals, or an UPPER_CASE constant name."""
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Tuple | ast.List | ast.Set):
        return all(isinstance(e, ast.Constant) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in expr.keys)
    key = key_of(expr)
    return key is not None and key.split(".")[-1].isupper()


_Handler = Callable[[Walker, ast.stmt], bool]
_STATEMENTS: Final[dict[type[ast.stmt], _Handler]] = {
    ast.Assign: Walker._assign,
    ast.AnnAssign: Walker._ann_assign,
    ast.AugAssign: Walker._aug_assign,
    ast.Return: Walker._return,
    ast.Raise: Walker._leave,
    ast.Break: Walker._leave,
    ast.Continue: Walker._leave,
    ast.FunctionDef: Walker._definition,
    ast.AsyncFunctionDef: Walker._definition,
    ast.ClassDef: Walker._definition,
    ast.Import: Walker._import,
    ast.ImportFrom: Walker._import,
    ast.Delete: Walker._delete,
    ast.Global: Walker._nothing,
    ast.Nonlocal: Walker._nothing,
    ast.Pass: Walker._nothing,
    ast.If: Walker._if,
    ast.For: Walker._for,
    ast.AsyncFor: Walker._for,
    ast.While: Walker._while,
    ast.With: Walker._with,
    ast.AsyncWith: Walker._with,
    ast.Try: Walker._try,
    ast.TryStar: Walker._try,
    ast.Match: Walker._match,
}
