"""Documentation of the system prompts the project keeps as files (DV-3.a, DV-2.a)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import ClassVar, Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.documents import GovDoc, covers
from aiwarden.analyzers.governance.project import PROMPT_DIR_NAMES
from aiwarden.assess.evidence._docs_base import load_all, locate, series, subject
from aiwarden.assess.evidence._docs_project import assets
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

PROJECT_PROMPT_DOCS: Final = ("docs/*prompt*", "docs/*/*prompt*.md")
READMES: Final = ("README.md", "README.rst", "README")


class SystemPromptsCheck(EvidenceCheck):
    """Prompt files with documentation (DV-3.a) that lists them as assets (DV-2.a).

    Where AIW-GOV007 looks for documentation (a README in the prompt directory or a
    ``prompts``-named parent, a docs/*prompt* page, a Prompts section of the README),
    this check looks too, and names what it found. Positive evidence only: undocumented
    prompt files are AIW-GOV007's to report, and a project whose prompts live in code
    gets no evidence here.
    """

    id: ClassVar[str] = "docs.system-prompts"
    title: ClassVar[str] = "System prompt documentation"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-3.a", "DV-2.a")
    remediation: ClassVar[str] = (
        "Keep every system prompt as a file under prompts/ (not built ad hoc in code) and add "
        "prompts/README.md with a table naming each prompt file, the feature that uses it, "
        "its owner, what it must never reveal, and how changes are reviewed and evaluated "
        "before release."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield evidence for documented prompt files."""
        prompts = assets(project).prompts
        if not prompts:
            return
        docs = _documentation(project, prompts)
        if not docs:
            return
        paths = [d.relpath for d in docs]
        yield self.supports(
            "DV-3.a",
            f"{subject(project, paths, 'The prompt documentation')} "
            f"documents the project's {len(prompts)} prompt "
            f"file{'s' if len(prompts) != 1 else ''}.",
            Strength.DOCUMENT_PRESENT,
            paths,
        )
        listed = [p for p in prompts if _named(docs, p)]
        if listed:
            shown = series([PurePosixPath(p).name for p in listed[:3]])
            more = f" and {len(listed) - 3} more" if len(listed) > 3 else ""
            yield self.supports(
                "DV-2.a",
                f"{subject(project, paths, 'The prompt documentation')} "
                f"lists the prompt files as assets ({shown}{more}), "
                f"{len(listed)} of {len(prompts)} kept under version control.",
                Strength.HEURISTIC,
                paths,
            )


def _documentation(project: ProjectView, prompts: Sequence[str]) -> list[GovDoc]:
    """Prompt READMEs, docs/*prompt* pages and READMEs with a Prompts section."""
    wanted: list[str] = []
    for prompt in prompts:
        directory = PurePosixPath(prompt).parent
        for candidate in (directory, *directory.parents):
            if str(candidate) == ".":
                break
            if candidate != directory and candidate.name.lower() not in PROMPT_DIR_NAMES:
                continue
            wanted.extend(f"{candidate}/{name}" for name in (*READMES, "index.md"))
    found = locate(project, [*dict.fromkeys(wanted), *PROJECT_PROMPT_DOCS])
    docs = load_all(project, found)
    readmes = load_all(project, locate(project, READMES))
    return docs + [d for d in readmes if covers(d.document, t.PROMPT_DOCS)]


def _named(docs: Sequence[GovDoc], prompt: str) -> bool:
    name = PurePosixPath(prompt).name
    return any(name in doc.document.text for doc in docs)
