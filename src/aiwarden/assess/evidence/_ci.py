"""The project's CI configuration, read once: pipelines, pre-commit hooks, and the local
scripts and actions they call.

CI files are looked for in the assessed directory and in its ancestors up to the scan
root (a monorepo's workflows live at the repository root). YAML is composed with the
infra analyzer's bounded safe loader; nothing is constructed or executed. A pipeline
that delegates to a script (``run: bash .ci/run``, ``make lint``, ``uses: ./``) has that
script read too (one level, bounded), so the tools it runs count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Final

from aiwarden.analyzers.infra.yaml_documents import Y, YamlBound, YamlBroken, load_documents
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence.interface import ProjectView

PIPELINE_PATHS: Final = (
    ".gitlab-ci.yml",
    ".gitlab-ci.yaml",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    "bitbucket-pipelines.yml",
    "Jenkinsfile",
    ".buildkite/pipeline.yml",
    ".drone.yml",
    ".woodpecker.yml",
    ".travis.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
)
"""Pipeline files at fixed paths (GitHub workflows are listed from their directory)."""
WORKFLOW_DIR: Final = ".github/workflows"
PRE_COMMIT: Final = ".pre-commit-config.yaml"
MAX_CI_FILES: Final = 100
MAX_SCRIPTS: Final = 12
_DELEGATES: Final = {
    re.compile(r"(?<![\w-])make(?![\w-])"): "Makefile",
    re.compile(r"(?<![\w-])tox(?![\w-])"): "tox.ini",
    re.compile(r"(?<![\w-])nox(?![\w-])"): "noxfile.py",
    re.compile(r"(?<![\w-])pre-commit\s+run"): PRE_COMMIT,
}
_PATH_TOKEN: Final = re.compile(
    r"(?<![\w$/{.-])(?:\./)?([\w.-]+(?:/[\w.-]+)+|[\w.-]+\.(?:sh|py|bash))"
)
_COMMENT: Final = re.compile(r"(?:^|\s)#.*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class CiFile:
    """One CI-related file.

    ``kind`` is ``github`` (a workflow), ``pipeline`` (another CI system),
    ``pre-commit``, ``script`` (a file a pipeline runs) or ``action`` (a local
    action's metadata). ``text`` has comments removed; ``label`` is a local action's
    ``name``. ``base`` is the directory the pipeline runs in (its repository root).
    """

    relpath: str
    kind: str
    text: str
    base: str
    docs: tuple[Y, ...] = ()
    label: str = ""


@dataclass(slots=True)
class CiConfig:
    """Every CI file of the project."""

    files: list[CiFile] = field(default_factory=list)

    @property
    def pipelines(self) -> list[CiFile]:
        """Workflows and pipeline files (what "the project has CI" means)."""
        return [f for f in self.files if f.kind in ("github", "pipeline")]

    @property
    def workflows(self) -> list[CiFile]:
        """GitHub Actions workflows."""
        return [f for f in self.files if f.kind == "github"]

    def matching(self, pattern: re.Pattern[str]) -> list[str]:
        """Relpaths of the files whose text (or local action name) matches ``pattern``."""
        return [f.relpath for f in self.files if pattern.search(f.text) or pattern.search(f.label)]


def strip_comments(text: str) -> str:
    """``text`` without ``#`` comments (YAML, shell, Python, Makefile)."""
    return _COMMENT.sub("", text)


def load_ci(project: ProjectView) -> CiConfig:
    """The CI files of ``project`` and of its ancestor directories, with what they run."""
    config = CiConfig()
    seen: set[str] = set()
    for base in _bases(project):
        for relpath, kind in _candidates(project, base):
            if relpath in seen or len(config.files) >= MAX_CI_FILES:
                continue
            seen.add(relpath)
            loaded = _load(project, relpath, kind, base)
            if loaded is not None:
                config.files.append(loaded)
    _add_delegates(project, config, seen)
    return config


def _bases(project: ProjectView) -> list[str]:
    own = project.prefix.rstrip("/")
    return [own, *fs.ancestor_dirs(project)]


def _candidates(project: ProjectView, base: str) -> Iterator[tuple[str, str]]:
    for name in fs.list_files(project, fs.join(base, WORKFLOW_DIR)):
        if name.lower().endswith((".yml", ".yaml")):
            yield name, "github"
    for path in PIPELINE_PATHS:
        relpath = fs.join(base, path)
        if fs.existing_file(project, relpath):
            yield relpath, "pipeline"
    relpath = fs.join(base, PRE_COMMIT)
    if fs.existing_file(project, relpath):
        yield relpath, "pre-commit"


def _load(project: ProjectView, relpath: str, kind: str, base: str) -> CiFile | None:
    raw = fs.read_text_head(project, relpath)
    if raw is None:
        return None
    docs: tuple[Y, ...] = ()
    label = ""
    if relpath.lower().endswith((".yml", ".yaml")):
        try:
            docs = tuple(load_documents(raw))
        except (YamlBroken, YamlBound):
            docs = ()
    if kind == "action" and docs:
        label = docs[0].text_at("name") or ""
    return CiFile(relpath, kind, strip_comments(raw), base, docs, label)


def _add_delegates(project: ProjectView, config: CiConfig, seen: set[str]) -> None:
    """Read the local scripts, task files and actions the pipelines call (one level)."""
    added = 0
    for ci in list(config.files):
        for relpath, kind in _delegates(project, ci):
            if relpath in seen or added >= MAX_SCRIPTS:
                continue
            seen.add(relpath)
            loaded = _load(project, relpath, kind, ci.base)
            if loaded is not None:
                config.files.append(loaded)
                added += 1


def _delegates(project: ProjectView, ci: CiFile) -> Iterator[tuple[str, str]]:
    for pattern, name in _DELEGATES.items():
        if pattern.search(ci.text):
            relpath = fs.join(ci.base, name)
            if fs.existing_file(project, relpath):
                yield relpath, "pre-commit" if name == PRE_COMMIT else "script"
    for uses in uses_entries(ci):
        if uses.startswith("./"):
            local = str(PurePosixPath(fs.join(ci.base, uses[2:].rstrip("/")) or "."))
            local = "" if local == "." else local
            for meta in ("action.yml", "action.yaml"):
                if fs.existing_file(project, fs.join(local, meta)):
                    yield fs.join(local, meta), "action"
    for count, match in enumerate(_PATH_TOKEN.finditer(ci.text)):
        if count >= 400:
            break
        token = match.group(1)
        if token.startswith((".github/", "http")) or ".." in token:
            continue
        relpath = fs.join(ci.base, token)
        if relpath != ci.relpath and fs.existing_file(project, relpath):
            yield relpath, "script"


def uses_entries(ci: CiFile) -> list[str]:
    """The ``uses:`` values of a workflow's jobs and steps (or a composite action's)."""
    found: list[str] = []
    for doc in ci.docs:
        steps = list(doc.list_at("runs", "steps"))
        jobs = doc.get("jobs")
        for _, job in jobs.items() if jobs is not None else []:
            text = job.text_at("uses")
            if text:
                found.append(text.strip())
            steps.extend(job.list_at("steps"))
        found.extend(t.strip() for step in steps if (t := step.text_at("uses")))
    return found


def trigger_paths(ci: CiFile) -> list[str]:
    """Path filters that trigger a workflow (``on.<event>.paths``) or GitLab job rules."""
    found: list[str] = []
    for doc in ci.docs:
        on = doc.get("on")
        for _, event in on.items() if on is not None else []:
            found.extend(t for n in event.list_at("paths") if (t := n.text()))
        for _, job in doc.items():
            for rule in job.list_at("rules"):
                found.extend(t for n in rule.list_at("changes") if (t := n.text()))
            found.extend(t for n in job.list_at("only", "changes") if (t := n.text()))
    return found
