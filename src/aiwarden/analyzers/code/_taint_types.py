"""The values of the taint engine: taints, sinks, hits and the work budget."""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, field
from typing import Final

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


@dataclass(frozen=True, slots=True)
class Taint:
    """One origin of a tainted value.

    ``origin`` is the node where the value enters (a call, an attribute, a parameter);
    ``cleared`` lists the sink kinds the value was sanitised for (``shlex.quote``
    clears :attr:`SinkKind.SHELL`); ``param`` is set on the placeholder taint of a
    parameter while a helper function is summarised; ``via`` is ``(helper, line)``
    when the value was returned by a local helper.
    """

    origin: ast.AST
    label: str
    confidence: Confidence = Confidence.HIGH
    cleared: frozenset[SinkKind] = frozenset()
    param: str | None = None
    via: tuple[str, int] | None = None
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        key = (id(self.origin), self.label, self.confidence, self.cleared, self.param, self.via)
        object.__setattr__(self, "_hash", hash(key))

    def __hash__(self) -> int:
        # Taints are hashed constantly (set unions in every join); compute it once.
        return self._hash

    @property
    def line(self) -> int:
        """The source line of the origin."""
        return int(getattr(self.origin, "lineno", 1))


TaintSet = frozenset[Taint]
EMPTY: Final[TaintSet] = frozenset()


@dataclass(frozen=True, slots=True)
class Sink:
    """A dangerous use: its kind, how it is named in messages, how sure the match is."""

    kind: SinkKind
    name: str
    confidence: Confidence = Confidence.HIGH


@dataclass(frozen=True, slots=True)
class Hit:
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


@dataclass(slots=True)
class Budget:
    """Counts evaluation steps; raises :class:`BudgetExceeded` past ``limit``."""

    limit: int
    spent: int = 0

    def spend(self, steps: int = 1) -> None:
        """Record ``steps`` more steps."""
        self.spent += steps
        if self.spent > self.limit:
            raise BudgetExceeded(f"over {self.limit} steps")


def usable(taints: TaintSet, kind: SinkKind) -> TaintSet:
    """The taints not sanitised for ``kind``."""
    return frozenset(t for t in taints if kind not in t.cleared)
