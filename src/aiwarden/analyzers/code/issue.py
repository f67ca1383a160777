"""What a Python rule reports: a position in a source text, independent of any file.

A :class:`CodeIssue` is located by line and column in the *source it was given*, so
the same rule code serves ``.py`` files (where that is the file's own line) and
notebook cells (where the notebook analyzer maps it to the cell). Both records are
named tuples: immutable like the frozen dataclasses they were, and far cheaper to
define when the Python analyzer loads (change a field with ``_replace``).
"""

from __future__ import annotations

from typing import NamedTuple

from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity


class CodeSpan(NamedTuple):
    """A secondary position in the same source (the source of a taint flow, say)."""

    line: int
    column: int
    label: str = ""


class CodeIssue(NamedTuple):
    """One defect found in a Python source text.

    Lines and columns are 1-based. ``fingerprint_key`` must not contain line numbers
    (it identifies the issue across edits: the rule's normalised call text, say).
    ``evidence`` is the offending source, shortened; it must never hold a whole secret.
    ``severity`` overrides the rule's default when set.
    """

    rule: Rule
    line: int
    column: int
    message: str
    evidence: str
    fingerprint_key: str
    end_line: int | None = None
    end_column: int | None = None
    severity: Severity | None = None
    confidence: Confidence = Confidence.HIGH
    related: tuple[CodeSpan, ...] = ()
