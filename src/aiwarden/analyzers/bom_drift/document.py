"""Reading a committed CycloneDX BOM: is it one, is it well formed, which model files
does it list with which SHA-256.

A component is a *local model file* when its type is ``machine-learning-model``, it has
a SHA-256 hash, and it names a path: the ``aiwarden:path`` property, else a single
``evidence.occurrences`` location without a line number (with a line, an occurrence is
the code that references a hub model, not the model itself). Hub models without a
hash are not compared: their bytes are not in the repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final

MAX_COMPONENTS: Final = 100_000
MAX_DEPTH: Final = 8
_SHA256: Final = re.compile(r"^[0-9a-fA-F]{64}$")
_TOOL_NAME: Final = "aiwarden"


class BomProblem(Exception):
    """The document is not a readable CycloneDX BOM (reported as AIW-BOM002)."""


@dataclass(frozen=True, slots=True)
class ListedModel:
    """A model file the BOM lists: its path, SHA-256 and, when recorded, size."""

    path: str
    sha256: str
    size: int | None
    directory: bool = False


@dataclass(slots=True)
class BomDocument:
    """What the drift check needs from a BOM."""

    models: list[ListedModel] = field(default_factory=list)
    by_aiwarden: bool = False


def parse_bom(text: str, *, named_as_bom: bool) -> BomDocument | None:
    """The BOM's listed models; None for JSON that is not a CycloneDX BOM (and not named
    as one). Raise :class:`BomProblem` for anything malformed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BomProblem(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except (ValueError, RecursionError) as exc:
        raise BomProblem(f"not valid JSON: {type(exc).__name__}") from None
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        if named_as_bom:
            raise BomProblem('not a CycloneDX BOM: "bomFormat" is not "CycloneDX"')
        return None
    if not isinstance(data.get("specVersion"), str):
        raise BomProblem('"specVersion" is missing or not a string')
    document = BomDocument(by_aiwarden=_made_by_aiwarden(data.get("metadata")))
    for component in _components(data.get("components"), "components", 0, [0]):
        listed = _listed_model(component)
        if listed is not None:
            document.models.append(listed)
    return document


def _components(value: object, where: str, depth: int, count: list[int]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BomProblem(f'"{where}" is not a list')
    if depth > MAX_DEPTH:
        raise BomProblem(f'"{where}" is nested more than {MAX_DEPTH} levels deep')
    found: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise BomProblem(f'"{where}[{index}]" is not an object')
        count[0] += 1
        if count[0] > MAX_COMPONENTS:
            raise BomProblem(f"more than {MAX_COMPONENTS} components")
        found.append(item)
        found += _components(
            item.get("components"), f"{where}[{index}].components", depth + 1, count
        )
    return found


def _listed_model(component: dict[str, Any]) -> ListedModel | None:
    if component.get("type") != "machine-learning-model":
        return None
    sha = _sha256(component)
    if sha is None:
        return None
    properties = _properties(component)
    path = properties.get("aiwarden:path") or _occurrence_path(component)
    if not path:
        return None
    size_text = properties.get("aiwarden:size", "")
    size = int(size_text) if size_text.isdigit() else None
    directory = properties.get("aiwarden:hash-method") == "sha256-manifest"
    return ListedModel(path, sha.lower(), size, directory)


def _sha256(component: dict[str, Any]) -> str | None:
    hashes = component.get("hashes")
    if hashes is None:
        return None
    if not isinstance(hashes, list):
        raise BomProblem(f'"hashes" of {component.get("name")!r} is not a list')
    for entry in hashes:
        if not isinstance(entry, dict):
            raise BomProblem(f"a hash of {component.get('name')!r} is not an object")
        if entry.get("alg") == "SHA-256":
            content = entry.get("content")
            if not isinstance(content, str) or not _SHA256.match(content):
                raise BomProblem(f"the SHA-256 of {component.get('name')!r} is malformed")
            return content
    return None


def _properties(component: dict[str, Any]) -> dict[str, str]:
    result: dict[str, str] = {}
    properties = component.get("properties")
    if isinstance(properties, list):
        for item in properties:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                value = item.get("value")
                result.setdefault(item["name"], value if isinstance(value, str) else "")
    return result


def _occurrence_path(component: dict[str, Any]) -> str | None:
    evidence = component.get("evidence")
    occurrences = evidence.get("occurrences") if isinstance(evidence, dict) else None
    if not isinstance(occurrences, list) or len(occurrences) != 1:
        return None
    only = occurrences[0]
    if not isinstance(only, dict) or "line" in only:
        return None
    location = only.get("location")
    return location if isinstance(location, str) and location else None


def _made_by_aiwarden(metadata: object) -> bool:
    if not isinstance(metadata, dict):
        return False
    tools = metadata.get("tools")
    entries: list[object] = []
    if isinstance(tools, dict) and isinstance(tools.get("components"), list):
        entries = tools["components"]
    elif isinstance(tools, list):
        entries = tools
    return any(isinstance(t, dict) and t.get("name") == _TOOL_NAME for t in entries)
