"""The values of the taint engine: taints, sinks, hits and the work budget."""

from __future__ import annotations

import ast
import enum
from typing import Final, NamedTuple

from aiwarden.core.severity import Confidence


class SinkKind(enum.Enum):
    """What a sink does with the value it receives."""

    CODE = "code execution"
    SHELL = "shell command"
    SQL = "SQL query"
    HTML = "HTML/template"
    PATH = "file path"
    URL = "outbound URL"
    PROMPT = "system prompt"


class Taint:
    """One origin of a tainted value.

    ``origin`` is the node where the value enters (a call, an attribute, a parameter);
    ``cleared`` lists the sink kinds the value was sanitised for (``shlex.quote``
    clears :attr:`SinkKind.SHELL`); ``param`` is set on the placeholder taint of a
    parameter while a helper function is summarised; ``via`` is ``(helper, line)``
    when the value was returned by a local helper.

    A value: equal when all six fields are (the origin node by identity), never
    changed after it is made (:meth:`sanitised` and :meth:`returned_by` make new ones).
    A plain slotted class rather than a frozen dataclass, whose definition cost most
    of this module's import.
    """

    __slots__ = ("_hash", "cleared", "confidence", "label", "origin", "param", "via")

    def __init__(
        self,
        origin: ast.AST,
        label: str,
        confidence: Confidence = Confidence.HIGH,
        cleared: frozenset[SinkKind] = frozenset(),
        param: str | None = None,
        via: tuple[str, int] | None = None,
    ) -> None:
        self.origin = origin
        self.label = label
        self.confidence = confidence
        self.cleared = cleared
        self.param = param
        self.via = via
        # Taints are hashed constantly (set unions in every join); compute it once.
        self._hash = hash((id(origin), label, confidence, cleared, param, via))

    def _fields(self) -> tuple[object, ...]:
        return (self.origin, self.label, self.confidence, self.cleared, self.param, self.via)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Taint):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        names = ("origin", "label", "confidence", "cleared", "param", "via")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields(), strict=True))
        return f"Taint({shown})"

    def sanitised(self, kinds: frozenset[SinkKind]) -> Taint:
        """This taint, also cleared for ``kinds``."""
        return Taint(
            self.origin, self.label, self.confidence, self.cleared | kinds, self.param, self.via
        )

    def returned_by(self, via: tuple[str, int]) -> Taint:
        """This taint as returned by helper call ``via`` (the innermost helper is kept)."""
        return Taint(
            self.origin, self.label, self.confidence, self.cleared, self.param, self.via or via
        )

    @property
    def line(self) -> int:
        """The source line of the origin."""
        return int(getattr(self.origin, "lineno", 1))


TaintSet = frozenset[Taint]
EMPTY: Final[TaintSet] = frozenset()


class Sink(NamedTuple):
    """A dangerous use: its kind, how it is named in messages, how sure the match is."""

    kind: SinkKind
    name: str
    confidence: Confidence = Confidence.HIGH


class Hit(NamedTuple):
    """Tainted values reaching a sink.

    ``via`` lists the helper calls ``(name, line)`` the value went through, outermost
    first; ``scope`` is the function (or module) whose analysis found the hit.
    """

    sink: Sink
    node: ast.AST
    taints: TaintSet
    via: tuple[tuple[str, int], ...] = ()
    scope: ast.AST | None = None


class BudgetExceeded(Exception):
    """The analysis of one scope took more steps than allowed."""


class Budget:
    """Counts evaluation steps; raises :class:`BudgetExceeded` past ``limit``."""

    __slots__ = ("limit", "spent")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, steps: int = 1) -> None:
        """Record ``steps`` more steps."""
        self.spent += steps
        if self.spent > self.limit:
            raise BudgetExceeded(f"over {self.limit} steps")


def usable(taints: TaintSet, kind: SinkKind) -> TaintSet:
    """The taints not sanitised for ``kind``."""
    return frozenset(t for t in taints if kind not in t.cleared)
