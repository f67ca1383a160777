"""The project profile: which traits hold, so that behaviours that do not apply say so.

Five traits (:class:`~aiwarden.assess.behaviours.Trait`) are detected from what the
project declares and imports, and from the scan's findings; each can be overridden in
the configuration::

    [tool.aiwarden.profile]
    serves-models = false          # a library: nothing is deployed from this repository
    handles-personal-data = true

Detection reads dependency manifests (through the dependency analyzer's parser) and the
``import`` lines of at most :data:`MAX_SOURCE_FILES` Python files and notebooks, each up
to :data:`MAX_SOURCE_BYTES`. Tests, fixtures, examples, benchmarks and vendored
directories are not the project's own code and are left out. Nothing is imported or
executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from aiwarden.analyzers.ai_libraries import (
    AI_IMPORT_ROOTS,
    HOSTED_LLM_MODULES,
    HOSTED_LLM_PACKAGES,
)
from aiwarden.assess.behaviours import Trait
from aiwarden.assess.evidence._files import incidental
from aiwarden.assess.evidence._models import MODEL_FORMATS
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.assess.model import ProfileFlag
from aiwarden.errors import ConfigError

MAX_SOURCE_FILES: Final = 2_000
MAX_SOURCE_BYTES: Final = 256 * 1024

_IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][\w.]*)", re.MULTILINE)
_NOTEBOOK_IMPORT = re.compile(r"\"\s*(?:from|import)\s+([A-Za-z_][\w.]*)")


@dataclass(frozen=True, slots=True)
class _Signals:
    """Package names (PEP 503) and module prefixes that reveal a trait."""

    packages: frozenset[str]
    modules: tuple[str, ...]
    finding_rules: tuple[str, ...] = ()
    file_globs: tuple[str, ...] = ()


_SIGNALS: Final[dict[Trait, _Signals]] = {
    Trait.USES_HOSTED_LLM: _Signals(HOSTED_LLM_PACKAGES, HOSTED_LLM_MODULES, ("AIW-SEC001",)),
    Trait.TRAINS_MODELS: _Signals(
        frozenset(
            ["trl", "peft", "accelerate", "lightning", "pytorch-lightning", "deepspeed", "axolotl"]
        ),
        ("torch.optim", "trl", "peft", "accelerate", "lightning", "pytorch_lightning"),
        (),
        ("train.py", "train_*.py", "finetune*.py", "fine_tune*.py"),
    ),
    Trait.SERVES_MODELS: _Signals(
        frozenset(
            [
                "fastapi",
                "flask",
                "django",
                "starlette",
                "gradio",
                "streamlit",
                "chainlit",
                "bentoml",
                "litserve",
                "vllm",
                "text-generation",
                "torchserve",
                "tritonclient",
                "ray[serve]",
                "uvicorn",
                "gunicorn",
            ]
        ),
        ("fastapi", "flask", "django", "starlette", "gradio", "streamlit", "chainlit", "bentoml"),
        ("AIW-IAC", "AIW-PY013", "AIW-PY014"),
        ("Dockerfile", "*.dockerfile", "docker-compose*.yml", "compose*.yaml", "compose*.yml"),
    ),
    Trait.RUNS_AGENTS: _Signals(
        frozenset(
            [
                "langgraph",
                "crewai",
                "autogen",
                "pyautogen",
                "autogen-agentchat",
                "smolagents",
                "openai-agents",
                "mcp",
                "fastmcp",
                "semantic-kernel",
                "llama-index-core",
            ]
        ),
        (
            "langchain.agents",
            "langgraph",
            "crewai",
            "autogen",
            "autogen_agentchat",
            "smolagents",
            "mcp",
            "fastmcp",
            "semantic_kernel",
        ),
        ("AIW-AGT", "AIW-PY007", "AIW-PY016", "AIW-PY017", "AIW-PY018"),
        (".mcp.json", "mcp.json", "claude_desktop_config.json", ".cursor/mcp.json"),
    ),
    Trait.HANDLES_PERSONAL_DATA: _Signals(
        frozenset(["presidio-analyzer", "presidio-anonymizer", "scrubadub"]),
        ("presidio_analyzer", "presidio_anonymizer", "scrubadub"),
        ("AIW-NB002",),
    ),
}

_ABSENT: Final[dict[Trait, str]] = {
    Trait.USES_HOSTED_LLM: "no hosted LLM SDK in the dependencies or imports",
    Trait.TRAINS_MODELS: "no training libraries, optimiser use or training scripts",
    Trait.SERVES_MODELS: "no web or model-serving framework or deployment files with AI in them",
    Trait.RUNS_AGENTS: "no agent framework, MCP server or MCP configuration",
    Trait.HANDLES_PERSONAL_DATA: "no personal data or PII tooling seen (declare it if it does)",
}


def detect_profile(
    project: ProjectView, declared: Iterable[tuple[str, bool]] = (), source: str = "configuration"
) -> tuple[ProfileFlag, ...]:
    """The project's traits, declarations in the config file ``source`` winning.

    Raise :class:`ConfigError` for a declared trait aiwarden does not know.
    """
    overrides = _declared(declared, source)
    packages = _dependency_names(project)
    modules = _imported_modules(project)
    flags = []
    for trait in Trait:
        if trait in overrides:
            where = f"declared in {source} ([tool.aiwarden.profile] or [profile])"
            flags.append(ProfileFlag(trait.value, overrides[trait], "config", where))
            continue
        reason = _detect(trait, project, packages, modules)
        if reason is not None and trait is Trait.SERVES_MODELS:
            reason = _serving_ai(reason, project, packages, modules)
        value, why = reason is not None, reason or _ABSENT[trait]
        flags.append(ProfileFlag(trait.value, value, "detected", why))
    return tuple(flags)


def _serving_ai(
    reason: str, project: ProjectView, packages: dict[str, str], modules: dict[str, str]
) -> str | None:
    """A web service serves models only if something in the project is AI."""
    from aiwarden.analyzers.deps.catalog import AI_PACKAGES  # the curated AI package list

    for name in sorted(AI_PACKAGES & packages.keys()):
        return f"{reason}, and depends on {name}"
    for module, path in sorted(modules.items()):
        if module.split(".", 1)[0] in AI_IMPORT_ROOTS:
            return f"{reason}, and imports {module} ({path})"
    if any(fmt in MODEL_FORMATS for fmt in project.formats.values()):
        return f"{reason}, and holds model files"
    return None


def traits_of(flags: Iterable[ProfileFlag]) -> Mapping[Trait, bool]:
    """The profile as a trait -> value map."""
    return {Trait(flag.name): flag.value for flag in flags}


def _declared(declared: Iterable[tuple[str, bool]], root: str) -> dict[Trait, bool]:
    known = {t.value: t for t in Trait}
    out: dict[Trait, bool] = {}
    for name, value in declared:
        trait = known.get(name)
        if trait is None:
            names = ", ".join(sorted(known))
            raise ConfigError(root, f"unknown trait (known: {names})", key=f"profile.{name}")
        out[trait] = value
    return out


def _detect(
    trait: Trait, project: ProjectView, packages: dict[str, str], modules: dict[str, str]
) -> str | None:
    signals = _SIGNALS[trait]
    for name in sorted(signals.packages):
        if name in packages:
            return f"depends on {name} ({packages[name]})"
    for module, path in sorted(modules.items()):
        if any(module == m or module.startswith(m + ".") for m in signals.modules):
            return f"imports {module} ({path})"
    for reported in project.findings(*signals.finding_rules) if signals.finding_rules else ():
        finding = reported.finding
        if not incidental(project, finding.location.path):
            return f"{finding.rule.id} reported in {finding.location.path}"
    if signals.file_globs:
        matches = [m for m in project.glob(*signals.file_globs) if not incidental(project, m)]
        if matches:
            return f"has {matches[0]}"
    return None


def _dependency_names(project: ProjectView) -> dict[str, str]:
    """PEP 503 name -> the manifest that declares it, for the assessed directory.

    Development-only dependencies are left out: a test that mocks ``openai`` does not
    make the project an LLM application.
    """
    from aiwarden.analyzers.deps.manifest import (  # parser: on use
        SCOPE_DEVELOPMENT,
        project_dependencies,
    )

    directory = Path(project.root) / project.prefix
    names: dict[str, str] = {}
    for dep in project_dependencies(directory):
        path = project.prefix + dep.path
        if dep.scope != SCOPE_DEVELOPMENT and not incidental(project, path):
            names.setdefault(dep.normalized, path)
    return names


def _imported_modules(project: ProjectView) -> dict[str, str]:
    """Top-level and dotted module names imported by the project's code -> first file."""
    own = [f for f in project.glob("*.py", "*.ipynb") if not incidental(project, f)]
    sources = own[:MAX_SOURCE_FILES]
    found: dict[str, str] = {}
    for relpath in sources:
        text = project.read_text(relpath)
        if text is None:
            continue
        pattern = _NOTEBOOK_IMPORT if relpath.endswith(".ipynb") else _IMPORT
        for match in pattern.finditer(text[:MAX_SOURCE_BYTES]):
            found.setdefault(match.group(1), relpath)
    return found
