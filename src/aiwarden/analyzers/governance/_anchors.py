"""The project manifests that anchor a governance check (what ``accepts`` needs).

Apart from :mod:`.project` so that the engine's question "is this file an anchor
candidate?", asked of every file, does not load the project walker.
"""

from __future__ import annotations

from typing import Final

ANCHORS: Final = ("pyproject.toml", "setup.py", "setup.cfg", "package.json", "requirements.txt")
"""Project manifests, in priority order: the first present in a directory is its anchor."""
