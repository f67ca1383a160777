"""Accumulates what the walk finds into an :class:`~aiwarden.bom.model.Inventory`.

References found in several places are merged (one hub repository at one revision,
one service per provider and endpoint, one prompt text per file); each category is
capped at :data:`MAX_ITEMS` entries, with a note when the cap cut something off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.bom._code_hub import HubHit
from aiwarden.bom._code_services import ServiceHit
from aiwarden.bom._configs import Architecture
from aiwarden.bom._endpoints import PROVIDERS, zone_for_url
from aiwarden.bom._formats import LfsPointer, lfs_model_format
from aiwarden.bom._sources import FileHits
from aiwarden.bom.hashing import FileDigest, HashLimitError, sha256_manifest
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
from aiwarden.engine.discovery import DiscoveredFile

MAX_ITEMS: Final = 10_000
MAX_SOURCES: Final = 20
"""Places kept per merged reference."""
_DYNAMIC: Final = "<runtime>"


@dataclass(slots=True)
class _HubAcc:
    sources: list[SourceRef] = field(default_factory=list)
    loaders: list[str] = field(default_factory=list)
    task: str | None = None
    remote_code: bool = False


@dataclass(slots=True)
class _ServiceAcc:
    sources: list[SourceRef] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)


class Collector:
    """Mutable accumulator for one :func:`~aiwarden.bom.inventory.build_inventory` call."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.models: dict[str, ModelFile] = {}
        self.savedmodels: set[str] = set()
        self.datasets: list[DatasetFile] = []
        self.hub: dict[tuple[str, str, str | None], _HubAcc] = {}
        self.prompts: dict[tuple[str, str], Prompt] = {}
        self.services: dict[tuple[str, str], _ServiceAcc] = {}
        self.mcp: dict[tuple[str, str], McpServer] = {}
        self.tools: dict[tuple[str, str, str], AgentTool] = {}
        self.architectures: dict[str, Architecture] = {}
        self.notes: list[str] = []
        self._capped: set[str] = set()
        self._usages: list[tuple[str, ServiceHit]] = []

    def note(self, message: str) -> None:
        """Record something that was left out of the inventory and why."""
        if len(self.notes) < MAX_ITEMS:
            self.notes.append(message)

    def _room(self, category: str, size: int) -> bool:
        if size < MAX_ITEMS:
            return True
        if category not in self._capped:
            self._capped.add(category)
            self.note(f"more than {MAX_ITEMS} {category}: the rest are not listed")
        return False

    # -- files ------------------------------------------------------------------------

    def model(self, relpath: str, fmt: str, sha256: str, size: int) -> None:
        """A model file recognised by its content."""
        if self._room("model files", len(self.models)):
            self.models[relpath] = ModelFile(relpath, fmt, sha256, size)

    def lfs_model(self, relpath: str, pointer: LfsPointer) -> None:
        """A Git LFS pointer to a model: the pointer's oid is the model's SHA-256."""
        if self._room("model files", len(self.models)):
            fmt = lfs_model_format(relpath)
            self.models[relpath] = ModelFile(
                relpath, fmt, pointer.sha256, pointer.size, lfs_pointer=True
            )

    def savedmodel(self, pb_relpath: str) -> None:
        """A ``saved_model.pb``: its directory is one model (hashed at the end)."""
        self.savedmodels.add(str(PurePosixPath(pb_relpath).parent))

    def dataset(self, relpath: str, fmt: str, sha256: str, size: int) -> None:
        """A data file."""
        if self._room("data files", len(self.datasets)):
            self.datasets.append(DatasetFile(relpath, fmt, sha256, size))

    def prompt_file(self, relpath: str, kind: str, raw: bytes) -> None:
        """A prompt or chat-template file (hashed as bytes)."""
        text = raw.decode("utf-8", errors="replace")
        digest = hashlib.sha256(raw).hexdigest()
        name = PurePosixPath(relpath).name
        self._prompt(Prompt(kind, name, SourceRef(relpath), digest, len(text)))

    def _prompt(self, prompt: Prompt) -> None:
        key = (prompt.source.path, prompt.sha256)
        if key not in self.prompts and self._room("prompts", len(self.prompts)):
            self.prompts[key] = prompt

    # -- references from code and configs ------------------------------------------------

    def file_hits(self, relpath: str, hits: FileHits) -> None:
        """Merge what one source or config file references."""
        if hits.problem:
            self.note(f"{relpath}: {hits.problem}")
            return

        def where(line: int) -> SourceRef:
            return SourceRef(relpath, line if hits.lines_valid and line > 0 else None)

        for hub in hits.hub:
            self._hub(relpath, hub, where(hub.line))
        for service in hits.services:
            if service.usage:
                self._usages.append((relpath, service))
            else:
                self._service(service, where(service.line))
        for found in hits.prompts:
            text = found.text
            digest = hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()
            self._prompt(Prompt(found.kind, found.name, where(found.line), digest, len(text)))
        for tool in hits.tools:
            key = (relpath, tool.name, tool.framework)
            if key not in self.tools and self._room("agent tools", len(self.tools)):
                self.tools[key] = AgentTool(tool.name, tool.framework, where(tool.line))
        for server in hits.mcp:
            if self._room("MCP servers", len(self.mcp)):
                self.mcp.setdefault((relpath, server.name), server)
        if hits.architecture is not None:
            self.architectures[str(PurePosixPath(relpath).parent)] = hits.architecture

    def _hub(self, relpath: str, hit: HubHit, source: SourceRef) -> None:
        if self._is_local(relpath, hit.repo_id):
            return
        key = (hit.kind, hit.repo_id, hit.revision)
        if key not in self.hub and not self._room("hub references", len(self.hub)):
            return
        acc = self.hub.setdefault(key, _HubAcc())
        if source not in acc.sources and len(acc.sources) < MAX_SOURCES:
            acc.sources.append(source)
        if hit.loader not in acc.loaders and len(acc.loaders) < MAX_SOURCES:
            acc.loaders.append(hit.loader)
        acc.task = acc.task or hit.task
        acc.remote_code = acc.remote_code or hit.remote_code

    def _is_local(self, relpath: str, repo: str) -> bool:
        """A "hub id" that names a directory or file of the project is a local path."""
        parent = self.root / PurePosixPath(relpath).parent
        try:
            return (self.root / repo).exists() or (parent / repo).exists()
        except OSError:
            return False

    def _service(self, hit: ServiceHit, source: SourceRef) -> None:
        endpoint = _DYNAMIC if hit.dynamic_endpoint else (hit.endpoint or "")
        key = (hit.provider, endpoint)
        if key not in self.services and not self._room("services", len(self.services)):
            return
        acc = self.services.setdefault(key, _ServiceAcc())
        if source not in acc.sources and len(acc.sources) < MAX_SOURCES:
            acc.sources.append(source)
        if hit.client not in acc.clients and len(acc.clients) < MAX_SOURCES:
            acc.clients.append(hit.client)
        if hit.model and hit.model not in acc.models and len(acc.models) < MAX_SOURCES:
            acc.models.append(hit.model)

    # -- the end of the walk -------------------------------------------------------------

    def finish_savedmodels(
        self, files: Sequence[DiscoveredFile], hasher: Callable[[Path], FileDigest]
    ) -> None:
        """Hash each SavedModel directory as one model (manifest digest of its files)."""
        for directory in sorted(self.savedmodels):
            prefix = "" if directory == "." else directory + "/"
            inside = [f for f in files if f.relpath.startswith(prefix)]
            try:
                digests = [(f.relpath[len(prefix) :], hasher(f.path)) for f in inside]
            except (OSError, HashLimitError) as exc:
                self.note(f"{directory}: SavedModel not hashed: {exc}")
                continue
            for path in [p for p in self.models if p.startswith(prefix)]:
                del self.models[path]  # a graph file inside it is part of this model
            manifest = sha256_manifest((rel, d.sha256) for rel, d in digests)
            size = sum(d.size for _rel, d in digests)
            self.models[directory] = ModelFile(
                directory, "tensorflow-savedmodel", manifest, size, is_directory=True
            )

    def inventory(self, name: str, libraries: tuple[Library, ...] | None) -> Inventory:
        """The finished, sorted inventory."""
        return Inventory(
            root_name=name,
            models=tuple(self._with_architecture(m) for _p, m in sorted(self.models.items())),
            hub=tuple(self._hub_refs()),
            datasets=tuple(sorted(self.datasets, key=lambda d: d.path)),
            prompts=tuple(sorted(self.prompts.values(), key=_prompt_key)),
            services=tuple(self._services()),
            mcp_servers=tuple(v for _k, v in sorted(self.mcp.items())),
            tools=tuple(v for _k, v in sorted(self.tools.items())),
            libraries=libraries,
            notes=tuple(self.notes),
        )

    def _with_architecture(self, model: ModelFile) -> ModelFile:
        parent = model.path if model.is_directory else str(PurePosixPath(model.path).parent)
        arch = self.architectures.get(parent)
        if arch is None:
            return model
        return ModelFile(
            model.path,
            model.format,
            model.sha256,
            model.size,
            model.is_directory,
            arch.architecture,
            arch.family,
            model.task,
            model.lfs_pointer,
        )

    def _hub_refs(self) -> list[HubReference]:
        refs = [
            HubReference(
                kind,
                repo,
                rev,
                tuple(acc.sources),
                tuple(acc.loaders),
                acc.task,
                acc.remote_code,
            )
            for (kind, repo, rev), acc in self.hub.items()
        ]
        return sorted(refs, key=lambda r: (r.kind, r.repo_id.lower(), r.revision or ""))

    def _attach_usages(self) -> None:
        """Add the models that client method calls name to the services of that client
        (preferring one built in the same file); a call on no known client adds nothing."""
        for relpath, hit in self._usages:
            if not hit.model:
                continue
            candidates = [acc for acc in self.services.values() if hit.client in acc.clients]
            local = [acc for acc in candidates if any(s.path == relpath for s in acc.sources)]
            for acc in (local or candidates)[:1]:
                if hit.model not in acc.models and len(acc.models) < MAX_SOURCES:
                    acc.models.append(hit.model)

    def _services(self) -> list[AIService]:
        self._attach_usages()
        services = [
            _service(provider, endpoint, acc) for (provider, endpoint), acc in self.services.items()
        ]
        return sorted(services, key=lambda s: (s.provider, s.endpoints, s.name))


def _service(provider_key: str, endpoint: str, acc: _ServiceAcc) -> AIService:
    provider = PROVIDERS[provider_key]
    url = endpoint if endpoint not in ("", _DYNAMIC) else provider.endpoint
    name = provider.name
    if endpoint == _DYNAMIC:
        name = f"{name} (endpoint set at run time)"
    elif endpoint and endpoint != provider.endpoint:
        name = f"{name} ({endpoint.split('://', 1)[-1].split('/', 1)[0]})"
    return AIService(
        provider=provider_key,
        name=name,
        endpoints=(url,) if url else (),
        trust_zone=zone_for_url(url, provider.zone) if url else provider.zone,
        sources=tuple(acc.sources),
        clients=tuple(acc.clients),
        models=tuple(acc.models),
    )


def _prompt_key(prompt: Prompt) -> tuple[str, int, str, str]:
    return (prompt.source.path, prompt.source.line or 0, prompt.name, prompt.sha256)
