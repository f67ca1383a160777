"""The ``scan`` fixture: write a file under tmp_path and return the analyzer's findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from iac_support import Scan, analyse, write

from aiwarden.core.finding import Finding


@pytest.fixture
def scan(tmp_path: Path) -> Scan:
    """``scan(relpath, text)``: write the file under tmp_path and return its findings."""

    def run(relpath: str, text: str) -> list[Finding]:
        write(tmp_path, relpath, text)
        return analyse(tmp_path, relpath)

    return run
