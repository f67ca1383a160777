"""The AI bill of materials: inventory a project, write it as CycloneDX 1.6 (ML-BOM).

::

    from pathlib import Path
    from aiwarden.bom import build_inventory, cyclonedx_json

    print(cyclonedx_json(build_inventory(Path("."))))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiwarden.bom.cyclonedx import BomOptions, cyclonedx_document, cyclonedx_json
    from aiwarden.bom.hashing import FileDigest, sha256_file
    from aiwarden.bom.inventory import InventoryOptions, build_inventory
    from aiwarden.bom.model import Inventory

_HOMES = {
    "BomOptions": "cyclonedx",
    "cyclonedx_document": "cyclonedx",
    "cyclonedx_json": "cyclonedx",
    "FileDigest": "hashing",
    "sha256_file": "hashing",
    "InventoryOptions": "inventory",
    "build_inventory": "inventory",
    "Inventory": "model",
}

__all__ = [
    "BomOptions",
    "FileDigest",
    "Inventory",
    "InventoryOptions",
    "build_inventory",
    "cyclonedx_document",
    "cyclonedx_json",
    "sha256_file",
]


def __getattr__(name: str) -> Any:
    """Import the public names on first use: scans import ``aiwarden.bom._formats`` and
    ``aiwarden.bom.hashing`` through the BOM drift check, and should not pay for the rest."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'aiwarden.bom' has no attribute {name!r}")
    return getattr(importlib.import_module(f"aiwarden.bom.{home}"), name)
