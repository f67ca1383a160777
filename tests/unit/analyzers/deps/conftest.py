"""Keep dependency tests away from the user's real OSV database."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache: Path = tmp_path_factory.mktemp("aiwarden-cache")
    monkeypatch.setenv("AIWARDEN_CACHE_DIR", str(cache))
    monkeypatch.delenv("AIWARDEN_OSV_DB", raising=False)
