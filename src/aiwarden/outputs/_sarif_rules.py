"""SARIF ``reportingDescriptor`` objects: rule metadata for GitHub code scanning."""

from __future__ import annotations

import html
import re
from typing import Final

from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity
from aiwarden.outputs._common import JSONObject

MAX_TAGS: Final = 20
"""GitHub keeps at most 20 tags per rule."""

SECURITY_SEVERITY: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.5",
    Severity.INFO: "0.5",
}
"""GitHub buckets: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low."""

LEVEL: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
"""SARIF ``level`` for each severity."""

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def pascal_name(title: str) -> str:
    """``"Unsafe pickle global"`` -> ``"UnsafePickleGlobal"`` (ASCII alphanumerics only)."""
    return "".join(word[0].upper() + word[1:] for word in _NON_ALNUM.split(title) if word)


def _tags(rule: Rule) -> list[str]:
    candidates = [
        "security",
        *(f"external/cwe/cwe-{n}" for n in rule.cwe),
        *(f"guideline/{gid}" for gid in rule.guideline_ids),
        *(f"owasp-llm/{oid}" for oid in rule.owasp_llm),
        *(f"atlas/{aid}" for aid in rule.atlas),
        *rule.tags,
    ]
    return list(dict.fromkeys(candidates))[:MAX_TAGS]


def _guideline_line(gid: str) -> str:
    catalogue = load_catalogue()
    if not catalogue.knows_guideline(gid.split(".", 1)[0]):
        return f"- {gid}"
    return f"- {gid}: {catalogue.guideline(gid).title}"


def _taxonomy_lines(rule: Rule) -> list[str]:
    catalogue = load_catalogue()
    lines: list[str] = []
    for n in rule.cwe:
        lines.append(f"- [CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)")
    for oid in rule.owasp_llm:
        name = catalogue.owasp_name(oid)
        lines.append(f"- OWASP {oid}" + (f": {name}" if name else ""))
    for aid in rule.atlas:
        name = catalogue.atlas_name(aid)
        lines.append(f"- MITRE ATLAS {aid}" + (f": {name}" if name else ""))
    return lines


def help_markdown(rule: Rule) -> str:
    """The rule's help, remediation, guidelines, taxonomies and references in Markdown.

    ``help`` is Markdown already; ``remediation`` is plain text, so ``<``, ``>`` and
    ``&`` in it are escaped.
    """
    remediation = html.escape(rule.remediation.strip(), quote=False)
    parts = [rule.help.strip(), f"**Remediation:** {remediation}"]
    parts.append(
        "**Guidelines for Secure AI System Development:**\n\n"
        + "\n".join(_guideline_line(gid) for gid in rule.guidelines)
    )
    taxonomy = _taxonomy_lines(rule)
    if taxonomy:
        parts.append("**Classification:**\n\n" + "\n".join(taxonomy))
    if rule.references:
        parts.append("**References:**\n\n" + "\n".join(f"- <{url}>" for url in rule.references))
    return "\n\n".join(parts)


def help_text(rule: Rule) -> str:
    """The rule's help and remediation as plain text."""
    return f"{rule.help.strip()}\n\nRemediation: {rule.remediation.strip()}"


def reporting_descriptor(rule: Rule) -> JSONObject:
    """The SARIF rule object for ``rule``."""
    descriptor: JSONObject = {
        "id": rule.id,
        "name": pascal_name(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    descriptor["defaultConfiguration"] = {"level": LEVEL[rule.severity]}
    descriptor["properties"] = {
        "tags": _tags(rule),
        "security-severity": SECURITY_SEVERITY[rule.severity],
        "guidelines": list(rule.guidelines),
    }
    return descriptor
