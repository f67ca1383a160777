"""What the project's source imports and which tooling patterns its code and config show.

One bounded pass over the project's own Python files (at most :data:`MAX_SOURCE_FILES`,
the first 256 KiB of each) and configuration files (at most :data:`MAX_CONFIG_FILES`):
imports are read with a regular expression, never executed; each named pattern of
:data:`SIGNALS` records the files it occurs in. Packages are then known by dependency
name (manifests) or by import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Final

from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence._deps import load_deps
from aiwarden.assess.evidence.interface import ProjectView

MAX_SOURCE_FILES: Final = 2000
MAX_CONFIG_FILES: Final = 300
_CONFIG_SUFFIXES: Final = (".yaml", ".yml", ".toml", ".cfg", ".ini", ".env", ".conf", ".tf")
_IMPORT: Final = re.compile(
    r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*))",
    re.MULTILINE,
)
_QUOTED_LINE: Final = re.compile(r"^[ \t]*(?:[rbfuRBFU]{0,2}[\"']|#).*$", re.MULTILINE)
"""Lines that are comments or start with a string literal (documentation, examples)."""
_V = r"(?:api/)?v\d+(?:\.\d+)?"
SIGNALS: Final = {
    "moderation": re.compile(
        r"\.moderations\.create\(|[\"'](?:omni|text)-moderation|[\"'][\w-]*/(?:llama-?guard|"
        r"prompt-?guard)|\bguardrailIdentifier[\"']?\s*[=:]|\bContentSafetyClient\(",
        re.IGNORECASE,
    ),
    "rate_limit": re.compile(
        r"@\w*limiter\.limit\(|\bLimiter\(\s*(?:key_func|app|get_remote)|throttle_classes\s*="
        r"|@ratelimit\(|limit-rp[sm][\"']?\s*:|\blimit_req_zone\s|throttling_(?:rate|burst)_limit\s*="
        r"|\bresource\s+\"aws_api_gateway_usage_plan\"|\bquota_settings\s*\{",
    ),
    "auth": re.compile(
        r"=\s*(?:HTTPBearer|OAuth2PasswordBearer|OAuth2AuthorizationCodeBearer|APIKeyHeader"
        r"|APIKeyQuery|HTTPBasic)\(|^\s*@(?:login_required|jwt_required|requires_auth)\b"
        r"|\.launch\([^)\n]*\bauth\s*=\s*[\w(\[]|permission_classes\s*=\s*\[",
        re.MULTILINE,
    ),
    "redaction": re.compile(
        r"=\s*(?:AnalyzerEngine|AnonymizerEngine|BatchAnonymizerEngine)\(|\bscrubadub\.clean\("
        r"|\bAnonymize\(\s*vault",
    ),
    "versioned_route": re.compile(
        rf"@\w+\.(?:get|post|put|patch|delete|route|api_route|websocket)\(\s*[rfu]?[\"']/{_V}[/\"']"
        rf"|\b(?:prefix|url_prefix|root_path)\s*=\s*[rfu]?[\"']/{_V}\b",
    ),
    "pinned_model": re.compile(
        r"[\"'\s=:](?:gpt-[\w.]+-20\d\d-\d\d-\d\d|claude-[\w.-]+-20\d{6}|gemini-[\w.-]+-\d{3}"
        r"|[\w-]+/[\w.-]+@[0-9a-f]{40})\b",
    ),
    "mlflow_registry": re.compile(
        r"mlflow\.register_model\(|registered_model_name\s*=|create_registered_model\("
        r"|create_model_version\(|[\"']models:/",
    ),
    "prompt_registry": re.compile(
        r"\.get_prompt\(|\bhub\.pull\(|\bpull_prompt\(|mlflow\.(?:genai\.)?(?:register_prompt"
        r"|load_prompt)\(|\bPromptLayer\(",
    ),
}


@dataclass(slots=True)
class CodeFacts:
    """Imports (module -> files) and pattern hits (signal -> files) of the project."""

    imports: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    signals: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    python_files: int = 0
    truncated: bool = False

    def imported(self, *modules: str) -> list[str]:
        """Files importing one of ``modules`` or a submodule of it."""
        hits: list[str] = []
        for name, files in self.imports.items():
            if any(name == m or name.startswith(m + ".") for m in modules):
                hits.extend(files)
        return sorted(set(hits))


_CACHE: dict[int, tuple[ProjectView, CodeFacts]] = {}
"""Facts per view (keyed by identity; the view is held so its id cannot be reused)."""


def load_code(project: ProjectView) -> CodeFacts:
    """The :class:`CodeFacts` of the project's own files (tests included), cached per view."""
    cached = _CACHE.get(id(project))
    if cached is not None and cached[0] is project:
        return cached[1]
    facts = CodeFacts()
    configs = 0
    for relpath in fs.own_files(project, tests=False):
        in_tests = fs.incidental(project, relpath)
        name = PurePosixPath(relpath).name.lower()
        is_python = name.endswith(".py")
        if is_python and facts.python_files >= MAX_SOURCE_FILES:
            facts.truncated = True
            continue
        if not is_python:
            if not _is_config(name) or configs >= MAX_CONFIG_FILES:
                continue
            configs += 1
        text = fs.read_text_head(project, relpath)
        if text is None:
            continue
        if is_python:
            facts.python_files += 1
            _imports(text, relpath, facts)
            text = _QUOTED_LINE.sub("", text)
        for signal, pattern in SIGNALS.items():
            if not in_tests and pattern.search(text):
                facts.signals[signal].append(relpath)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(project)] = (project, facts)
    return facts


def _is_config(name: str) -> bool:
    return name.endswith(_CONFIG_SUFFIXES) or name.startswith(".env")


def _imports(text: str, relpath: str, facts: CodeFacts) -> None:
    seen: set[str] = set()
    for match in _IMPORT.finditer(text):
        modules = [match.group(1)] if match.group(1) else match.group(2).split(",")
        for module in modules:
            name = module.strip()
            if name and name not in seen:
                seen.add(name)
                facts.imports[name].append(relpath)


@dataclass(frozen=True, slots=True)
class Package:
    """A package known by its distribution names and its import names."""

    display: str
    distributions: tuple[str, ...]
    modules: tuple[str, ...] = ()
    prefix: bool = False
    """Distribution names are prefixes (``openinference-instrumentation-``)."""


def packages_present(project: ProjectView, table: tuple[Package, ...]) -> dict[str, list[str]]:
    """Display name -> evidence paths (manifests declaring it, files importing it)."""
    deps = load_deps(project)
    code = load_code(project)
    found: dict[str, list[str]] = {}
    for package in table:
        paths = sorted(
            {
                d.path
                for d in deps.dependencies
                if d.normalized in package.distributions
                or (package.prefix and d.normalized.startswith(package.distributions))
            }
        )
        paths += code.imported(*package.modules) if package.modules else []
        if paths:
            found[package.display] = sorted(set(paths))
    return found
