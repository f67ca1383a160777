"""The interface of an evidence check, and the view of the project it reads.

Scan findings say what is wrong. An evidence check says what is *there*: "all 3 model
files are safetensors", "a SECURITY.md with a private reporting channel exists",
"dependencies are locked with hashes", or that something expected is missing. Each
check declares the behaviours it informs and its remediation, so the engine that
builds the scorecard and the next steps treats every check alike.

Checks read files through :class:`ProjectView`, which is bounded (file size, number of
files read) and never executes or imports anything it reads.
"""

from __future__ import annotations

import abc
import fnmatch
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import ClassVar, Final

from aiwarden.assess.model import Evidence, Polarity, Strength
from aiwarden.core.report import ReportedFinding, ScanReport

MAX_READ_BYTES: Final = 2 * 1024 * 1024
"""A file larger than this is read only up to this size by :meth:`ProjectView.read_text`."""


@dataclass
class ProjectView:
    """The assessed project as evidence checks see it.

    ``files`` are POSIX paths relative to ``root`` (the scan root, usually the git work
    tree), limited to the assessed directory ``prefix`` (``""`` or ``"apps/bot/"``), as
    the scan discovered them (``.gitignore`` and excludes respected, ``.git`` skipped).
    Paths in :class:`~aiwarden.assess.model.Evidence` use the same form, so they match
    the paths of findings.
    """

    root: Path
    prefix: str
    files: tuple[str, ...]
    report: ScanReport
    formats: dict[str, str] = field(default_factory=dict)
    """relpath -> the format the scan classified it as (``pickle``, ``safetensors`` ...)."""
    rule_selected: Callable[[str], bool] = field(default=lambda rule_id: True)
    """Whether the scan ran a rule (``--select``/``--ignore``): silence of a rule that was
    not run is no evidence. By default what the report says it ran."""
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_report(
        cls,
        report: ScanReport,
        assessed: Path,
        rule_selected: Callable[[str], bool] | None = None,
    ) -> ProjectView:
        """The view of ``assessed`` (a directory) within the scan ``report``."""
        root = Path(report.root)
        try:
            rel = assessed.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = "."
        prefix = "" if rel in ("", ".") else rel.rstrip("/") + "/"
        paths = [f.path for f in report.scanned] + [f.path for f in report.failed]
        files = tuple(sorted(p for p in set(paths) if p.startswith(prefix)))
        formats = {f.path: f.format for f in report.scanned}
        selected = report.rule_selected if rule_selected is None else rule_selected
        return cls(root, prefix, files, report, formats, selected)

    def local(self, relpath: str) -> str:
        """``relpath`` without the assessed directory's prefix (``apps/bot/x`` -> ``x``)."""
        return relpath[len(self.prefix) :] if relpath.startswith(self.prefix) else relpath

    def glob(self, *patterns: str) -> list[str]:
        """Files whose path below the assessed directory, or whose name, matches a pattern.

        Patterns are case-insensitive ``fnmatch`` globs; one without ``/`` is matched
        against the file name, one with ``/`` against the path below the assessed
        directory (``.github/workflows/*.yml``).
        """
        lowered = [p.lower() for p in patterns]
        out: list[str] = []
        for relpath in self.files:
            local = self.local(relpath).lower()
            name = PurePosixPath(local).name
            for pattern in lowered:
                subject = local if "/" in pattern else name
                if fnmatch.fnmatchcase(subject, pattern):
                    out.append(relpath)
                    break
        return out

    def read_text(self, relpath: str) -> str | None:
        """The text of a file (UTF-8, errors replaced, at most :data:`MAX_READ_BYTES`).

        None when it cannot be read. Symlinks are not followed out of the root.
        """
        if relpath in self._cache:
            return self._cache[relpath]
        text: str | None = None
        path = self.root / relpath
        try:
            if not path.is_symlink() and path.is_file():
                with path.open("rb") as handle:
                    text = handle.read(MAX_READ_BYTES).decode("utf-8", errors="replace")
        except OSError:
            text = None
        self._cache[relpath] = text
        return text

    def findings(self, *rule_prefixes: str) -> Iterator[ReportedFinding]:
        """Active findings in the assessed directory whose rule id starts with a prefix."""
        for reported in self.report.active():
            finding = reported.finding
            if finding.location.path.startswith(self.prefix) and finding.rule.id.startswith(
                rule_prefixes
            ):
                yield reported


class EvidenceCheck(abc.ABC):
    """One kind of observation about a project.

    ``id`` is stable (``docs.security-policy``); ``behaviours`` lists every behaviour
    id the check may report on (a test holds :meth:`collect` to them);
    ``remediation`` says what to do when the check undermines a behaviour, and is
    what the next steps show.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    behaviours: ClassVar[tuple[str, ...]]
    remediation: ClassVar[str]

    @abc.abstractmethod
    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the project shows for this check's behaviours."""

    def supports(
        self,
        behaviour: str,
        summary: str,
        strength: Strength,
        paths: Iterable[str] = (),
    ) -> Evidence:
        """Evidence for ``behaviour``."""
        return Evidence(self.id, behaviour, Polarity.SUPPORTS, strength, summary, tuple(paths))

    def undermines(
        self,
        behaviour: str,
        summary: str,
        strength: Strength = Strength.HEURISTIC,
        paths: Iterable[str] = (),
    ) -> Evidence:
        """Evidence against ``behaviour`` (something expected is missing or unsafe)."""
        return Evidence(self.id, behaviour, Polarity.UNDERMINES, strength, summary, tuple(paths))
