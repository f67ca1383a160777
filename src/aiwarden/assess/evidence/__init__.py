"""Evidence checks: what a project shows for each behaviour, beyond scan findings.

:func:`load_checks` returns every built-in check. Checks live in one module per topic
(documents, CI pipeline, artefacts, tooling, scan coverage), each exporting ``CHECKS``.
"""

from __future__ import annotations

import importlib

from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView

_MODULES = ("documents", "pipeline", "artefacts", "tooling", "coverage")


def load_checks() -> tuple[EvidenceCheck, ...]:
    """Every built-in evidence check, in a stable order."""
    checks: list[EvidenceCheck] = []
    for name in _MODULES:
        module = importlib.import_module(f"aiwarden.assess.evidence.{name}")
        checks.extend(module.CHECKS)
    return tuple(checks)


__all__ = ["EvidenceCheck", "ProjectView", "load_checks"]
