"""AIW-AGT001: credentials written into server entries and agent settings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from aiwarden.analyzers.agents._hits import Hit, is_placeholder, redact
from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._model import ConfigDoc, Server
from aiwarden.analyzers.agents.rules import PLAINTEXT_SECRET
from aiwarden.analyzers.secrets import find_secrets
from aiwarden.core.severity import Confidence

_SECRET_NAME: Final = re.compile(
    r"(?:^|_)(?:API_?KEY|APIKEY|ACCESS_?KEY|SECRET(?:_?KEY)?|CLIENT_SECRET|TOKEN|AUTH_?TOKEN"
    r"|ACCESS_TOKEN|REFRESH_TOKEN|BEARER(?:_TOKEN)?|PASSWORD|PASSWD|PWD|PASS|PAT"
    r"|PRIVATE_?KEY|CREDENTIALS?|AUTHORIZATION|API_?SECRET|SIGNING_?KEY|WEBHOOK_?SECRET"
    r"|SESSION_?(?:KEY|TOKEN)|KEY)(?:_?\d+)?$"
)
_SECRET_FLAG: Final = re.compile(
    r"^--?(?:api[-_]?key|token|access[-_]?token|auth[-_]?token|password|secret|"
    r"client[-_]secret|bearer|pat|key)$",
    re.IGNORECASE,
)
_WEAK_NAME: Final = re.compile(r"(?:^|_)(?:KEY|PASS|PAT|PWD)(?:_?\d+)?$")
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ASSIGN: Final = re.compile(r"^(?:--?)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)=(?P<value>.+)$")
_HEADER_ARG: Final = re.compile(r"^\s*([A-Za-z0-9_-]{1,80})\s*:\s*(.+?)\s*$")
_BEARER: Final = re.compile(r"^\s*(?:Bearer|Basic|Token|Bot)\s+(?P<value>\S+)\s*$", re.IGNORECASE)
_SETTINGS_ENV_KEYS: Final = ("env",)


def _normal(name: str) -> str:
    return _CAMEL.sub("_", name.strip()).upper().replace("-", "_").replace(".", "_")


def secret_name(name: str) -> bool:
    """True for a key or variable name that holds a credential (``GITHUB_TOKEN``, ``apiKey``)."""
    return _SECRET_NAME.search(_normal(name)) is not None


def _weak_name(name: str) -> bool:
    """Names whose secret word is ambiguous (``KEY``, ``PASS``, ``PAT``, ``PWD``)."""
    return _WEAK_NAME.search(_normal(name)) is not None


def secret_value(value: str) -> bool:
    """True for a literal that could be a credential: not a placeholder, path or URL."""
    text = value.strip()
    if is_placeholder(text) or " " in text or text.startswith(("/", "./", "~", "http")):
        return False
    classes = sum(
        (any(c.islower() for c in text), any(c.isupper() for c in text),
         any(c.isdigit() for c in text), any(not c.isalnum() for c in text))
    )  # fmt: skip
    return classes >= 2 or len(text) >= 20


def check_doc(doc: ConfigDoc) -> Iterator[Hit]:
    """Secrets in every server entry of ``doc`` and in its settings' ``env`` maps."""
    seen: set[JsonPath] = set()
    for server in doc.servers:
        for hit in _server_hits(server):
            if hit.path not in seen:
                seen.add(hit.path)
                yield hit
    for hit in _settings_hits(doc):
        if hit.path not in seen:
            seen.add(hit.path)
            yield hit


def _server_hits(server: Server) -> Iterator[Hit]:
    for path, text in server.strings():
        yield from _pattern_hits(server.name, path, text)
    for path, name, value in (*server.env, *server.headers):
        yield from _named_value(server.name, path, name, value)
    for key, item in list(server.entry.items())[:100]:
        if isinstance(item, str) and key not in ("command", "url"):
            yield from _named_value(server.name, server.key_path(str(key)), str(key), item)
    previous = ""
    for path, arg in server.args:
        if _SECRET_FLAG.match(previous) and secret_value(arg):
            yield _hit(server.name, path, f"the value of `{previous}`", arg)
        assign = _ASSIGN.match(arg)
        if assign and secret_name(assign.group("name")):
            yield from _named_value(server.name, path, assign.group("name"), assign.group("value"))
        header = _HEADER_ARG.match(arg) if previous in ("--header", "-H") else None
        if header is not None:
            yield from _named_value(server.name, path, header.group(1), header.group(2))
        previous = arg
    if server.url is not None:
        yield from _url_hits(server.name, *server.url)


def _settings_hits(doc: ConfigDoc) -> Iterator[Hit]:
    env = doc.get("env")
    if isinstance(env, dict):
        for name, value in list(env.items())[:200]:
            if isinstance(value, str):
                yield from _named_value("settings", ("env", str(name)), str(name), value)
                yield from _pattern_hits("settings", ("env", str(name)), value)


def _named_value(owner: str, path: JsonPath, name: str, value: str) -> Iterator[Hit]:
    bearer = _BEARER.match(value)
    if bearer is not None and name.lower() in ("authorization", "proxy-authorization"):
        if secret_value(bearer.group("value")):
            yield _hit(owner, path, f"`{name}`", bearer.group("value"))
        return
    if secret_name(name) and secret_value(value):
        if _weak_name(name) and (len(value) < 16 or value.replace("-", "").isalpha()):
            return
        yield _hit(owner, path, f"`{name}`", value)


def _url_hits(owner: str, path: JsonPath, url: str) -> Iterator[Hit]:
    try:
        parts = urlsplit(url.strip())
        password = parts.password
    except ValueError:
        return
    if password and not is_placeholder(password) and len(password) >= 4:
        yield _hit(owner, path, "the password in the URL", password)
        return
    for name, value in parse_qsl(parts.query)[:50]:
        if secret_name(name) and secret_value(value):
            yield _hit(owner, path, f"the `{name}` URL parameter", value)
            return


def _pattern_hits(owner: str, path: JsonPath, text: str) -> Iterator[Hit]:
    for match in find_secrets(text[:65_536], max_matches=3):
        yield Hit(
            PLAINTEXT_SECRET,
            path,
            f"{match.provider} {match.kind} written into `{owner}`: {match.evidence}.",
            key=f"agt-secret:{owner}:{match.fingerprint_key}",
            evidence=match.evidence,
            confidence=match.confidence,
        )


def _hit(owner: str, path: JsonPath, what: str, value: str) -> Hit:
    shown = redact(value)
    return Hit(
        PLAINTEXT_SECRET,
        path,
        f"Plaintext credential in {what} of `{owner}`: {shown}; reference a variable instead.",
        key=f"agt-secret:{owner}:{path[-1]}:{len(value)}",
        evidence=shown,
        confidence=Confidence.HIGH if len(value) >= 16 else Confidence.MEDIUM,
    )
