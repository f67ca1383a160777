"""The CycloneDX objects for each kind of inventory entry (see :mod:`.cyclonedx`)."""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import quote, unquote

from aiwarden.bom._purl import RefAllocator, huggingface_purl, library_purl
from aiwarden.bom.model import (
    AgentTool,
    AIService,
    DatasetFile,
    HubReference,
    Inventory,
    Library,
    McpServer,
    ModelFile,
    Prompt,
    SourceRef,
)

Json = dict[str, Any]

CODE_EXECUTING_FORMATS: Final = frozenset(
    {
        "pickle", "joblib", "pytorch", "torchscript", "pickle-zip", "pickle-compressed",
        "joblib-compressed", "pytorch-legacy-tar", "numpy", "numpy-npz",
    }
)  # fmt: skip
_PICKLE_NOTE: Final = (
    "Serialised with pickle (or may hold pickled objects): loading it can execute "
    "arbitrary code. Load it only from a verified source, or convert it to safetensors."
)
_KERAS_NOTE: Final = (
    "Keras models can carry Lambda layers and custom objects that run code when loaded "
    "with safe_mode disabled."
)
_REMOTE_CODE_NOTE: Final = (
    "Loaded with trust_remote_code=True: Python code from the Hub repository runs in the "
    "application's process, at whatever revision is fetched."
)
_TORCH_HUB_NOTE: Final = (
    "Loaded with torch.hub.load: the repository's hubconf.py runs in the application's "
    "process, from whatever the reference points at when it is fetched."
)
_UNPINNED_NOTE: Final = (
    "Loaded from a moving Hub revision (a branch or the default branch): the weights can "
    "change without any change to this project. Pin a commit hash."
)


_CDX_SCOPES: Final = {"runtime": "required", "optional": "optional", "development": "excluded"}
"""Library scope -> CycloneDX component scope (``excluded``: used only to develop or test)."""


def _prop(name: str, value: object) -> Json:
    return {"name": f"aiwarden:{name}", "value": str(value)}


def _sha(sha256: str) -> list[Json]:
    return [{"alg": "SHA-256", "content": sha256}]


def _occurrences(*sources: SourceRef) -> Json:
    occurrences = []
    for source in sources:
        entry: Json = {"location": source.path}
        if source.line:
            entry["line"] = source.line
        occurrences.append(entry)
    return {"occurrences": occurrences}


def _file_url(relpath: str) -> str:
    return quote(relpath, safe="/._-~")


def components(inventory: Inventory, refs: RefAllocator) -> list[Json]:
    """Every component: models, hub models, datasets, prompts, libraries (in that order)."""
    result = [_model_file(m, refs) for m in inventory.models]
    result += [_hub(h, refs) for h in inventory.hub]
    result += [_dataset_file(d, refs) for d in inventory.datasets]
    result += [_prompt(p, refs) for p in inventory.prompts]
    result += [_library(lib, refs) for lib in inventory.libraries or ()]
    return result


def _model_file(model: ModelFile, refs: RefAllocator) -> Json:
    properties = [
        _prop("format", model.format),
        _prop("size", model.size),
        _prop("path", model.path),
    ]
    if model.is_directory:
        properties.append(_prop("hash-method", "sha256-manifest"))
    if model.lfs_pointer:
        properties.append(_prop("git-lfs-pointer", "true"))
    parameters: Json = {}
    if model.task:
        parameters["task"] = model.task
    if model.architecture_family:
        parameters["architectureFamily"] = model.architecture_family
    if model.architecture:
        parameters["modelArchitecture"] = model.architecture
    card: Json = {"properties": [_prop("format", model.format)]}
    if parameters:
        card["modelParameters"] = parameters
    limitations = _format_considerations(model.format)
    if limitations:
        card["considerations"] = {"technicalLimitations": limitations}
    return {
        "type": "machine-learning-model",
        "bom-ref": refs("model-file", model.path),
        "name": model.path,
        "hashes": _sha(model.sha256),
        "evidence": _occurrences(SourceRef(model.path)),
        "modelCard": card,
        "properties": properties,
    }


def _format_considerations(fmt: str) -> list[str]:
    if fmt in CODE_EXECUTING_FORMATS:
        return [_PICKLE_NOTE]
    if fmt in ("keras", "keras-h5"):
        return [_KERAS_NOTE]
    return []


def _hub(ref: HubReference, refs: RefAllocator) -> Json:
    if ref.kind == "torch-hub":
        return _torch_hub_model(ref, refs)
    return _hub_model(ref, refs) if ref.kind == "model" else _hub_dataset(ref, refs)


def _torch_hub_model(ref: HubReference, refs: RefAllocator) -> Json:
    version = f"@{quote(ref.revision, safe='.-_~')}" if ref.revision else ""
    component: Json = {
        "type": "machine-learning-model",
        "bom-ref": refs("torch-hub", f"{ref.repo_id}@{ref.revision or 'default'}"),
        "name": ref.repo_id,
    }
    if ref.revision:
        component["version"] = ref.revision
    component["purl"] = f"pkg:github/{ref.repo_id.lower()}{version}"
    component["externalReferences"] = [{"type": "vcs", "url": f"https://github.com/{ref.repo_id}"}]
    component["evidence"] = _occurrences(*ref.sources)
    properties = [_prop("source", "torch-hub")] + [_prop("loader", x) for x in ref.loaders]
    component["modelCard"] = {
        "considerations": {"technicalLimitations": [_TORCH_HUB_NOTE]},
        "properties": properties,
    }
    return component


def _hub_properties(ref: HubReference) -> list[Json]:
    properties = [_prop("source", "huggingface-hub"), _prop("revision-pinned", ref.pinned)]
    properties += [_prop("loader", loader) for loader in ref.loaders]
    return properties


def _hub_model(ref: HubReference, refs: RefAllocator) -> Json:
    card: Json = {"properties": _hub_properties(ref)}
    if ref.task:
        card["modelParameters"] = {"task": ref.task}
    limitations = [] if ref.pinned else [_UNPINNED_NOTE]
    if ref.trust_remote_code:
        limitations.append(_REMOTE_CODE_NOTE)
        card["properties"].append(_prop("trust-remote-code", "true"))
    if limitations:
        card["considerations"] = {"technicalLimitations": limitations}
    component: Json = {
        "type": "machine-learning-model",
        "bom-ref": refs("hf-model", f"{ref.repo_id}@{ref.revision or 'default'}"),
        "name": ref.repo_id,
    }
    if ref.revision:
        component["version"] = ref.revision
    component["purl"] = huggingface_purl(ref.repo_id, ref.revision)
    component["externalReferences"] = [
        {"type": "distribution", "url": f"https://huggingface.co/{ref.repo_id}"}
    ]
    component["evidence"] = _occurrences(*ref.sources)
    component["modelCard"] = card
    return component


def _hub_dataset(ref: HubReference, refs: RefAllocator) -> Json:
    url = f"https://huggingface.co/datasets/{ref.repo_id}"
    component: Json = {
        "type": "data",
        "bom-ref": refs("hf-dataset", f"{ref.repo_id}@{ref.revision or 'default'}"),
        "name": ref.repo_id,
    }
    if ref.revision:
        component["version"] = ref.revision
    component["externalReferences"] = [{"type": "distribution", "url": url}]
    component["evidence"] = _occurrences(*ref.sources)
    component["data"] = [{"type": "dataset", "name": ref.repo_id, "contents": {"url": url}}]
    component["properties"] = _hub_properties(ref)
    return component


def _dataset_file(data: DatasetFile, refs: RefAllocator) -> Json:
    return {
        "type": "data",
        "bom-ref": refs("data-file", data.path),
        "name": data.path,
        "hashes": _sha(data.sha256),
        "evidence": _occurrences(SourceRef(data.path)),
        "data": [{"type": "dataset", "name": data.path, "contents": {"url": _file_url(data.path)}}],
        "properties": [
            _prop("format", data.format),
            _prop("size", data.size),
            _prop("path", data.path),
        ],
    }


def _prompt(prompt: Prompt, refs: RefAllocator) -> Json:
    properties = [
        _prop("asset", prompt.kind),
        _prop("length", prompt.length),
        _prop("path", prompt.source.path),
    ]
    if prompt.source.line:
        properties.append(_prop("line", prompt.source.line))
    whole_file = prompt.source.path.rsplit("/", 1)[-1] == prompt.name
    name = prompt.source.path if whole_file else f"{prompt.source.path}:{prompt.name}"
    return {
        "type": "data",
        "bom-ref": refs("prompt", name),
        "name": name,
        "description": f"{prompt.kind.replace('-', ' ')} (digest only; text not included)",
        "hashes": _sha(prompt.sha256),
        "evidence": _occurrences(prompt.source),
        "data": [{"type": "configuration", "name": prompt.name}],
        "properties": properties,
    }


def _library(library: Library, refs: RefAllocator) -> Json:
    purl = library_purl(library.ecosystem, library.name, library.version)
    key = purl or f"{library.ecosystem}/{library.name}@{library.version or ''}"
    component: Json = {"type": "library", "bom-ref": refs("library", key)}
    if library.ecosystem == "npm" and library.name.startswith("@") and "/" in library.name:
        group, _, name = library.name.partition("/")
        component["group"] = group
        component["name"] = name
    else:
        component["name"] = library.name
    if library.version:
        component["version"] = library.version
    if purl:
        component["purl"] = purl
    component["scope"] = _CDX_SCOPES.get(library.scope, "required")
    component["evidence"] = _occurrences(library.source)
    component["properties"] = [
        _prop("ecosystem", library.ecosystem),
        _prop("specifier", library.specifier or "*"),
        _prop("direct", str(library.direct).lower()),
        _prop("locked", str(library.locked).lower()),
        _prop("hashed", str(library.hashed).lower()),
    ]
    if library.group:
        component["properties"].append(_prop("group", library.group))
    return component


def services(
    inventory: Inventory, refs: RefAllocator
) -> tuple[list[Json], list[Json], list[tuple[str, str]]]:
    """AI APIs, MCP servers and agent tools as services; the packages MCP servers launch
    as application components; and (service ref, package ref) dependency links."""
    result = [_ai_service(s, refs) for s in inventory.services]
    packages: dict[str, Json] = {}
    links: list[tuple[str, str]] = []
    for server in inventory.mcp_servers:
        service = _mcp_server(server, refs)
        result.append(service)
        if server.package:
            if server.package not in packages:
                packages[server.package] = _package(server.package, refs)
            links.append((service["bom-ref"], packages[server.package]["bom-ref"]))
    result += [_tool(t, refs) for t in inventory.tools]
    return result, list(packages.values()), links


def _ai_service(service: AIService, refs: RefAllocator) -> Json:
    endpoint_key = service.endpoints[0] if service.endpoints else "default"
    properties = [_prop("asset", "ai-service"), _prop("provider", service.provider)]
    properties += [_prop("client", c) for c in service.clients]
    properties += [_prop("model", m) for m in service.models]
    properties += [_prop("location", _where(s)) for s in service.sources]
    result: Json = {
        "bom-ref": refs("ai-service", f"{service.provider}:{endpoint_key}"),
        "provider": {"name": service.name.split(" (", 1)[0]},
        "name": service.name,
    }
    if service.endpoints:
        result["endpoints"] = list(service.endpoints)
    result["x-trust-boundary"] = service.trust_zone != "local"
    result["trustZone"] = service.trust_zone
    result["data"] = [
        {"flow": "outbound", "classification": "prompts", "name": "prompts and inputs"},
        {"flow": "inbound", "classification": "model-output", "name": "completions"},
    ]
    result["properties"] = properties
    return result


def _mcp_server(server: McpServer, refs: RefAllocator) -> Json:
    properties = [
        _prop("asset", "mcp-server"),
        _prop("transport", server.transport),
        _prop("location", _where(server.source)),
    ]
    if server.command:
        properties.append(_prop("command", server.command))
    if server.args:
        properties.append(_prop("args", json.dumps(list(server.args))))
    properties += [_prop("env", name) for name in server.env_names]
    if server.package:
        properties.append(_prop("package", server.package))
    zone = _mcp_zone(server)
    result: Json = {
        "bom-ref": refs("mcp-server", f"{server.source.path}:{server.name}"),
        "group": "mcp",
        "name": server.name,
    }
    if server.url:
        result["endpoints"] = [server.url]
    result["x-trust-boundary"] = zone == "external"
    result["trustZone"] = zone
    result["data"] = [
        {"flow": "bi-directional", "classification": "tool-calls", "name": "tool calls"}
    ]
    result["properties"] = properties
    return result


def _mcp_zone(server: McpServer) -> str:
    from aiwarden.bom._endpoints import zone_for_url

    if server.url:
        return zone_for_url(server.url, "external")
    return "local-process"


def _package(purl: str, refs: RefAllocator) -> Json:
    path = unquote(purl.split("/", 1)[-1].split("?", 1)[0])
    name = path.rsplit("@", 1)[0] if not path.startswith("@") else "@" + path[1:].split("@")[0]
    component: Json = {"type": "application", "bom-ref": refs("mcp-package", purl)}
    if name.startswith("@") and "/" in name:
        component["group"], _, name = name.partition("/")
    component["name"] = name
    component["purl"] = purl
    return component


def _tool(tool: AgentTool, refs: RefAllocator) -> Json:
    return {
        "bom-ref": refs("agent-tool", f"{tool.source.path}:{tool.framework}:{tool.name}"),
        "group": tool.framework,
        "name": tool.name,
        "x-trust-boundary": False,
        "trustZone": "in-process",
        "properties": [
            _prop("asset", "agent-tool"),
            _prop("framework", tool.framework),
            _prop("location", _where(tool.source)),
        ],
    }


def _where(source: SourceRef) -> str:
    return f"{source.path}:{source.line}" if source.line else source.path
