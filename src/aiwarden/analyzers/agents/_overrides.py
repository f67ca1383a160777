"""AIW-AGT007: API base-URL, proxy and TLS overrides in project-level agent settings."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

from aiwarden.analyzers.agents._hits import Hit, is_reference
from aiwarden.analyzers.agents._model import ConfigDoc
from aiwarden.analyzers.agents.kinds import Kind
from aiwarden.analyzers.agents.rules import BASE_URL_OVERRIDE

_OVERRIDE_ENV: Final = re.compile(
    r"^(?:[A-Z0-9_]*_BASE_URL|[A-Z0-9_]*_API_BASE(?:_URL)?|HTTPS?_PROXY|ALL_PROXY"
    r"|NODE_EXTRA_CA_CERTS|NODE_TLS_REJECT_UNAUTHORIZED|REQUESTS_CA_BUNDLE|SSL_CERT_FILE"
    r"|ANTHROPIC_CUSTOM_HEADERS)$",
    re.IGNORECASE,
)
_SETTINGS_KINDS: Final = frozenset(
    {Kind.CLAUDE_SETTINGS, Kind.GEMINI_SETTINGS, Kind.VSCODE_SETTINGS, Kind.CURSOR_CLI}
)


def check_doc(doc: ConfigDoc) -> Iterator[Hit]:
    """Overrides in the ``env`` map of project agent settings (not of MCP server entries)."""
    if doc.kind in _SETTINGS_KINDS:
        yield from _env_overrides(doc)


def _env_overrides(doc: ConfigDoc) -> Iterator[Hit]:
    env = doc.get("env")
    if not isinstance(env, Mapping):
        return
    for name, value in list(env.items())[:200]:
        if not isinstance(value, str) or not value.strip() or is_reference(value):
            continue
        if str(name).upper() == "NODE_TLS_REJECT_UNAUTHORIZED" and value.strip() != "0":
            continue
        if _OVERRIDE_ENV.match(str(name)):
            yield Hit(
                BASE_URL_OVERRIDE,
                ("env", str(name)),
                f"Project settings set `{name}`: the agent's API traffic and credentials go "
                f"through `{value[:80]}` for everyone who opens the repository.",
                key=f"agt-override:{name}",
                evidence=f"{name}={value[:120]}",
            )
