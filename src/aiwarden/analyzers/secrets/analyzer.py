"""The secrets analyzer: ``find_secrets`` over every text file except notebooks.

Notebooks are left to the notebook analyzer, which scans cell sources, outputs and
metadata separately and locates each secret at its cell. Configuration files that
classification calls text or binary (``.env``, ``.env.local``, ``*.ini``, ``*.cfg``,
``*.properties``, ``*.conf``, ``*.sh``) are accepted by name whatever their content.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.secrets.rules import RULES
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.location import Location
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.secrets import scanner
    from aiwarden.analyzers.secrets.scanner import SecretMatch
else:  # the pattern table compiles when the first text file turns up
    scanner = lazy_import("aiwarden.analyzers.secrets.scanner")
    # The generic-secret reader loads at the first secret-named key. Registered here,
    # when the registry loads, so that a forking scan still imports it once before the
    # fork (the scanner itself is imported while that preload list is being walked).
    lazy_import("aiwarden.analyzers.secrets.generic")

_TEXT_FORMATS = frozenset(
    {
        FileFormat.PYTHON,
        FileFormat.JSON,
        FileFormat.YAML,
        FileFormat.TOML,
        FileFormat.MARKDOWN,
        FileFormat.DOCKERFILE,
        FileFormat.TEXT,
    }
)
_CONFIG_SUFFIXES = (".ini", ".cfg", ".properties", ".conf", ".sh", ".env")


def accepts_by_name(name: str) -> bool:
    """True for ``.env``, ``.env.*``, ``*.env`` and the config/script suffixes."""
    lowered = name.lower()
    return lowered == ".env" or lowered.startswith(".env.") or lowered.endswith(_CONFIG_SUFFIXES)


def secret_finding(
    match: SecretMatch, location: Location, *, prefix: str = "", key_prefix: str = ""
) -> Finding:
    """The :class:`Finding` for ``match`` at ``location``.

    ``prefix`` starts the message (``"Cell 3, line 2: "``) and ``key_prefix`` the
    fingerprint key (a cell id), for callers that scan parts of a file.
    """
    return make_finding(
        match.rule,
        location,
        prefix + match.message,
        confidence=match.confidence,
        evidence=match.evidence,
        fingerprint_key=key_prefix + match.fingerprint_key,
    )


class SecretsAnalyzer(Analyzer):
    """Finds AI-provider keys, cloud credentials, private keys and generic secrets."""

    name: ClassVar[str] = "secrets"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = _TEXT_FORMATS

    def accepts(self, artifact: Artifact) -> bool:
        """Text files other than notebooks, and configuration files by name."""
        if artifact.format in (FileFormat.NOTEBOOK, FileFormat.EMPTY):
            return False
        return artifact.format in self.formats or accepts_by_name(artifact.name)

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield one finding per secret.

        A file over ``limits.max_text_bytes`` is scanned up to the limit, its findings
        yielded, and then ``LimitExceeded`` is raised so the scan is marked incomplete.
        """
        limit = limits.max_text_bytes
        with artifact.open() as handle:
            data = handle.read(limit + 1)
        text = data[:limit].decode("utf-8", errors="replace")
        for match in scanner.find_secrets(text):
            location = dataclasses.replace(
                artifact.location(match.line, match.column),
                end_line=match.end_line,
                end_column=match.end_column,
            )
            yield secret_finding(match, location)
        if len(data) > limit:
            raise LimitExceeded(
                "max_text_bytes", limit, f"{artifact.relpath}: only the first {limit} bytes scanned"
            )
