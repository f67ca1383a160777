"""The inventory of an AI project: what ``aiwarden bom`` found, before any output format.

Every class is a frozen dataclass of plain values. The CycloneDX writer
(:mod:`aiwarden.bom.cyclonedx`) turns an :class:`Inventory` into JSON; nothing here
knows about CycloneDX. Paths are POSIX paths relative to the inventory root.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was found: a file, and a line in it when known."""

    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ModelFile:
    """A model artefact on disk, recognised by its content.

    ``path`` is a file, or a directory for formats stored as one (a TensorFlow
    SavedModel), whose ``sha256`` is then the manifest digest of its files
    (:func:`aiwarden.bom.hashing.sha256_manifest`).
    """

    path: str
    format: str
    sha256: str
    size: int
    is_directory: bool = False
    architecture: str | None = None
    architecture_family: str | None = None
    task: str | None = None
    lfs_pointer: bool = False


@dataclass(frozen=True, slots=True)
class HubReference:
    """A Hugging Face Hub repository the project loads: a model or a dataset.

    ``revision`` is the branch, tag or commit passed (``None``: the default branch,
    which moves). ``task`` is the pipeline task when the reference came from
    ``pipeline(task, model=...)``.
    """

    kind: str  # "model", "dataset" or "torch-hub" (a GitHub repository with a hubconf.py)
    repo_id: str
    revision: str | None
    sources: tuple[SourceRef, ...]
    loaders: tuple[str, ...] = ()
    task: str | None = None
    trust_remote_code: bool = False

    @property
    def pinned(self) -> bool:
        """True when ``revision`` is a full commit hash (immutable)."""
        rev = self.revision or ""
        return len(rev) == 40 and all(c in "0123456789abcdef" for c in rev.lower())


@dataclass(frozen=True, slots=True)
class DatasetFile:
    """A data file in the project (parquet, arrow, CSV/JSONL under a data directory...)."""

    path: str
    format: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Prompt:
    """A prompt template or system prompt: a file, or a string in code or config.

    Only its digest and length are kept; the text itself never goes into a BOM (it
    may hold internal policy or secrets).
    """

    kind: str  # "prompt-template", "system-prompt" or "chat-template"
    name: str
    source: SourceRef
    sha256: str
    length: int


@dataclass(frozen=True, slots=True)
class AIService:
    """An external or local AI API the code calls."""

    provider: str
    name: str
    endpoints: tuple[str, ...]
    trust_zone: str  # "external", "cloud-tenant" or "local"
    sources: tuple[SourceRef, ...]
    clients: tuple[str, ...] = ()
    models: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class McpServer:
    """An MCP server configured for an agent or an editor (secrets redacted)."""

    name: str
    source: SourceRef
    transport: str  # "stdio", "http", "sse" or "unknown"
    command: str | None = None
    args: tuple[str, ...] = ()
    url: str | None = None
    env_names: tuple[str, ...] = ()
    package: str | None = None  # a purl for the package it launches (npx, uvx, docker)


@dataclass(frozen=True, slots=True)
class AgentTool:
    """A function exposed to a model as a tool (``@tool``, ``@mcp.tool()``, tool schemas)."""

    name: str
    framework: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Library:
    """A software dependency from a manifest or lock file.

    ``scope`` is ``"runtime"``, ``"optional"`` (an extra) or ``"development"`` (tests,
    tooling), as the manifest files it; ``group`` the extra, group or section it names.
    """

    name: str
    ecosystem: str  # "pypi" or "npm" (others kept as given)
    version: str | None
    specifier: str
    source: SourceRef
    direct: bool = True
    locked: bool = False
    hashed: bool = False
    scope: str = "runtime"
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything found under ``root``; ``notes`` say what was left out and why."""

    root_name: str
    models: tuple[ModelFile, ...] = ()
    hub: tuple[HubReference, ...] = ()
    datasets: tuple[DatasetFile, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    services: tuple[AIService, ...] = ()
    mcp_servers: tuple[McpServer, ...] = ()
    tools: tuple[AgentTool, ...] = ()
    libraries: tuple[Library, ...] | None = None
    notes: tuple[str, ...] = field(default=())
