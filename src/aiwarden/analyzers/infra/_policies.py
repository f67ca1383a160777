"""Where NetworkPolicies exist: in the manifest itself or in the files beside it."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Final

from aiwarden.analyzers.infra._k8s import Manifest

MAX_NEIGHBOURS: Final = 200
MAX_NEIGHBOUR_BYTES: Final = 1024 * 1024
_POLICY: Final = re.compile(r"^kind:\s*[\"']?NetworkPolicy\b", re.MULTILINE)
_NAMESPACE: Final = re.compile(r"^\s+namespace:\s*[\"']?([\w.-]+)", re.MULTILINE)
_SEPARATOR: Final = re.compile(r"^---", re.MULTILINE)


class PolicyIndex:
    """Answers "is there a NetworkPolicy for namespace X" for one manifest file."""

    def __init__(self, path: Path | None, manifests: list[Manifest]) -> None:
        self._local = {m.namespace for m in manifests if m.kind == "NetworkPolicy"}
        self._path = path

    def has_policy(self, namespace: str) -> bool:
        """True if this file or a YAML file in its directory or parent defines one."""
        if namespace in self._local:
            return True
        if self._path is None:
            return False
        parent = self._path.parent
        return any(namespace in _namespaces(str(d)) for d in (parent, parent.parent))


@functools.lru_cache(maxsize=256)
def _namespaces(directory: str) -> frozenset[str]:
    """Namespaces with a NetworkPolicy in the YAML files directly in ``directory``."""
    found: set[str] = set()
    try:
        files = sorted(p for p in Path(directory).iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        return frozenset()
    for path in files[:MAX_NEIGHBOURS]:
        try:
            if not path.is_file() or path.stat().st_size > MAX_NEIGHBOUR_BYTES:
                continue
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        for doc in _SEPARATOR.split(text):
            if _POLICY.search(doc):
                match = _NAMESPACE.search(doc)
                found.add(match.group(1) if match else "default")
    return frozenset(found)
