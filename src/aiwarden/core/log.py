"""Loggers that import :mod:`logging` only when a message is actually logged.

Importing ``logging`` (with ``traceback``, ``tokenize``, ``string`` and ``threading``
behind it) costs several milliseconds, and most scans log nothing. Modules on the scan
path take a :class:`LazyLogger` from :func:`get_logger` instead of a ``logging.Logger``.

The command line's handler setup is passed to :func:`configure`: it runs at once when
``logging`` is already imported (by a library, a test harness or an embedding
program), and otherwise just before the first message is logged through a lazy
logger, so every message still goes through the configured handler and level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

_pending: list[Callable[[], None]] = []
"""A setup waiting for the first message (at most one: the latest)."""


def configure(setup: Callable[[], None]) -> None:
    """Run ``setup`` (which configures ``logging``) now or before the first message."""
    _pending.clear()
    if "logging" in sys.modules:
        setup()
    else:
        _pending.append(setup)


def _logger(name: str) -> logging.Logger:
    import logging

    while _pending:
        _pending.pop()()
    return logging.getLogger(name)


class LazyLogger:
    """The parts of ``logging.Logger`` aiwarden's scan path uses, importing on first use."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def debug(self, msg: str, *args: object, exc_info: bool = False) -> None:
        """``logging.getLogger(name).debug(msg, *args, exc_info=exc_info)``."""
        _logger(self.name).debug(msg, *args, exc_info=exc_info)

    def warning(self, msg: str, *args: object, exc_info: bool = False) -> None:
        """``logging.getLogger(name).warning(msg, *args, exc_info=exc_info)``."""
        _logger(self.name).warning(msg, *args, exc_info=exc_info)


def get_logger(name: str) -> LazyLogger:
    """A logger called ``name`` that imports ``logging`` when it first logs."""
    return LazyLogger(name)
