"""MCP servers configured in agent and editor settings (Claude, Cursor, VS Code...).

A JSON file is an MCP configuration when it has an ``mcpServers`` mapping (Claude
Desktop, Claude Code ``.mcp.json``, Cursor, Windsurf, Gemini CLI), a ``servers``
mapping in a file named ``mcp.json`` (VS Code), or ``"mcp": {"servers": ...}`` (VS Code
settings). Environment values and header values are never read into the inventory,
only their names; arguments that look like secrets are replaced by ``<redacted>``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from aiwarden.bom._endpoints import clean_url
from aiwarden.bom.model import McpServer, SourceRef

MAX_SERVERS: Final = 500
MAX_ARGS: Final = 64
REDACTED: Final = "<redacted>"
_SECRET_FLAG: Final = re.compile(r"(?i)(token|key|secret|passw|auth|credential|bearer)")
_SECRET_VALUE: Final = re.compile(
    r"^(sk-|sk_|ghp_|gho_|github_pat_|xox[abposr]-|AKIA|hf_|glpat-|AIza)"
    r"|^[A-Za-z0-9+/_=-]{32,}$"
)
_NPM_RUNNERS: Final = frozenset({"npx", "npx.cmd", "bunx", "pnpx"})
_PY_RUNNERS: Final = frozenset({"uvx", "pipx"})
_DOCKER_VALUE_FLAGS: Final = frozenset(
    {"-e", "--env", "-v", "--volume", "--name", "-p", "--publish", "--network", "--mount",
     "--env-file", "-w", "--workdir", "-u", "--user", "--entrypoint", "--platform", "-l"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    spec: dict[str, object]


_COMMENT: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*[\s\S]*?(?:\*/|\Z)')
_TRAILING_COMMA: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|,(?=\s*[}\]])')


def loads_jsonc(text: str) -> object:
    """JSON, or VS Code's JSON with comments and trailing commas (raises ``ValueError``).

    Comments become blank lines (line numbers keep their place); strings are matched as
    whole tokens, so ``"https://x"`` is never mistaken for a comment.
    """
    try:
        return json.loads(text)
    except ValueError:
        pass

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token.startswith('"') else "\n" * token.count("\n")

    cleaned = _COMMENT.sub(blank, text)
    cleaned = _TRAILING_COMMA.sub(lambda m: m.group(0) if m.group(0) != "," else "", cleaned)
    return json.loads(cleaned)


def mcp_servers(text: str, relpath: str) -> list[McpServer]:
    """The MCP servers an MCP configuration file declares (empty for other JSON)."""
    try:
        data = loads_jsonc(text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    entries = _entries(data, relpath.rsplit("/", 1)[-1].lower())
    line_of = _LineOf(text)
    return [_server(entry, SourceRef(relpath, line_of(entry.name))) for entry in entries]


def _entries(data: dict[str, object], name: str) -> list[_Entry]:
    servers = data.get("mcpServers")
    if not isinstance(servers, dict) and name in ("mcp.json", ".mcp.json"):
        servers = data.get("servers")
    if not isinstance(servers, dict):
        mcp = data.get("mcp")
        servers = mcp.get("servers") if isinstance(mcp, dict) else None
    if not isinstance(servers, dict):
        return []
    return [
        _Entry(str(key), spec)
        for key, spec in list(servers.items())[:MAX_SERVERS]
        if isinstance(spec, dict)
    ]


class _LineOf:
    """The line where a server's name first appears as a JSON key."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __call__(self, name: str) -> int | None:
        position = self._text.find(json.dumps(name) + ":")
        if position < 0:
            position = self._text.find(json.dumps(name))
        return self._text.count("\n", 0, position) + 1 if position >= 0 else None


def _server(entry: _Entry, source: SourceRef) -> McpServer:
    spec = entry.spec
    command = spec.get("command")
    command = command[:500] if isinstance(command, str) and command else None
    raw_args = spec.get("args")
    args = (
        [a for a in raw_args if isinstance(a, str)][:MAX_ARGS] if isinstance(raw_args, list) else []
    )
    url_value = spec.get("url") or spec.get("serverUrl") or spec.get("httpUrl")
    url = clean_url(url_value) if isinstance(url_value, str) else None
    env = spec.get("env")
    env_names = tuple(sorted(str(k) for k in env)[:100]) if isinstance(env, dict) else ()
    return McpServer(
        name=entry.name[:200],
        source=source,
        transport=_transport(spec, command, url),
        command=command,
        args=tuple(redact_args(args)),
        url=url or None,
        env_names=env_names,
        package=launched_package(command, args),
    )


def _transport(spec: dict[str, object], command: str | None, url: str | None) -> str:
    declared = spec.get("type") or spec.get("transport")
    if isinstance(declared, str) and declared:
        lower = declared.lower()
        if lower in ("stdio", "sse"):
            return lower
        if "http" in lower:
            return "http"
    if url:
        return "sse" if url.endswith("/sse") else "http"
    return "stdio" if command else "unknown"


def looks_secret(value: str) -> bool:
    """True for a string shaped like an API key or token (``sk-...``, ``ghp_...``, long
    base64 or hex without a slash)."""
    return bool(_SECRET_VALUE.search(value)) and "/" not in value


def redact_args(args: list[str]) -> list[str]:
    """``args`` with secret-looking values (and values of secret-named flags) redacted."""
    result: list[str] = []
    redact_next = False
    for arg in args:
        if redact_next:
            result.append(REDACTED)
            redact_next = False
            continue
        flag, eq, _value = arg.partition("=")
        if arg.startswith("-") and _SECRET_FLAG.search(flag):
            if eq:
                result.append(f"{flag}={REDACTED}")
            else:
                result.append(arg)
                redact_next = True
            continue
        if "://" in arg:
            result.append(clean_url(arg) or REDACTED)
        elif looks_secret(arg):
            result.append(REDACTED)
        else:
            result.append(arg[:500])
    return result


def launched_package(command: str | None, args: list[str]) -> str | None:
    """A purl for the package an ``npx``/``uvx``/``pipx run``/``docker run`` launches."""
    if command is None:
        return None
    runner = command.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if runner in _NPM_RUNNERS:
        name = _first_positional(args, value_flags=frozenset({"-p", "--package"}))
        return _npm_purl(name) if name else None
    if runner in _PY_RUNNERS:
        rest = args[1:] if runner == "pipx" and args[:1] == ["run"] else args
        name = _first_positional(rest, value_flags=frozenset({"--from", "--python", "--with"}))
        return _pypi_purl(name) if name else None
    if runner in ("docker", "podman") and args[:1] == ["run"]:
        image = _first_positional(args[1:], value_flags=_DOCKER_VALUE_FLAGS)
        return _docker_purl(image) if image else None
    return None


def _first_positional(args: list[str], *, value_flags: frozenset[str]) -> str | None:
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in value_flags
            continue
        return arg
    return None


def _npm_purl(spec: str) -> str | None:
    match = re.fullmatch(r"(@[\w.-]+/)?([\w.-]+)(?:@([\w.^~<>=*-]+))?", spec)
    if match is None:
        return None
    scope, name, version = match.groups()
    path = f"{quote(scope[:-1], safe='')}/{name}" if scope else name
    return f"pkg:npm/{path}" + (f"@{version}" if version and version != "latest" else "")


def _pypi_purl(spec: str) -> str | None:
    match = re.fullmatch(r"([A-Za-z0-9][\w.-]*)(?:\[[\w,.-]*\])?(?:==|@)?([\w.+!-]*)", spec)
    if match is None:
        return None
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    version = match.group(2)
    return f"pkg:pypi/{name}" + (f"@{version}" if version and version != "latest" else "")


def _docker_purl(image: str) -> str | None:
    match = re.fullmatch(
        r"([\w.:-]+/)?([\w./-]+?)(?::([\w.-]+))?(?:@(sha256:[0-9a-f]{64}))?", image
    )
    if match is None:
        return None
    registry, path, tag, digest = match.groups()
    qualifiers = ""
    if registry and ("." in registry or ":" in registry):
        qualifiers = f"?repository_url={quote(registry[:-1], safe='')}"
    elif registry:
        path = registry + path
    version = quote(digest, safe="") if digest else tag
    return f"pkg:docker/{path}" + (f"@{version}" if version else "") + qualifiers
