"""Analyzers: one package per artefact family, each behind :class:`~.interface.Analyzer`."""

from __future__ import annotations

from aiwarden.analyzers.interface import (
    API_VERSION,
    Analyzer,
    Artifact,
    LimitExceeded,
    Limits,
)

__all__ = ["API_VERSION", "Analyzer", "Artifact", "LimitExceeded", "Limits"]
