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
from aiwarden.analyzers.agents.kinds import Kind, is_manifest_text, kind_of
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
        _drift,
        _endpoints,
        _flows,
        _frontmatter,
        _hidden_text,
        _hooks,
        _jsonc,
        _overrides,
        _parse,
        _permissions,
        _servers,
        _tool_checks,
    )
    from aiwarden.analyzers.agents import _manifest as manifests
    from aiwarden.analyzers.agents._hits import Hit
    from aiwarden.analyzers.agents._jsonc import Locator
    from aiwarden.analyzers.agents._model import ConfigDoc
else:  # the checks (and the secret patterns) load when an agent config turns up
    manifests = lazy_import("aiwarden.analyzers.agents._manifest")
    _credentials = lazy_import("aiwarden.analyzers.agents._credentials")
    _drift = lazy_import("aiwarden.analyzers.agents._drift")
    _endpoints = lazy_import("aiwarden.analyzers.agents._endpoints")
    _flows = lazy_import("aiwarden.analyzers.agents._flows")
    _frontmatter = lazy_import("aiwarden.analyzers.agents._frontmatter")
    _hidden_text = lazy_import("aiwarden.analyzers.agents._hidden_text")
    _hooks = lazy_import("aiwarden.analyzers.agents._hooks")
    _jsonc = lazy_import("aiwarden.analyzers.agents._jsonc")
    _overrides = lazy_import("aiwarden.analyzers.agents._overrides")
    _parse = lazy_import("aiwarden.analyzers.agents._parse")
    _permissions = lazy_import("aiwarden.analyzers.agents._permissions")
    _servers = lazy_import("aiwarden.analyzers.agents._servers")
    _tool_checks = lazy_import("aiwarden.analyzers.agents._tool_checks")

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
            yield from _located(artifact, _drift.lock_file_hits(artifact, text), _jsonc.Locator())
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
        doc = _parse.parse_config(kind, text)
    except _parse.ConfigError as exc:
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
    yield from _located(artifact, _drift.drift_hits(artifact, kind, text, doc), doc.locator)


def _secret_lines(text: str) -> frozenset[int]:
    """Lines on which the secrets analyzer reports a secret in this file's text."""
    from aiwarden.analyzers.secrets import find_secrets

    return frozenset(match.line for match in find_secrets(text))


def _config_hits(doc: ConfigDoc) -> Iterator[Hit]:
    yield from _credentials.check_doc(doc)
    for server in doc.servers:
        yield from _servers.check_server(server)
        yield from _endpoints.check_server(server)
    yield from _permissions.check_doc(doc)
    yield from _overrides.check_doc(doc)
    yield from _hooks.check_doc(doc)
    yield from _flows.check_doc(doc)
    servers = manifests.manifest_servers(doc.root, "config")
    if any(s.tools for s in servers):
        yield from _tool_checks.check_manifest(servers)


def _manifest(artifact: Artifact, text: str) -> Iterator[Finding]:
    try:
        parsed = _jsonc.parse_jsonc(text)
    except _jsonc.JsoncError:
        return  # a JSON file named like a manifest that is not one: not ours to report
    servers = manifests.manifest_servers(parsed.value, manifests.default_server_name(artifact.name))
    if not servers:
        return
    yield from _located(artifact, _tool_checks.check_manifest(servers), parsed.locator)
    yield from _located(
        artifact, _drift.drift_hits(artifact, Kind.MANIFEST, text, None), parsed.locator
    )


def _rules_file(artifact: Artifact, text: str) -> Iterator[Finding]:
    for line, entry in _frontmatter.frontmatter_allowances(text):
        yield make_finding(
            AUTO_APPROVAL,
            artifact.location(line=line),
            f"`allowed-tools` in the front matter pre-approves `{entry}`: arbitrary commands, "
            "interpreters or network access run without a prompt when this is invoked.",
            evidence=entry,
            fingerprint_key=f"agt-approve:frontmatter:{entry}",
        )
    for signal in _hidden_text.text_signals(text):
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
