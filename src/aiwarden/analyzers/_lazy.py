"""Deferred imports: the analyzers' checks, parsers and heavy libraries load on first use.

An analyzer module is imported whenever the registry loads, which is every scan; its
checks and their dependencies are only needed when a file of its kind turns up. A scan
that forks worker processes first runs :func:`load_deferred`, so the workers inherit
one import of the analyzers' own modules instead of each paying for it.

:func:`lazy_import` returns a stand-in module that performs an ordinary import on the
first attribute it is asked for and forwards every attribute to the real module. An
import interrupted there (the per-file time budget's ``SIGALRM``, a crash in the
module) is undone as any failed import is, and the next use tries again; the standard
library's ``LazyLoader`` would instead leave a half-executed module in ``sys.modules``
for the rest of the process.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

from aiwarden.core.log import get_logger

logger = get_logger(__name__)


class _Deferred(ModuleType):
    """Stands for module ``__name__`` until first use, then forwards to it."""

    def __getattr__(self, attr: str) -> Any:
        # Called only for attributes the stand-in lacks: everything the module defines.
        return getattr(_real(self), attr)


def _real(stand_in: ModuleType) -> ModuleType:
    module = stand_in.__dict__.get("_aiw_module")
    if module is None:
        module = importlib.import_module(stand_in.__name__)
        stand_in.__dict__["_aiw_module"] = module
    return module


_BEFORE_FORK: dict[str, ModuleType] = {}
"""Stand-ins made with ``before_fork``, by module name."""


def lazy_import(name: str, *, before_fork: bool = True) -> ModuleType:
    """Return module ``name`` if imported already, else a stand-in that imports it on use.

    ``before_fork=False`` keeps the module out of :func:`load_deferred`: for libraries
    too heavy to load for every pooled scan (h5py and numpy, ~0.2 s), which their
    analyzer preloads by file name instead.
    """
    existing = sys.modules.get(name)
    if existing is not None:
        return existing
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    stand_in = _BEFORE_FORK.get(name) or _Deferred(name)
    if before_fork:
        _BEFORE_FORK[name] = stand_in
    return stand_in


def load_now(module: ModuleType) -> None:
    """Import the module behind ``module`` now (a no-op for a module already imported)."""
    if isinstance(module, _Deferred):
        _real(module)


def load_deferred() -> None:
    """Import every module deferred with ``before_fork`` that is not imported yet.

    Called before a pool of worker processes is forked. A module that fails to load is
    left for the worker that needs it, which reports the failure on that file.
    """
    for name, stand_in in _BEFORE_FORK.items():
        try:
            _real(stand_in)
        except Exception as exc:  # the worker that needs it reports it on the file
            logger.debug("deferred import of %s failed: %s", name, exc)
