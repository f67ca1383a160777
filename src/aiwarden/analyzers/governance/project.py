"""The project an anchor file stands for, and a bounded walk of its files.

The walk starts at the anchor's directory and never follows a symlink (so a symlink
loop cannot make it spin), skips virtual environments, VCS metadata, caches, build
output and test fixtures, and stops descending into a subdirectory that is a project of
its own (it has an anchor file: that project is reported on its own anchor). It stops
at :data:`MAX_DEPTH` levels and :data:`MAX_ENTRIES` entries and records that it did.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from aiwarden.analyzers.governance._anchors import ANCHORS as ANCHORS  # re-exported
from aiwarden.analyzers.governance.documents import Bounds, list_dir
from aiwarden.engine._fs import open_regular, read_at_most

MAX_DEPTH: Final = 10
MAX_ENTRIES: Final = 20_000
_CONFIG_HEAD: Final = 65_536

SKIP_DIRS: Final = frozenset(
    {
        "node_modules",
        "site-packages",
        "dist-packages",
        "__pycache__",
        "venv",
        "env",
        "build",
        "dist",
        "tests",
        "test",
        "testdata",
        "test_data",
        "fixtures",
        "__tests__",
    }
)
MODEL_SUFFIXES: Final = (
    ".safetensors",
    ".gguf",
    ".onnx",
    ".pt",
    ".pth",
    ".bin",
    ".ckpt",
    ".h5",
    ".keras",
    ".pkl",
    ".joblib",
)
DATA_SUFFIXES: Final = (".parquet", ".csv", ".tsv", ".jsonl", ".arrow", ".feather")
DATA_DIR_NAMES: Final = frozenset({"data", "datasets", "dataset", "corpus", "training_data"})
DATASET_MARKERS: Final = frozenset({"dataset_infos.json", "dataset_info.json", "dataset_dict.json"})
PROMPT_DIR_NAMES: Final = frozenset({"prompts", "prompt", "system_prompts", "prompt_templates"})
PROMPT_SUFFIXES: Final = (".txt", ".md", ".prompt", ".prompty", ".j2", ".jinja", ".jinja2", ".yaml")
BOM_PATTERNS: Final = ("*.cdx.json", "*.cyclonedx.json", "bom.json", "sbom*.json", "*.spdx.json")
CHECKSUM_PATTERNS: Final = ("sha256sums*", "sha512sums*", "checksums*", "*.sha256", "*.sha512")
SIGNATURE_SUFFIXES: Final = (".sig", ".sigstore", ".sigstore.json")


@dataclass
class Inventory:
    """What the walk found, as POSIX paths relative to the project directory."""

    models: list[str] = field(default_factory=list)
    model_dirs: set[str] = field(default_factory=set)
    datasets: list[str] = field(default_factory=list)
    dataset_dirs: set[str] = field(default_factory=set)
    prompts: list[str] = field(default_factory=list)
    boms: list[str] = field(default_factory=list)
    checksums: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    ecosystems: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Project:
    """A project directory, its ancestors up to the scan root, and its inventory."""

    directory: Path
    prefix: str
    """The relpath of ``directory`` from the scan root ("" at the root), for locations."""
    lookup_dirs: tuple[Path, ...]
    """``directory`` and its ancestors up to the scan root: where repository-wide
    documents (SECURITY.md, .github/dependabot.yml) may live."""
    inventory: Inventory

    @property
    def nested(self) -> bool:
        """True if the project lies inside an outer project's tree.

        Repository-wide documents are then that outer project's business: a nested
        project (a monorepo package, an example) does not report them missing. A
        project under a directory the outer walk skips (``tests/``, ``fixtures/``,
        ``.venv/``) is not inside it: it is standalone, like test data.
        """
        return any(self.owned_by_other(d) for d in self.lookup_dirs[1:])

    def owned_by_other(self, directory: Path) -> bool:
        """True if ``directory`` is an outer project's directory whose tree holds this one."""
        if directory == self.directory or not has_anchor(directory):
            return False
        try:
            between = self.directory.relative_to(directory).parts[:-1]
        except ValueError:
            return False
        return not any(_skipped(part) for part in between)

    def relpath(self, path: Path) -> str:
        """The scan-root relpath of ``path`` (which lies under ``lookup_dirs[-1]``)."""
        try:
            return path.relative_to(self.lookup_dirs[-1]).as_posix()
        except ValueError:
            return path.name


def has_anchor(directory: Path) -> bool:
    """True if ``directory`` holds a project manifest."""
    return any((directory / anchor).is_file() for anchor in ANCHORS)


def is_anchor(directory: Path, name: str) -> bool:
    """True if ``name`` is the highest-priority manifest present in ``directory``."""
    if name not in ANCHORS:
        return False
    for candidate in ANCHORS:
        if candidate == name:
            return True
        if (directory / candidate).is_file():
            return False
    return False


def walk(directory: Path, bounds: Bounds) -> Inventory:
    """Walk ``directory`` (bounded, no symlinks) and inventory what governance needs."""
    inventory = Inventory()
    queue: deque[tuple[Path, str, int]] = deque([(directory, "", 0)])
    seen = 0
    while queue:
        current, rel, depth = queue.popleft()
        entries = list_dir(current, bounds)
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                bounds.hit(f"project walk stopped after {MAX_ENTRIES} entries")
                return inventory
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and _descend(Path(entry.path), entry.name):
                if depth + 1 >= MAX_DEPTH:
                    bounds.hit(f"project walk stopped at depth {MAX_DEPTH} ({child})")
                    continue
                queue.append((Path(entry.path), child, depth + 1))
            elif is_file:
                _classify(inventory, Path(entry.path), child)
    return inventory


def _skipped(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(".") or lowered in SKIP_DIRS or lowered.endswith(".egg-info")


def _descend(path: Path, name: str) -> bool:
    if _skipped(name):
        return False
    if (path / "pyvenv.cfg").exists():
        return False
    return not has_anchor(path)


def _classify(inventory: Inventory, path: Path, rel: str) -> None:
    pure = PurePosixPath(rel)
    name = pure.name.lower()
    parent = str(pure.parent) if str(pure.parent) != "." else ""
    dirs = {part.lower() for part in pure.parts[:-1]}
    _ecosystem(inventory, name)
    if name.endswith(MODEL_SUFFIXES):
        inventory.models.append(rel)
        inventory.model_dirs.add(parent)
    elif name == "config.json" and _is_model_config(path):
        inventory.model_dirs.add(parent)
    if (name.endswith(DATA_SUFFIXES) and dirs & DATA_DIR_NAMES) or name in DATASET_MARKERS:
        inventory.datasets.append(rel)
        inventory.dataset_dirs.add(_data_root(pure) if name not in DATASET_MARKERS else parent)
    if _is_prompt(name, dirs):
        inventory.prompts.append(rel)
    if any(_fnmatch(name, p) for p in BOM_PATTERNS):
        inventory.boms.append(rel)
    if any(_fnmatch(name, p) for p in CHECKSUM_PATTERNS):
        inventory.checksums.append(rel)
    if name.endswith(SIGNATURE_SUFFIXES):
        inventory.signatures.append(rel)


def _data_root(path: PurePosixPath) -> str:
    """The outermost ``data``-like directory holding ``path``: one data card covers it."""
    parts = path.parts[:-1]
    for index, part in enumerate(parts):
        if part.lower() in DATA_DIR_NAMES:
            return "/".join(parts[: index + 1])
    return "/".join(parts)


def _fnmatch(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern)


def _is_prompt(name: str, dirs: set[str]) -> bool:
    if name.startswith("readme") or name.startswith("index."):
        return False
    if dirs & PROMPT_DIR_NAMES and name.endswith(PROMPT_SUFFIXES):
        return True
    return "system_prompt" in name or name.endswith((".prompt", ".prompty"))


_PIP_FILES: Final = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "pipfile", "uv.lock", "poetry.lock"}
)


def _ecosystem(inventory: Inventory, name: str) -> None:
    requirements = name.startswith("requirements") and name.endswith((".txt", ".in"))
    if name in _PIP_FILES or requirements:
        inventory.ecosystems.add("pip")
    if name == "package.json":
        inventory.ecosystems.add("npm")
    docker_names = ("dockerfile", "containerfile")
    if name in docker_names or name.endswith(".dockerfile") or name.startswith("dockerfile."):
        inventory.ecosystems.add("docker")


def _is_model_config(path: Path) -> bool:
    """A Hugging Face style ``config.json`` (``model_type`` or ``architectures``)."""
    try:
        fd, _ = open_regular(path)
        try:
            head = read_at_most(fd, _CONFIG_HEAD + 1)
        finally:
            os.close(fd)
        if len(head) > _CONFIG_HEAD:
            return b'"model_type"' in head or b'"architectures"' in head
        value = json.loads(head)
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(value, dict) and ("model_type" in value or "architectures" in value)
