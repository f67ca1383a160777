"""What the chat-template checker reports, without importing Jinja.

The analyzers and rule tables need these types at import time; Jinja itself is only
imported when a template is actually checked.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from aiwarden.core.severity import Severity


class IssueKind(enum.Enum):
    """What kind of problem a template has; each maps to one rule."""

    SSTI = "ssti"
    DYNAMIC_ATTRIBUTE = "dynamic-attribute"
    UNPARSEABLE = "unparseable"
    LOADER = "loader"
    RESOURCE = "resource"


class TemplateIssue(NamedTuple):
    """One problem found in a template; ``line`` is 1-based within the template.

    A named tuple (cheaper to create at import than a dataclass): issues are only built,
    read and compared whole.
    """

    kind: IssueKind
    severity: Severity
    message: str
    line: int | None = None
    evidence: str | None = None


SEVERITY = {
    IssueKind.SSTI: Severity.CRITICAL,
    IssueKind.DYNAMIC_ATTRIBUTE: Severity.HIGH,
    IssueKind.UNPARSEABLE: Severity.HIGH,
    IssueKind.LOADER: Severity.HIGH,
    IssueKind.RESOURCE: Severity.MEDIUM,
}


def severity_of(kind: IssueKind) -> Severity:
    """The severity of an issue of ``kind``."""
    return SEVERITY[kind]
