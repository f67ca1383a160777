"""AIW-AGT008: hook and helper commands that agents run automatically."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._model import ConfigDoc
from aiwarden.analyzers.agents.rules import RISKY_HOOK
from aiwarden.core.severity import Severity

MAX_HOOKS: Final = 500
_HELPERS: Final = ("apiKeyHelper", "awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper")
PIPE_TO_SHELL: Final = re.compile(
    r"\b(?:curl|wget|iwr|invoke-webrequest|irm|invoke-restmethod|fetch)\b[^|;&\n]*\|\s*"
    r"(?:sudo\s+)?(?:ba|z|da|k|fi)?sh\b|\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?"
    r"(?:python\d*|node|perl|ruby|php|iex|invoke-expression)\b"
    r"|(?:ba|z)?sh\s+<\(\s*(?:curl|wget)|\$\(\s*(?:curl|wget)[^)]*\)"
    r"|\b(?:iex|invoke-expression)\b[^\n]*\b(?:iwr|irm|downloadstring|webclient)"
    r"|base64\s+(?:-d|--decode)[^|]*\|\s*(?:ba|z)?sh\b|powershell[^\n]*\s-e(?:nc|ncodedcommand)?\s",
    re.IGNORECASE,
)
_CREDENTIALS: Final = re.compile(
    r"~/\.ssh\b|\$\{?HOME\}?/\.ssh\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws/credentials|~/\.aws\b"
    r"|(?<![\w\-/])\.env\b(?![\w.]*\.(?:example|sample|template|dist)\b)"
    r"|\.netrc\b|\.npmrc\b|\.pypirc\b"
    r"|\.git-credentials\b|\.kube/config\b|\.docker/config\.json|\.config/gcloud|\.gnupg\b"
    r"|/etc/(?:passwd|shadow)\b|security\s+find-(?:generic|internet)-password|\bkeychain\b"
    r"|\bprintenv\b|\benv\s*\|",
    re.IGNORECASE,
)
_NETWORK: Final = re.compile(
    r"\b(?:curl|wget|nc|ncat|netcat|socat|telnet|ftp|scp|sftp|rsync\s+\S+:|ssh"
    r"|invoke-webrequest|invoke-restmethod|iwr|irm)\b|/dev/(?:tcp|udp)/|\bhttps?://",
    re.IGNORECASE,
)
_DESTRUCTIVE: Final = re.compile(r"\brm\s+-[a-z]*r[a-z]*f?\s+(?:/|~|\$HOME|\*)(?:\s|$)", re.I)


def hook_commands(doc: ConfigDoc) -> Iterator[tuple[JsonPath, str]]:
    """Every command string the client runs on its own: hooks, helpers, status lines."""
    hooks = doc.get("hooks")
    if isinstance(hooks, Mapping | list):
        yield from _commands(hooks, ("hooks",), 0)
    for key in _HELPERS:
        value = doc.get(key)
        if isinstance(value, str):
            yield (key,), value
    status = doc.get("statusLine", "command")
    if isinstance(status, str):
        yield ("statusLine", "command"), status
    notify = doc.get("notify")
    if isinstance(notify, list) and notify and all(isinstance(n, str) for n in notify):
        yield ("notify",), " ".join(str(n) for n in notify)


def _commands(node: object, path: JsonPath, depth: int) -> Iterator[tuple[JsonPath, str]]:
    if depth > 8:
        return
    if isinstance(node, Mapping):
        for key, value in list(node.items())[:MAX_HOOKS]:
            child = (*path, str(key))
            if key in ("command", "bash", "powershell") and isinstance(value, str):
                yield child, value
            else:
                yield from _commands(value, child, depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:MAX_HOOKS]):
            yield from _commands(value, (*path, index), depth + 1)


def check_doc(doc: ConfigDoc) -> Iterator[Hit]:
    """One finding per risky hook command, at the most severe of its reasons."""
    for path, command in hook_commands(doc):
        reasons, severity = hook_risks(command)
        if reasons:
            yield Hit(
                RISKY_HOOK,
                path,
                f"Hook command {'; '.join(reasons)}: `{command[:120]}`.",
                key=f"agt-hook:{command[:200]}",
                evidence=command[:200],
                severity=severity,
            )


def hook_risks(command: str) -> tuple[list[str], Severity]:
    """The reasons ``command`` is risky and the severity of the worst one."""
    text = command[:8192]
    high: list[str] = []
    if PIPE_TO_SHELL.search(text):
        high.append("downloads code and runs it")
    if _CREDENTIALS.search(text):
        high.append("touches credentials or secrets")
    if _DESTRUCTIVE.search(text):
        high.append("deletes recursively from a root or home directory")
    if high:
        return high, Severity.HIGH
    if _NETWORK.search(text):
        return ["makes network calls"], Severity.MEDIUM
    if unquoted_variable(text):
        return ["expands a variable outside quotes (shell injection through its value)"], (
            Severity.LOW
        )
    return [], Severity.LOW


def unquoted_variable(command: str) -> bool:
    """True if a ``$VAR`` / ``${VAR}`` expansion in ``command`` is outside double quotes."""
    quote = ""
    index = 0
    while index < len(command):
        ch = command[index]
        if ch == "\\" and quote != "'":
            index += 2
            continue
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif (
            ch == "$"
            and index + 1 < len(command)
            and (command[index + 1].isalpha() or command[index + 1] in "_{")
        ):
            return True
        index += 1
    return False
