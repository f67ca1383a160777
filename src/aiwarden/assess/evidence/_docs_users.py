"""Guidance for users: limitations, safe use, responsibilities, data use, prohibited use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.policies import README_FILES
from aiwarden.assess.evidence import _docs_vocab as v
from aiwarden.assess.evidence._docs_base import (
    covering,
    load_all,
    locate,
    names,
    subject,
    where,
)
from aiwarden.assess.evidence._docs_project import ai_reason
from aiwarden.assess.evidence._docs_text import how
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

GUIDE_FILES: Final = (
    *README_FILES,
    "docs/*/*.md",
    "USAGE.md",
    "SAFETY.md",
    "PRIVACY.md",
    "PRIVACY_POLICY.md",
    "RESPONSIBLE_AI.md",
    "RESPONSIBLE_USE.md",
    "ACCEPTABLE_USE*.md",
    "AUP.md",
    "USE_POLICY.md",
    "TERMS*.md",
    "LIMITATIONS.md",
)
POLICY_FILES: Final = ("ACCEPTABLE_USE*.md", "AUP.md", "USE_POLICY.md", "docs/acceptable*use*.md")
PRIVACY_FILES: Final = ("PRIVACY.md", "PRIVACY_POLICY.md", "docs/privacy*.md")
_ASPECTS: Final = (
    ("SD-1.c", v.AI_RISKS, "warns users about AI-specific risks"),
    ("DP-4.b", t.USER_LIMITATIONS, "states the system's limitations"),
    ("DP-5.c", t.USER_SAFE_USE, "guides users on safe and appropriate use"),
    ("DP-5.d", v.SHARED_RESPONSIBILITY, "says which security tasks are the user's"),
    ("DP-5.d", t.USER_SECURE_CONFIG, "tells users how to configure it securely"),
    ("DP-5.e", v.DATA_USE, "explains how user data is used, stored or reviewed"),
    ("SD-3.i", v.ACCEPTABLE_USE_SECTION, "states acceptable and prohibited uses"),
)


class UserGuidanceCheck(EvidenceCheck):
    """What the README and user documentation tell users (SD-1.c, DP-4.b, DP-5.c/d/e, SD-3.i).

    Each topic found supports its behaviour with the file and the section or phrase
    that covers it. Negative evidence only when an AI project has no README or user
    documentation at all (DP-5.c, SD-1.c); thin guidance is AIW-GOV011's to report.
    SD-3.i is supported at heuristic strength only: stating prohibited uses is one of
    its parts, and findings about insecure defaults still decide it.
    """

    id: ClassVar[str] = "docs.user-guidance"
    title: ClassVar[str] = "Guidance for users"
    behaviours: ClassVar[tuple[str, ...]] = (
        "SD-1.c",
        "DP-4.b",
        "DP-5.c",
        "DP-5.d",
        "DP-5.e",
        "SD-3.i",
    )
    remediation: ClassVar[str] = (
        "Add to the README (or docs/) sections on: Limitations (what the model gets wrong, "
        "hallucinations, languages and inputs it handles badly); Safe use (human review of "
        "outputs, no reliance for medical, legal or financial decisions, prompt-injection "
        "risk of untrusted content); Secure configuration and 'Your responsibilities' (API "
        "keys in a secret store, bind to localhost, authentication, what the operator must "
        "secure); Data use and privacy (what is logged, retention, whether inputs are used "
        "for training, who may review them); and Acceptable use (prohibited uses and "
        "alternatives)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield one evidence item per guidance topic the documentation covers."""
        docs = load_all(project, locate(project, GUIDE_FILES))
        if not docs:
            reason = ai_reason(project)
            if reason is not None:
                summary = (
                    f"{where(project).capitalize()} has no README or user documentation "
                    f"(looked for README*, docs/*.md, USAGE.md, SAFETY.md) although it is an AI "
                    f"project ({reason}): users get no guidance on its risks or safe use."
                )
                yield self.undermines("DP-5.c", summary)
                yield self.undermines("SD-1.c", summary)
            return
        emitted: set[str] = set()
        for behaviour, topic, what in _ASPECTS:
            found = covering(docs, topic)
            if found:
                emitted.add(behaviour)
                strength = (
                    Strength.HEURISTIC if behaviour == "SD-3.i" else Strength.DOCUMENT_PRESENT
                )
                paths = [d.relpath for d in found]
                yield self.supports(
                    behaviour,
                    f"{subject(project, paths, 'The user documentation')} "
                    f"{what} ({how(found, topic)}).",
                    strength,
                    paths,
                )
        for behaviour, patterns, what in (
            ("DP-5.e", PRIVACY_FILES, "A privacy statement"),
            ("SD-3.i", POLICY_FILES, "An acceptable-use policy"),
        ):
            kept = locate(project, patterns)
            if kept and behaviour not in emitted:
                yield self.supports(
                    behaviour, f"{what} is kept ({names(project, kept)}).", Strength.HEURISTIC, kept
                )
