"""The infra analyzer: Dockerfiles, compose files, Kubernetes manifests, Helm values,
TorchServe and Jupyter configs, and shell scripts that start AI services.

Everything is parsed, never run: YAML through ``yaml.compose`` (no object construction)
with node, depth and document bounds; Python configs through ``ast``; shell words through
``shlex``. A file recognised as one of these formats that does not parse, or that hits a
bound, is reported as AIW-IAC099: fail closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Final

from aiwarden.analyzers.infra.files import FileKind, kind_by_name
from aiwarden.analyzers.infra.rules import RULES
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule

_TEXTUAL: Final = frozenset(
    {
        FileFormat.TEXT,
        FileFormat.YAML,
        FileFormat.DOCKERFILE,
        FileFormat.PYTHON,
        FileFormat.JSON,
        FileFormat.EMPTY,
    }
)


class InfraAnalyzer(Analyzer):
    """Checks how AI services are deployed: containers, manifests and serving configs."""

    name: ClassVar[str] = "infra"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(FileFormat)

    def preload(self, names: Sequence[str]) -> None:
        """Load the parsers before the workers fork when the project has deployment files."""
        if any(kind_by_name(name) is not None for name in names):
            from aiwarden.analyzers.infra import _run  # noqa: F401

    def accepts(self, artifact: Artifact) -> bool:
        """Files named like a deployment format (Dockerfiles whatever their content)."""
        kind = kind_by_name(artifact.member or artifact.relpath)
        if kind is None:
            return False
        return kind is FileKind.DOCKERFILE or artifact.format in _TEXTUAL

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        # the parsers (PyYAML, shell, Dockerfile) load when a deployment file turns up
        from aiwarden.analyzers.infra._run import analyze

        yield from analyze(artifact, limits)
