"""The body of the infrastructure analyzer: parse a deployment file and report its hits.

Kept apart from :mod:`.analyzer` so that loading the analyzer registry (every scan) does
not import the YAML, shell and Dockerfile parsers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.infra._compose import compose_hits, compose_services
from aiwarden.analyzers.infra._container import Container, container_hits
from aiwarden.analyzers.infra._dockerfile import DockerfileError, parse_dockerfile
from aiwarden.analyzers.infra._dockerfile_checks import dockerfile_hits
from aiwarden.analyzers.infra._helm import helm_hits
from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._jupyter import json_settings, jupyter_hits
from aiwarden.analyzers.infra._k8s import is_manifest, manifest_hits, to_manifest
from aiwarden.analyzers.infra._policies import PolicyIndex
from aiwarden.analyzers.infra._shell import commands
from aiwarden.analyzers.infra._torchserve import is_torchserve_config, torchserve_hits
from aiwarden.analyzers.infra.files import (
    FileKind,
    is_helm_template,
    kind_by_name,
    looks_like_compose,
    looks_like_manifest,
)
from aiwarden.analyzers.infra.rules import SECRET_IN_MANIFEST, UNPARSEABLE
from aiwarden.analyzers.infra.yaml_documents import Y, YamlBound, YamlBroken, load_documents
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.secrets import find_secrets
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.severity import Severity

MAX_FILE_BYTES: Final = 4 * 1024 * 1024
"""Largest deployment file read (larger ones hit a limit finding)."""
MAX_FINDINGS: Final = 300
_AI_CHART: Final = re.compile(
    r"(?i)ray|mlflow|jupyter|ollama|vllm|triton|kserve|torchserve|llm|gradio|streamlit|langflow"
    r"|text-generation|inference|model"
)
"""Words that make a values file an AI chart's (authentication checks apply to those only)."""


def analyze(artifact: Artifact, limits: Limits) -> Iterator[Finding]:
    """The findings for one deployment file."""
    kind = kind_by_name(artifact.member or artifact.relpath)
    raw = artifact.read_bytes(min(limits.max_text_bytes, MAX_FILE_BYTES))
    if kind is None:
        return
    if b"\x00" in raw[:8192] or _undecodable(raw):
        yield _broken(artifact, kind, "binary content, not text", 1)
        return
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    hits = _hits(artifact, kind, text)
    if hits is None:
        return
    yield from _findings(artifact, text, hits)


def _undecodable(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _hits(artifact: Artifact, kind: FileKind, text: str) -> list[Hit] | None:
    """The hits for ``text``, or None when the file is not ours after all."""
    try:
        if kind is FileKind.DOCKERFILE:
            return dockerfile_hits(parse_dockerfile(text))
        if kind is FileKind.TORCHSERVE:
            return torchserve_hits(text) if is_torchserve_config(text) else None
        if kind is FileKind.JUPYTER:
            return _jupyter(artifact, text)
        if kind is FileKind.SHELL:
            return _shell(text)
        return _yaml(artifact, kind, text)
    except DockerfileError as exc:
        return [_broken_hit(kind, str(exc), exc.line)]


def _jupyter(artifact: Artifact, text: str) -> list[Hit] | None:
    if artifact.name.lower().endswith(".py"):
        return None  # Python configs are checked by the Python analyzer (AIW-PY014, AIW-PY099)
    try:
        return jupyter_hits(json_settings(text))
    except (ValueError, RecursionError) as exc:
        return [_broken_hit(FileKind.JUPYTER, f"invalid JSON: {str(exc)[:120]}", 1)]


def _shell(text: str) -> list[Hit]:
    cmds = commands(text, 1)
    env: Env = {}
    for command in cmds:
        if command.argv and command.argv[0].text == "export":
            for tok in command.argv[1:]:
                name, eq, value = tok.text.partition("=")
                if eq and name.isidentifier():
                    env[name] = EnvVar(value, tok.line)
        elif not command.argv:
            env.update(command.env)
    return container_hits(Container("shell script", "script", commands=cmds, env=env, host=True))


def _yaml(artifact: Artifact, kind: FileKind, text: str) -> list[Hit] | None:
    path = artifact.member or artifact.relpath
    if is_helm_template(path, text):
        return None
    claimed = kind is not FileKind.YAML or looks_like_manifest(text) or looks_like_compose(text)
    if not claimed:
        return None
    try:
        docs = load_documents(text)
    except (YamlBroken, YamlBound) as exc:
        return [_broken_hit(kind, str(exc), exc.line)]
    hits: list[Hit] = []
    manifests = [to_manifest(d) for d in _manifest_docs(docs)]
    if manifests:
        index = PolicyIndex(artifact.path if artifact.member is None else None, manifests)
        hits.extend(manifest_hits(manifests, index.has_policy))
    for doc in docs:
        if is_manifest(doc):
            continue
        services = compose_services(doc) if kind is not FileKind.HELM_VALUES else None
        if services is not None:
            hits.extend(compose_hits(services))
        elif kind is FileKind.COMPOSE and doc.value is not None:
            hits.append(_broken_hit(kind, "no `services` mapping", doc.line, Severity.LOW))
        elif kind is FileKind.HELM_VALUES:
            hits.extend(helm_hits(doc, ai_chart=_AI_CHART.search(text) is not None))
    return hits


def _manifest_docs(docs: list[Y]) -> list[Y]:
    """Kubernetes objects, with the items of ``kind: List`` documents opened up."""
    out: list[Y] = []
    for doc in docs:
        if not isinstance(doc.value, dict) or not is_manifest(doc):
            continue
        kind = doc.get("kind")
        if kind is not None and kind.text() == "List":
            out.extend(
                i for i in doc.list_at("items") if isinstance(i.value, dict) and is_manifest(i)
            )
        else:
            out.append(doc)
    return out


def _broken_hit(kind: FileKind, message: str, line: int, severity: Severity | None = None) -> Hit:
    return Hit(
        UNPARSEABLE,
        line,
        f"{kind.value} could not be analysed: {message}.",
        f"iac-broken:{kind.name}",
        evidence=message[:200],
        severity=severity,
    )


def _broken(artifact: Artifact, kind: FileKind, message: str, line: int) -> Finding:
    hit = _broken_hit(kind, message, line)
    return make_finding(
        UNPARSEABLE,
        artifact.location(line=line),
        hit.message,
        evidence=hit.evidence,
        fingerprint_key=hit.key,
    )


def _findings(artifact: Artifact, text: str, hits: list[Hit]) -> Iterator[Finding]:
    """One finding per (rule, line): messages on the same line are joined."""
    reported = (
        frozenset(m.line for m in find_secrets(text))
        if any(h.rule is SECRET_IN_MANIFEST for h in hits)
        else frozenset()
    )
    grouped: dict[tuple[str, int], list[Hit]] = {}
    for hit in hits:
        if hit.rule is SECRET_IN_MANIFEST and hit.line in reported:
            continue  # the secrets analyzer reports it (AIW-SEC), once
        grouped.setdefault((hit.rule.id, hit.line), []).append(hit)
    for count, group in enumerate(
        sorted(grouped.values(), key=lambda g: (g[0].line, g[0].rule.id))
    ):
        if count >= MAX_FINDINGS:
            return
        yield _merge(artifact, group)


def _merge(artifact: Artifact, group: list[Hit]) -> Finding:
    messages = list(dict.fromkeys(h.message for h in group))
    severities = [h.severity or h.rule.severity for h in group]
    first = group[0]
    return make_finding(
        first.rule,
        artifact.location(line=first.line),
        " ".join(messages),
        severity=max(severities, key=lambda s: s.rank),
        confidence=first.confidence,
        evidence=first.evidence,
        fingerprint_key="|".join(sorted({h.key for h in group})),
    )
