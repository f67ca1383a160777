"""A governance gap: one missing or thin document, before it becomes a Finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiwarden.analyzers.governance.documents import GovDoc
from aiwarden.analyzers.governance.topics import Topic
from aiwarden.core.rule import Rule


@dataclass(frozen=True, slots=True)
class Gap:
    """What is missing, and where to report it (``relpath`` None: at the anchor)."""

    rule: Rule
    message: str
    key: str
    relpath: str | None = None
    evidence: str | None = None


def topic_list(topics: Sequence[Topic]) -> str:
    """``a, b and c`` from the topics' labels."""
    labels = [t.label for t in topics]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def looked_in(patterns: Sequence[str], where: str = "") -> str:
    """A short ``looked for X, Y or Z`` phrase for messages."""
    shown = ", ".join(patterns[:-1]) + (" or " if len(patterns) > 1 else "") + patterns[-1]
    return f"looked for {shown}{where}"


def thin_gap(rule: Rule, docs: Sequence[GovDoc], kind: str, missing: Sequence[Topic]) -> Gap:
    """A finding for documents that exist but do not cover ``missing``."""
    names = ", ".join(d.relpath for d in docs[:3]) + (" ..." if len(docs) > 3 else "")
    problems = [f"{d.relpath} {d.problem}" for d in docs if d.problem]
    note = f" ({'; '.join(problems[:2])})" if problems else ""
    message = (
        f"The {kind} exists ({names}) but does not cover {topic_list(missing)}{note}. "
        "aiwarden checks the text only, not whether the process is followed."
    )
    return Gap(
        rule,
        message,
        key=f"{rule.id}: thin: " + ",".join(t.label for t in missing),
        relpath=docs[0].relpath,
        evidence=", ".join(t.label for t in missing)[:300],
    )
