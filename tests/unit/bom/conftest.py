"""Fixtures: the realistic project of :mod:`bom_project`, and the CycloneDX validator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bom_project import build_project
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A realistic AI project (models written by real libraries, code, configs)."""
    return build_project(tmp_path / "acme-assistant")


@pytest.fixture(scope="session")
def validate_bom() -> Callable[[dict[str, Any] | str], None]:
    """Assert that a document validates against the CycloneDX 1.6 JSON schema."""
    validator = JsonStrictValidator(SchemaVersion.V1_6)

    def check(document: dict[str, Any] | str) -> None:
        text = document if isinstance(document, str) else json.dumps(document)
        error = validator.validate_str(text)
        assert error is None, getattr(error.data, "message", str(error))  # type: ignore[union-attr]

    return check
