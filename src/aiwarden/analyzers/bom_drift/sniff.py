"""Whether a JSON file is a CycloneDX BOM, from its first bytes alone.

Kept apart from :mod:`.document` (the BOM reader) so that the analyzer can turn away
the many JSON files that are not BOMs without loading the reader.
"""

from __future__ import annotations


def looks_like_bom(head: bytes) -> bool:
    """True when the first bytes of a JSON file declare CycloneDX."""
    return b'"bomFormat"' in head and b"CycloneDX" in head
