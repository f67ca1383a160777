"""What kind of project the documents belong to: its AI assets, and whether it is AI at all.

The model, dataset and prompt inventory is the governance analyzer's own
(:func:`aiwarden.analyzers.governance.project.walk`), so the document checks and the
AIW-GOV002/003/007 findings agree on which directories need a card; it is narrowed to
the files the scan saw (``.gitignore`` and excludes respected). The walk is bounded,
never follows a symlink and is done once per view.

A project "is AI" when it holds model or prompt files (a ``data/`` directory of CSV
files alone does not make a web application an AI project), when a scan rule that only
fires on AI code found something, when a dependency manifest names an AI library, or
when a Python file or notebook imports one (the first :data:`HEAD_BYTES` of at most
:data:`MAX_SOURCES` files are read). Checks emit negative evidence about AI-specific
documents only for AI projects, so a plain web service is not told its threat model
lacks prompt injection.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

from aiwarden.analyzers.governance.documents import Bounds
from aiwarden.analyzers.governance.project import SKIP_DIRS, Inventory, Project, walk
from aiwarden.assess.evidence._docs_base import locate, remembered
from aiwarden.assess.evidence._files import incidental
from aiwarden.engine._fs import read_at_most

if TYPE_CHECKING:
    from aiwarden.assess.evidence.interface import ProjectView

HEAD_BYTES: Final = 16 * 1024
MAX_SOURCES: Final = 300
MAX_MANIFESTS: Final = 20
AI_RULE_PREFIXES: Final = ("AIW-PY", "AIW-MOD", "AIW-AGT", "AIW-SEC001", "AIW-GOV002", "AIW-GOV007")
"""Rules that fire only on AI code, models or agent configurations."""
_AI_LIBS: Final = (
    r"openai|anthropic|transformers|torch|torchvision|tensorflow|keras|jax|flax|langchain\w*|"
    r"llama[_-]index\w*|llama[_-]cpp\w*|sentence[_-]transformers|huggingface[_-]hub|diffusers|"
    r"vllm|ollama|litellm|google[_-]generativeai|google[_-]genai|vertexai|cohere|mistralai|"
    r"groq|sklearn|scikit[_-]learn|xgboost|lightgbm|onnxruntime|safetensors|peft|trl|"
    r"accelerate|datasets|tiktoken|crewai|autogen\w*|smolagents|semantic[_-]kernel|"
    r"haystack|dspy|instructor|guardrails|mcp|fastmcp|spacy|gradio"
)
_IMPORT: Final = re.compile(rf"^\s*(?:from|import)\s+(?:{_AI_LIBS})\b", re.MULTILINE)
_NB_IMPORT: Final = re.compile(rf'"\s*(?:from|import)\s+(?:{_AI_LIBS})\b')
_DEPENDENCY: Final = re.compile(
    rf"""(?:^[ \t]*|["'])(?:{_AI_LIBS}|@anthropic-ai/[\w.-]+|@langchain/[\w.-]+)"""
    rf"""(?=[ \t]*(?:$|[\[<>=~!;@"']))""",
    re.IGNORECASE | re.MULTILINE,
)
_MANIFESTS: Final = (
    "requirements*.txt",
    "requirements*.in",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "pipfile",
    "environment.yml",
    "environment.yaml",
    "package.json",
)


@dataclass(frozen=True, slots=True)
class Assets:
    """The AI assets of the assessed directory, as local paths (below it)."""

    project: Project
    models: tuple[str, ...]
    model_dirs: tuple[str, ...]
    datasets: tuple[str, ...]
    dataset_dirs: tuple[str, ...]
    prompts: tuple[str, ...]

    @property
    def any(self) -> bool:
        """True if the project holds a model, a dataset or a prompt file."""
        return bool(self.models or self.model_dirs or self.datasets or self.prompts)


def assets(view: ProjectView) -> Assets:
    """The governance inventory of ``view``'s directory, narrowed to the scanned files."""
    return remembered(view, "assets", lambda: _assets(view))


def _assets(view: ProjectView) -> Assets:
    directory = view.root / view.prefix if view.prefix else view.root
    lookup = [directory, *list(directory.parents)[: len(PurePosixPath(view.prefix).parts)]]
    project = Project(directory, view.prefix, tuple(lookup), walk(directory, Bounds([])))
    return _narrow(view, project, project.inventory)


def _narrow(view: ProjectView, project: Project, inventory: Inventory) -> Assets:
    local = {view.local(f) for f in view.files}
    dirs = {str(PurePosixPath(f).parent) for f in local}
    dirs = {"" if d == "." else d for d in dirs}

    def seen_dir(rel: str) -> bool:
        return rel in dirs or any(d.startswith(f"{rel}/") for d in dirs) if rel else bool(local)

    return Assets(
        project,
        tuple(sorted(m for m in inventory.models if m in local)),
        tuple(sorted(d for d in inventory.model_dirs if seen_dir(d))),
        tuple(sorted(d for d in inventory.datasets if d in local)),
        tuple(sorted(d for d in inventory.dataset_dirs if seen_dir(d))),
        tuple(sorted(p for p in inventory.prompts if p in local)),
    )


def ai_reason(view: ProjectView) -> str | None:
    """Why the project counts as an AI project (a short phrase), None if it does not."""
    return remembered(view, "ai", lambda: _ai_reason(view))


def _ai_reason(view: ProjectView) -> str | None:
    held = assets(view)
    if held.models or held.model_dirs:
        return "it holds model files"
    if held.prompts:
        return "it keeps prompt files"
    for reported in view.findings(*AI_RULE_PREFIXES):
        if not incidental(view, reported.finding.location.path):
            return f"the scan reports {reported.finding.rule.id}"
    manifests = [m for m in locate(view, _MANIFESTS) if not incidental(view, m)]
    for relpath in manifests[:MAX_MANIFESTS]:
        match = _DEPENDENCY.search(_head(view.root / relpath))
        if match:
            library = match.group(0).strip(" ,[\"'")
            return f"{view.local(relpath)} depends on {library}"
    own = (f for f in view.files if f.endswith((".py", ".ipynb")) and not incidental(view, f))
    sources = list(itertools.islice(own, MAX_SOURCES))
    for relpath in sources:
        pattern = _NB_IMPORT if relpath.endswith(".ipynb") else _IMPORT
        if pattern.search(_head(view.root / relpath)):
            return f"{view.local(relpath)} imports an AI library"
    return None


def source_heads(view: ProjectView, suffixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """``(relpath, head)`` of files with ``suffixes``, test fixtures and hidden dirs skipped.

    At most :data:`MAX_SOURCES` files, :data:`HEAD_BYTES` each, are read.
    """
    count = 0
    for relpath in view.files:
        parts = view.local(relpath).split("/")
        if not relpath.endswith(suffixes) or _skipped(parts[:-1]):
            continue
        count += 1
        if count > MAX_SOURCES:
            return
        yield relpath, _head(view.root / relpath)


def _skipped(directories: list[str]) -> bool:
    return any(d.startswith(".") or d.lower() in SKIP_DIRS for d in directories)


def _head(path: Path) -> str:
    """The first :data:`HEAD_BYTES` of a regular, non-symlink file ('' if unreadable)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return read_at_most(fd, HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""
    finally:
        os.close(fd)
