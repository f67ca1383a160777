"""Scan coverage: a rule family that examined the project's files and found nothing.

For each family (AIW-SEC, AIW-PY, AIW-NB, AIW-MOD, AIW-IAC, AIW-AGT, AIW-SCA), when the
scan analysed at least one file the family examines, analysed all of them to the end,
and reported no active finding of the family at or above low severity in the assessed
directory, every behaviour the family's rules map to that a machine can settle
(:class:`~aiwarden.assess.behaviours.Mode`) gets heuristic support ("no findings from
the 22 AIW-PY rules in 37 Python files"); behaviours that need a person get none from
silence. A family that examined no file
says nothing: silence over nothing is not evidence.

Which files a family examines follows its analyzers' ``accepts()``, decided from the
path and the scan's classification of the content (see :mod:`aiwarden.core.formats`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.agents.kinds import kind_of
from aiwarden.analyzers.deps.manifest import SKIPPED_DIRS, manifest_kind
from aiwarden.analyzers.infra.files import (
    FileKind,
    kind_by_name,
    looks_like_compose,
    looks_like_manifest,
)
from aiwarden.analyzers.secrets.analyzer import accepts_by_name
from aiwarden.assess.behaviours import SPECS, Mode
from aiwarden.assess.evidence import _files as fs
from aiwarden.assess.evidence._models import MODEL_FORMATS
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength
from aiwarden.core.formats import FileFormat
from aiwarden.core.report import FailedFile
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity

MAX_YAML_READS: Final = 500
_SECRET_FORMATS: Final = frozenset(
    f.value
    for f in (
        FileFormat.DOCKERFILE,
        FileFormat.JSON,
        FileFormat.MARKDOWN,
        FileFormat.PYTHON,
        FileFormat.TEXT,
        FileFormat.TOML,
        FileFormat.YAML,
        FileFormat.NOTEBOOK,
    )
)
_MODEL_CONTAINERS: Final = MODEL_FORMATS | {"numpy", "protobuf"}


@dataclass(frozen=True, slots=True)
class Family:
    """A rule family and how to tell the files it examines."""

    prefix: str
    noun: str
    nouns: str
    examines: Callable[[ProjectView, str, str], bool]
    """(view, relpath, format) -> True if the family's analyzers look at the file."""
    informational: tuple[str, ...] = ()
    """Rules whose informational findings still silence the family (a pickle-based model
    file is reported at info severity, yet it is no clean model scan)."""


def _secrets(view: ProjectView, relpath: str, fmt: str) -> bool:
    return fmt in _SECRET_FORMATS or accepts_by_name(PurePosixPath(relpath).name)


def _python(view: ProjectView, relpath: str, fmt: str) -> bool:
    return fmt in (FileFormat.PYTHON.value, FileFormat.NOTEBOOK.value)


def _notebooks(view: ProjectView, relpath: str, fmt: str) -> bool:
    return fmt == FileFormat.NOTEBOOK.value or relpath.lower().endswith(".ipynb")


def _models(view: ProjectView, relpath: str, fmt: str) -> bool:
    return fmt in _MODEL_CONTAINERS


def _infra(view: ProjectView, relpath: str, fmt: str) -> bool:
    kind = kind_by_name(relpath)
    if kind is None:
        return False
    if kind is not FileKind.YAML:
        return True
    text = fs.read_text_head(view, relpath, 64 * 1024)
    return text is not None and (looks_like_manifest(text) or looks_like_compose(text))


def _agents(view: ProjectView, relpath: str, fmt: str) -> bool:
    return kind_of(relpath) is not None


def _deps(view: ProjectView, relpath: str, fmt: str) -> bool:
    parts = view.local(relpath).split("/")[:-1]
    return manifest_kind(relpath) is not None and not SKIPPED_DIRS.intersection(parts)


FAMILIES: Final = (
    Family("AIW-SEC", "file", "files", _secrets),
    Family("AIW-PY", "Python file or notebook", "Python files or notebooks", _python),
    Family("AIW-NB", "notebook", "notebooks", _notebooks),
    Family("AIW-MOD", "model file", "model files", _models, ("AIW-MOD001",)),
    Family("AIW-IAC", "deployment file", "deployment files", _infra),
    Family("AIW-AGT", "agent configuration file", "agent configuration files", _agents),
    Family("AIW-SCA", "dependency manifest", "dependency manifests", _deps),
)


@functools.cache
def family_behaviours() -> dict[str, tuple[int, tuple[str, ...]]]:
    """Rule-id prefix -> (number of rules, behaviour ids their guidelines name)."""
    out: dict[str, tuple[int, tuple[str, ...]]] = {}
    for family in FAMILIES:
        own = family_rules(family.prefix)
        behaviours = sorted({g for r in own for g in r.guidelines if _machine_settled(g)})
        out[family.prefix] = (len(own), tuple(behaviours))
    return out


def _machine_settled(behaviour: str) -> bool:
    """Only behaviours a machine can settle take "nothing found" as support.

    For one that needs a person (an incident plan that is exercised, environments that
    are segregated), the absence of findings says nothing about the control itself.
    """
    spec = SPECS.get(behaviour)
    return spec is not None and spec.mode is Mode.MACHINE


@functools.cache
def family_rules(prefix: str) -> tuple[Rule, ...]:
    """The built-in rules of the family ``prefix`` (``AIW-PY``)."""
    from aiwarden.analyzers.registry import load_analyzers

    rules = load_analyzers(builtin_only=True).rules
    return tuple(r for r in rules if r.id.startswith(prefix) and r.id[len(prefix)].isdigit())


def _all_behaviours() -> tuple[str, ...]:
    return tuple(sorted({b for _, bs in family_behaviours().values() for b in bs}))


class ScanCoverage(EvidenceCheck):
    """Rule families that examined the project's files and found nothing."""

    id: ClassVar[str] = "scan.coverage"
    title: ClassVar[str] = "The scan covered the project and found nothing"
    behaviours: ClassVar[tuple[str, ...]] = _all_behaviours()
    remediation: ClassVar[str] = (
        "Make sure the scan reaches every file (no failed files, nothing excluded that matters)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Heuristic support for the behaviours of each clean, non-vacuous family."""
        scanned = [f for f in project.report.scanned if f.path.startswith(project.prefix)]
        failed = [f for f in project.report.failed if f.path.startswith(project.prefix)]
        counts = family_behaviours()
        for family in FAMILIES:
            rule_count, behaviours = counts[family.prefix]
            if not rule_count or not behaviours:
                continue
            if not all(project.rule_selected(r.id) for r in family_rules(family.prefix)):
                continue  # a rule the scan did not run cannot vouch for anything
            examined = self._examined(project, family, [(f.path, f.format) for f in scanned])
            if not examined or self._incomplete(project, family, failed):
                continue
            if self._has_findings(project, family):
                continue
            summary = (
                f"no findings from the {rule_count} {family.prefix} rules in "
                f"{fs.plural(len(examined), family.noun, family.nouns)}"
            )
            for behaviour in behaviours:
                yield self.supports(behaviour, summary, Strength.HEURISTIC, examined[:5])

    @staticmethod
    def _examined(project: ProjectView, family: Family, files: list[tuple[str, str]]) -> list[str]:
        reads = 0
        out: list[str] = []
        for path, fmt in files:
            if "!" in path:
                continue
            if family.prefix == "AIW-IAC" and kind_by_name(path) is FileKind.YAML:
                reads += 1
                if reads > MAX_YAML_READS:
                    continue
            if family.examines(project, path, fmt):
                out.append(path)
        return out

    @staticmethod
    def _incomplete(project: ProjectView, family: Family, failed: Iterable[FailedFile]) -> bool:
        """True when a failed file may be one the family examines (unknown kinds: always)."""
        for item in failed:
            guess = _guess_format(item.path)
            if guess is None or family.examines(project, item.path, guess):
                return True
        return False

    @staticmethod
    def _has_findings(project: ProjectView, family: Family) -> bool:
        return any(
            rf.finding.severity >= Severity.LOW or rf.finding.rule_id in family.informational
            for rf in project.findings(family.prefix)
        )


_SUFFIX_FORMATS: Final = {
    ".py": "python",
    ".ipynb": "notebook",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".md": "markdown",
    ".txt": "text",
    ".safetensors": "safetensors",
    ".gguf": "gguf",
    ".onnx": "onnx",
    ".h5": "hdf5",
    ".keras": "zip",
    ".pkl": "pickle",
    ".pt": "pickle",
    ".pth": "pickle",
    ".bin": "pickle",
    ".joblib": "pickle",
    ".ckpt": "pickle",
    ".npy": "numpy",
    ".npz": "zip",
}


def _guess_format(path: str) -> str | None:
    """The format a failed file's name suggests (it was never classified); None if unknown."""
    suffix = PurePosixPath(path.split("!")[0]).suffix.lower()
    return _SUFFIX_FORMATS.get(suffix)


def _all() -> Iterator[EvidenceCheck]:
    yield ScanCoverage()


CHECKS: tuple[EvidenceCheck, ...] = tuple(_all())
