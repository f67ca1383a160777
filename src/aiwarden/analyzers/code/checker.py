"""The interface of one family of Python rules."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from typing import ClassVar

from aiwarden.analyzers.code.context import ModuleContext
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.rule import Rule


class Checker(abc.ABC):
    """A family of Python rules over one parsed module.

    A checker declares every rule it can report in ``rules`` and yields issues from
    :meth:`check`. It reads the module only through :class:`ModuleContext` (and the
    ``ast`` nodes it hands out); it never imports or evaluates the code it checks.
    """

    rules: ClassVar[tuple[Rule, ...]]

    @abc.abstractmethod
    def check(self, ctx: ModuleContext) -> Iterable[CodeIssue]:
        """Yield the issues found in ``ctx``'s module."""
