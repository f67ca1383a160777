"""The project's declared dependencies and whether it is a deployable service.

Manifests are parsed with the dependency analyzer's parsers
(:func:`aiwarden.analyzers.deps.manifest.parse_manifest`): text only, nothing resolved
or installed. Test data, examples and vendored trees are left out (see
:func:`~aiwarden.assess.evidence._files.incidental`), so a fixture's requirements file
does not speak for the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Final

from aiwarden.analyzers.deps.manifest import (
    LOCK_FILE_NAMES,
    Dependency,
    decode_manifest,
    manifest_kind,
    parse_manifest,
)
from aiwarden.analyzers.infra.files import FileKind, kind_by_name
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence.interface import ProjectView

MAX_MANIFESTS: Final = 200
MAX_MANIFEST_BYTES: Final = 16 * 1024 * 1024
PACKAGING_FILES: Final = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "package.json"})
WEB_PACKAGES: Final = frozenset(
    {"fastapi", "flask", "django", "starlette", "gradio", "streamlit", "uvicorn", "gunicorn",
     "aiohttp", "sanic", "litestar", "bentoml", "tornado", "quart", "chainlit", "express",
     "next", "fastify", "koa", "hypercorn", "waitress"}
)  # fmt: skip
AI_PACKAGES: Final = frozenset(
    {"openai", "anthropic", "transformers", "torch", "tensorflow", "keras", "jax",
     "langchain", "langchain-core", "langchain-community", "langchain-openai", "langgraph",
     "llama-index", "llama-index-core", "sentence-transformers", "huggingface-hub",
     "diffusers", "vllm", "litellm", "google-generativeai", "google-genai", "mistralai",
     "cohere", "groq", "ollama", "onnxruntime", "scikit-learn", "xgboost", "lightgbm",
     "mlflow", "crewai", "autogen", "pyautogen", "smolagents", "dspy", "haystack-ai",
     "@anthropic-ai/sdk", "@langchain/core", "langchain-anthropic", "llama-cpp-python",
     "mcp", "fastmcp", "ai", "timm", "spacy", "accelerate", "peft", "datasets"}
)  # fmt: skip
AI_MODULES: Final = (
    "openai", "anthropic", "transformers", "torch", "tensorflow", "keras", "jax", "langchain",
    "langchain_core", "langchain_community", "langchain_openai", "langgraph", "llama_index",
    "sentence_transformers", "huggingface_hub", "diffusers", "vllm", "litellm",
    "google.generativeai", "google.genai", "mistralai", "cohere", "groq", "ollama",
    "onnxruntime", "sklearn", "xgboost", "lightgbm", "mlflow", "crewai", "autogen",
    "smolagents", "dspy", "haystack", "llama_cpp", "mcp", "fastmcp", "timm", "peft",
)  # fmt: skip
"""Import names of AI libraries (the modules of :data:`AI_PACKAGES`)."""
_SERVICE_NAMES: Final = frozenset(
    {"procfile", "serverless.yml", "serverless.yaml", "app.yaml", "fly.toml", "vercel.json",
     "render.yaml", "railway.json", "railway.toml", "kustomization.yaml", "chart.yaml",
     "skaffold.yaml", "bentofile.yaml", "cog.yaml", "modal.toml"}
)  # fmt: skip


@dataclass(slots=True)
class DepFacts:
    """What the project's own manifests declare."""

    manifests: list[str] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    locks: list[str] = field(default_factory=list)
    hashed_requirements: list[str] = field(default_factory=list)
    """Requirements files in which every requirement carries ``--hash``."""

    @property
    def names(self) -> set[str]:
        """Normalized names of every dependency."""
        return {d.normalized for d in self.dependencies}

    def declared_in(self, relpath: str) -> list[Dependency]:
        """The dependencies a manifest declares itself (not through an include)."""
        return [d for d in self.dependencies if d.path == relpath]


_CACHE: dict[int, tuple[ProjectView, DepFacts]] = {}
"""Facts per view (keyed by identity; the view is held so its id cannot be reused)."""


def load_deps(project: ProjectView) -> DepFacts:
    """The project's own manifests and their dependencies (bounded, cached per view)."""
    cached = _CACHE.get(id(project))
    if cached is not None and cached[0] is project:
        return cached[1]
    facts = DepFacts()
    for relpath in fs.own_files(project):
        name = PurePosixPath(relpath).name.lower()
        if name in LOCK_FILE_NAMES:
            facts.locks.append(relpath)
        if manifest_kind(relpath) is None or len(facts.manifests) >= MAX_MANIFESTS:
            continue
        _parse(project, relpath, facts)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(project)] = (project, facts)
    return facts


def _parse(project: ProjectView, relpath: str, facts: DepFacts) -> None:
    data = fs.read_head(project.root, relpath, MAX_MANIFEST_BYTES + 1)
    if data is None or len(data) > MAX_MANIFEST_BYTES:
        return
    text = decode_manifest(data)[0]
    result = parse_manifest(project.root / relpath, text, relpath, root=project.root)
    facts.manifests.append(relpath)
    own = [d for d in result.dependencies if d.path == relpath]
    facts.dependencies.extend(own)
    if manifest_kind(relpath) == "requirements" and own and all(d.hashed for d in own):
        facts.hashed_requirements.append(relpath)


def service_signals(project: ProjectView, facts: DepFacts) -> list[str]:
    """Why the project looks deployable (a container, a deployment file, a web framework);
    empty for a library."""
    reasons: list[str] = []
    for relpath in fs.own_files(project):
        name = PurePosixPath(relpath).name.lower()
        kind = kind_by_name(relpath)
        deployable = kind in (FileKind.DOCKERFILE, FileKind.COMPOSE, FileKind.HELM_VALUES)
        if deployable or name in _SERVICE_NAMES:
            reasons.append(relpath)
        if len(reasons) >= 5:
            break
    web = sorted(facts.names & WEB_PACKAGES)
    if web:
        reasons.append("depends on " + ", ".join(web))
    return reasons


def is_library(project: ProjectView, facts: DepFacts) -> bool:
    """True for a package (packaging metadata) with nothing deployable: it has no lock
    file by design, its users lock its dependencies."""
    packaged = any(PurePosixPath(f).name.lower() in PACKAGING_FILES for f in fs.own_files(project))
    return packaged and not service_signals(project, facts)
