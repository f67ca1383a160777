"""Package URLs (purl) and bom-refs for BOM components.

bom-refs are derived from what a component *is* (a path, a repository id, an
endpoint), never random and never from a hash of the content, so two BOMs of the same
project line up component by component and a changed model shows as a changed hash
on the same bom-ref.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

_SAFE_VERSION: Final = ".-_~"
_MAX_REF: Final = 400


def huggingface_purl(repo_id: str, revision: str | None) -> str:
    """``pkg:huggingface/<org>/<name>@<revision>`` (purl type ``huggingface``)."""
    parts = [quote(p, safe=".-_~") for p in repo_id.split("/")]
    purl = "pkg:huggingface/" + "/".join(parts)
    if revision:
        rev = revision.lower() if re.fullmatch(r"[0-9a-fA-F]{40}", revision) else revision
        purl += "@" + quote(rev, safe=_SAFE_VERSION)
    return purl


def library_purl(ecosystem: str, name: str, version: str | None) -> str | None:
    """A purl for a PyPI, npm or conda package (None for an unknown ecosystem)."""
    suffix = "@" + quote(version, safe=_SAFE_VERSION) if version else ""
    if ecosystem == "pypi":
        return f"pkg:pypi/{re.sub(r'[-_.]+', '-', name).lower()}{suffix}"
    if ecosystem == "npm":
        if name.startswith("@") and "/" in name:
            scope, _, base = name.partition("/")
            return f"pkg:npm/{quote(scope, safe='')}/{quote(base, safe='.-_~')}{suffix}"
        return f"pkg:npm/{quote(name, safe='.-_~')}{suffix}"
    if ecosystem == "conda":
        return f"pkg:conda/{quote(name, safe='.-_~')}{suffix}"
    return None


class RefAllocator:
    """Hands out unique bom-refs: ``kind:key``, with ``#2``, ``#3``... on a collision."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, kind: str, key: str) -> str:
        """A unique bom-ref for ``key`` of ``kind`` (stable for the same inputs in order)."""
        base = f"{kind}:{key}"[:_MAX_REF]
        ref, counter = base, 1
        while ref in self._used:
            counter += 1
            ref = f"{base}#{counter}"
        self._used.add(ref)
        return ref
