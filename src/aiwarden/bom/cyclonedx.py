"""CycloneDX 1.6 JSON (an ML-BOM) from an :class:`~aiwarden.bom.model.Inventory`.

The document is built as plain data (cyclonedx-python-lib's object model does not write
``modelCard``), and the tests validate every document they build against the official
1.6 JSON schema. Mapping:

* model files and Hugging Face models -> ``machine-learning-model`` components with
  SHA-256 ``hashes``, a ``modelCard`` (task, architecture, security considerations) and
  ``evidence.occurrences`` naming the file; hub models carry a
  ``pkg:huggingface/<org>/<name>@<revision>`` purl;
* data files and hub datasets -> ``data`` components with a ``data`` entry of type
  ``dataset``; prompts and chat templates -> ``data`` components of type
  ``configuration`` (digest and length only, never the text);
* AI APIs -> ``services`` with ``endpoints``, ``trustZone``, ``x-trust-boundary`` and a
  bi-directional data flow; MCP servers and agent tools -> ``services`` too (they are
  invoked by the model over a protocol or in-process, which is what a CycloneDX service
  describes), an MCP server's launched package an ``application`` component it depends on;
* dependencies -> ``library`` components with purls;
* ``dependencies``: the project depends on everything listed.

bom-refs are stable across runs (:mod:`aiwarden.bom._purl`). The serial number is a
random UUID unless ``reproducible`` is asked for, in which case it is derived from the
content, and the timestamp comes from ``SOURCE_DATE_EPOCH`` (or is left out).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from aiwarden import __version__
from aiwarden.bom import _cdx_parts as parts
from aiwarden.bom._purl import RefAllocator
from aiwarden.bom.model import Inventory

SPEC_VERSION = "1.6"
PROJECT_REF = "project"

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class BomOptions:
    """``timestamp`` (default: now, or none when ``reproducible``) and reproducibility."""

    reproducible: bool = False
    timestamp: dt.datetime | None = None
    tool_version: str = __version__


def cyclonedx_document(inventory: Inventory, options: BomOptions | None = None) -> Json:
    """The CycloneDX 1.6 BOM of ``inventory`` as JSON-ready data."""
    options = options or BomOptions()
    refs = RefAllocator()
    refs("project", "")  # reserve; the project's ref is PROJECT_REF
    components = parts.components(inventory, refs)
    services, packages, links = parts.services(inventory, refs)
    owned = [c["bom-ref"] for c in components] + [s["bom-ref"] for s in services]
    components += packages
    document: Json = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": _metadata(inventory, options),
        "components": components,
        "services": services,
        "dependencies": _dependencies(owned, links),
    }
    if not components:
        del document["components"]
    if not services:
        del document["services"]
    return _with_serial(document, options.reproducible)


def cyclonedx_json(inventory: Inventory, options: BomOptions | None = None) -> str:
    """The BOM as indented JSON text (ends with a newline)."""
    return json.dumps(cyclonedx_document(inventory, options), indent=2, ensure_ascii=False) + "\n"


def _metadata(inventory: Inventory, options: BomOptions) -> Json:
    metadata: Json = {}
    timestamp = options.timestamp
    if timestamp is None and not options.reproducible:
        timestamp = dt.datetime.now(dt.UTC)
    if timestamp is not None:
        metadata["timestamp"] = timestamp.astimezone(dt.UTC).isoformat(timespec="seconds")
    metadata["lifecycles"] = [{"phase": "build"}]
    metadata["tools"] = {
        "components": [
            {
                "type": "application",
                "name": "aiwarden",
                "version": options.tool_version,
                "description": "Security scanner for AI systems (ML-BOM generator)",
                "externalReferences": [
                    {"type": "website", "url": "https://github.com/aiwarden/aiwarden"}
                ],
            }
        ]
    }
    metadata["component"] = {
        "type": "application",
        "bom-ref": PROJECT_REF,
        "name": inventory.root_name,
    }
    properties = [{"name": "aiwarden:note", "value": note} for note in inventory.notes]
    properties.append(
        {
            "name": "aiwarden:dependencies-listed",
            "value": "false" if inventory.libraries is None else "true",
        }
    )
    metadata["properties"] = properties
    return metadata


def _dependencies(owned: list[str], links: list[tuple[str, str]]) -> list[Json]:
    entries: list[Json] = [{"ref": PROJECT_REF, "dependsOn": sorted(set(owned))}]
    entries += [{"ref": service, "dependsOn": [package]} for service, package in links]
    return entries


def _with_serial(document: Json, reproducible: bool) -> Json:
    if reproducible:
        canonical = json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")
        digest = hashlib.sha256(canonical).hexdigest()
        serial = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:aiwarden:bom:{digest}")
    else:
        serial = uuid.uuid4()
    return {
        "bomFormat": document.pop("bomFormat"),
        "specVersion": document.pop("specVersion"),
        "serialNumber": serial.urn,
        **document,
    }
