"""The catalogue is read beside its module, or through importlib.resources otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwarden.core import catalogue


def test_catalogue_text_falls_back_to_package_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    direct = catalogue._catalogue_text()

    class Unreadable(type(Path())):  # type: ignore[misc]
        def read_text(self, *args: object, **kwargs: object) -> str:
            raise OSError("not on a file system")

    monkeypatch.setattr(catalogue, "Path", Unreadable)
    assert catalogue._catalogue_text() == direct
    assert '"areas"' in direct
