"""The AI bill of materials: inventory a project, write it as CycloneDX 1.6 (ML-BOM).

::

    from pathlib import Path
    from aiwarden.bom import build_inventory, cyclonedx_json

    print(cyclonedx_json(build_inventory(Path("."))))
"""

from __future__ import annotations

from aiwarden.bom.cyclonedx import BomOptions, cyclonedx_document, cyclonedx_json
from aiwarden.bom.hashing import FileDigest, sha256_file
from aiwarden.bom.inventory import InventoryOptions, build_inventory
from aiwarden.bom.model import Inventory

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
