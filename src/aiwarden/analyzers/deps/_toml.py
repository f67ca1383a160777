"""Loading a TOML manifest (``pyproject.toml``, ``Pipfile``, a lock file) into a table."""

from __future__ import annotations

import tomllib
from typing import Any

from aiwarden.analyzers.deps.manifest import ManifestProblem, ManifestResult


def load_toml(text: str, relpath: str, result: ManifestResult) -> dict[str, Any] | None:
    """The document's top-level table, or None after adding the parse error to ``result``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        result.problems.append(ManifestProblem(relpath, None, f"invalid TOML: {exc}"))
        return None
