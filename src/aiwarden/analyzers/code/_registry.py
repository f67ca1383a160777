"""The checkers the Python analyzer runs, in a fixed order.

Add a rule family by writing a ``rules_<family>.py`` module with a
:class:`~aiwarden.analyzers.code.checker.Checker` subclass and listing it here.
"""

from __future__ import annotations

from aiwarden.analyzers.code.checker import Checker


def all_checkers() -> tuple[Checker, ...]:
    """One instance of every built-in Python checker."""
    return ()
