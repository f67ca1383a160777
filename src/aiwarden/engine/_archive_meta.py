"""What the engine knows about archives before it opens one: their rule and their formats.

Kept apart from :mod:`aiwarden.engine.archives` so that the report's rule list and the
worker's "could this be an archive?" test do not import ``tarfile``, ``zipfile`` and
the decompressors on a scan that meets no archive.
"""

from __future__ import annotations

from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

PATH_ESCAPE = Rule(
    id=RuleId("AIW-ARC001"),
    title="Archive member escapes the extraction directory",
    severity=Severity.HIGH,
    summary="An archive member's name or link target points outside the directory it is "
    "extracted into (zip slip / tar path traversal).",
    help=(
        "A member named like `../../home/user/.bashrc` or `/etc/cron.d/job`, or a tar "
        "symlink or hardlink whose target leaves the archive, overwrites files outside "
        "the destination when the archive is extracted with tools that do not check "
        "names (`zipfile.extractall` before Python 3.12 filters, `tarfile.extractall` "
        "without `filter='data'`, many model-download helpers). Model and dataset "
        "archives are a common carrier."
    ),
    remediation=(
        "Do not extract this archive with a tool that trusts member names. Re-create it "
        "with relative member paths, and extract archives with `tarfile` "
        "`filter='data'` or by validating each name."
    ),
    guidelines=("SD-3.d", "DV-1.b"),
    cwe=(22, 59),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0010.003",),
    references=(
        "https://security.snyk.io/research/zip-slip-vulnerability",
        "https://docs.python.org/3/library/tarfile.html#extraction-filters",
    ),
)

ARCHIVE_RULES: tuple[Rule, ...] = (PATH_ESCAPE,)

EXPANDABLE_CANDIDATES: frozenset[FileFormat] = frozenset(
    {FileFormat.ZIP, FileFormat.TAR, FileFormat.GZIP, FileFormat.BZIP2, FileFormat.XZ}
)
"""Formats :func:`aiwarden.engine.archives.expandable` may accept: zip, tar, and the
compressed formats a tar may hide in (which it confirms by reading). Any other format
is never expanded, so the worker need not import the archive readers to know that."""
