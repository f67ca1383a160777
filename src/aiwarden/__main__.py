"""``python -m aiwarden``."""

from __future__ import annotations

from aiwarden.cli.main import entrypoint

if __name__ == "__main__":  # pragma: no cover
    entrypoint()
