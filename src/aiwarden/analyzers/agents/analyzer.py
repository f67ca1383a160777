"""The agents analyzer: MCP server configs, agent settings, rules files and tool manifests.

Files are selected by path (``.mcp.json``, ``.cursor/mcp.json``, ``.claude/settings.json``,
``AGENTS.md``, ``*tools*.json``...) whatever their detected format, parsed without
executing anything, and checked by the ``AIW-AGT`` rules. A configuration recognised by
name that does not parse is reported (AIW-AGT099): fail closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Final

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.agents._drift import drift_hits, lock_file_hits
from aiwarden.analyzers.agents._frontmatter import frontmatter_allowances
from aiwarden.analyzers.agents._hidden_text import text_signals
from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsoncError, Locator, parse_jsonc
from aiwarden.analyzers.agents._kinds import Kind, kind_of
from aiwarden.analyzers.agents._manifest import (
    default_server_name,
    is_manifest_text,
    manifest_servers,
)
from aiwarden.analyzers.agents._model import ConfigDoc
from aiwarden.analyzers.agents._parse import ConfigError, parse_config
from aiwarden.analyzers.agents._servers import check_server
from aiwarden.analyzers.agents._tool_checks import check_manifest
from aiwarden.analyzers.agents.rules import (
    AUTO_APPROVAL,
    HIDDEN_INSTRUCTIONS,
    PLAINTEXT_SECRET,
    RULES,
    UNPARSEABLE,
)
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    from aiwarden.analyzers.agents import (
        _credentials,
        _endpoints,
        _flows,
        _hooks,
        _overrides,
        _permissions,
    )
else:  # the checks (and the secret patterns) load when an agent config turns up
    _credentials = lazy_import("aiwarden.analyzers.agents._credentials")
    _endpoints = lazy_import("aiwarden.analyzers.agents._endpoints")
    _flows = lazy_import("aiwarden.analyzers.agents._flows")
    _hooks = lazy_import("aiwarden.analyzers.agents._hooks")
    _overrides = lazy_import("aiwarden.analyzers.agents._overrides")
    _permissions = lazy_import("aiwarden.analyzers.agents._permissions")

MAX_CONFIG_BYTES: Final = 4 * 1024 * 1024
"""Largest configuration, rules file or manifest read (larger ones hit a limit finding)."""
MAX_FINDINGS: Final = 200
"""Most findings reported for one file."""
_ERROR_LINE: Final = re.compile(r"at line (\d+)")
_MANIFEST_FORMATS: Final = frozenset({FileFormat.JSON, FileFormat.TEXT})


class AgentConfigAnalyzer(Analyzer):
    """Checks MCP and coding-agent configuration, rules files and captured tool manifests."""

    name: ClassVar[str] = "agent-config"
    rules: ClassVar[tuple[Rule, ...]] = RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(FileFormat)

    def accepts(self, artifact: Artifact) -> bool:
        """Files named like agent configuration, whatever their content."""
        kind = kind_of(artifact.member or artifact.relpath)
        if kind is Kind.MANIFEST:
            return artifact.format in _MANIFEST_FORMATS and artifact.size <= MAX_CONFIG_BYTES
        if kind is None:  # any JSON may be a captured tools/list result: analyze() decides
            return artifact.format is FileFormat.JSON and artifact.size <= MAX_CONFIG_BYTES
        return True

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        kind = kind_of(artifact.member or artifact.relpath)
        raw = artifact.read_bytes(min(limits.max_text_bytes, MAX_CONFIG_BYTES))
        text = raw.decode("utf-8", errors="replace")
        if kind is None:
            if not is_manifest_text(text):
                return
            kind = Kind.MANIFEST
        seen: set[tuple[str, str]] = set()
        count = 0
        for finding in self._findings(artifact, kind, text):
            identity = (finding.rule_id, finding.identity)
            if identity in seen:
                continue
            seen.add(identity)
            yield finding
            count += 1
            if count >= MAX_FINDINGS:
                return

    def _findings(self, artifact: Artifact, kind: Kind, text: str) -> Iterator[Finding]:
        if kind is Kind.RULES:
            yield from _rules_file(artifact, text)
        elif kind is Kind.LOCK:
            yield from _located(artifact, lock_file_hits(artifact, text), Locator())
        elif kind is Kind.MANIFEST:
            yield from _manifest(artifact, text)
        else:
            yield from _config(artifact, kind, text)


def _broken(artifact: Artifact, message: str) -> Finding:
    match = _ERROR_LINE.search(message)
    line = int(match.group(1)) if match else 1
    return make_finding(
        UNPARSEABLE,
        artifact.location(line=line),
        f"Agent configuration could not be analysed: {message}.",
        evidence=message[:200],
        fingerprint_key=f"agt-broken:{_ERROR_LINE.sub('', message)[:120]}",
    )


def _config(artifact: Artifact, kind: Kind, text: str) -> Iterator[Finding]:
    try:
        doc = parse_config(kind, text)
    except ConfigError as exc:
        yield _broken(artifact, str(exc))
        return
    for path, problem in doc.problems[:20]:
        yield make_finding(
            UNPARSEABLE,
            artifact.location(line=doc.line(path)),
            f"Agent configuration has an unexpected shape: {problem}.",
            evidence=problem,
            fingerprint_key=f"agt-shape:{problem}",
        )
    reported = _secret_lines(text)
    for finding in _located(artifact, _config_hits(doc), doc.locator):
        if finding.rule is PLAINTEXT_SECRET and finding.location.line in reported:
            continue  # the secrets analyzer reports it (AIW-SEC), once, with the same redaction
        yield finding
    yield from _located(artifact, drift_hits(artifact, kind, text, doc), doc.locator)


def _secret_lines(text: str) -> frozenset[int]:
    """Lines on which the secrets analyzer reports a secret in this file's text."""
    from aiwarden.analyzers.secrets import find_secrets

    return frozenset(match.line for match in find_secrets(text))


def _config_hits(doc: ConfigDoc) -> Iterator[Hit]:
    yield from _credentials.check_doc(doc)
    for server in doc.servers:
        yield from check_server(server)
        yield from _endpoints.check_server(server)
    yield from _permissions.check_doc(doc)
    yield from _overrides.check_doc(doc)
    yield from _hooks.check_doc(doc)
    yield from _flows.check_doc(doc)
    servers = manifest_servers(doc.root, "config")
    if any(s.tools for s in servers):
        yield from check_manifest(servers)


def _manifest(artifact: Artifact, text: str) -> Iterator[Finding]:
    try:
        parsed = parse_jsonc(text)
    except JsoncError:
        return  # a JSON file named like a manifest that is not one: not ours to report
    servers = manifest_servers(parsed.value, default_server_name(artifact.name))
    if not servers:
        return
    yield from _located(artifact, check_manifest(servers), parsed.locator)
    yield from _located(artifact, drift_hits(artifact, Kind.MANIFEST, text, None), parsed.locator)


def _rules_file(artifact: Artifact, text: str) -> Iterator[Finding]:
    for line, entry in frontmatter_allowances(text):
        yield make_finding(
            AUTO_APPROVAL,
            artifact.location(line=line),
            f"`allowed-tools` in the front matter pre-approves `{entry}`: arbitrary commands, "
            "interpreters or network access run without a prompt when this is invoked.",
            evidence=entry,
            fingerprint_key=f"agt-approve:frontmatter:{entry}",
        )
    for signal in text_signals(text):
        yield make_finding(
            HIDDEN_INSTRUCTIONS,
            artifact.location(line=signal.line),
            f"Agent instruction file contains {signal.name}.",
            severity=signal.severity,
            evidence=signal.excerpt,
            fingerprint_key=f"agt-hidden:{signal.category}:{signal.excerpt[:120]}",
        )


def _located(artifact: Artifact, hits: Iterable[Hit], locator: Locator) -> Iterator[Finding]:
    for hit in hits:
        line = hit.line if hit.line is not None else locator.line(hit.path)
        yield make_finding(
            hit.rule,
            artifact.location(line=line),
            hit.message,
            severity=hit.severity,
            confidence=hit.confidence,
            evidence=hit.evidence,
            fingerprint_key=hit.key,
        )
