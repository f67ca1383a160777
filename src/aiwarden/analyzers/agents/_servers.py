"""Per-server launch checks: AIW-AGT002 unpinned, AGT003 vulnerable, AGT005 over-broad."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from aiwarden.analyzers.agents._advisories import advisory_for
from aiwarden.analyzers.agents._hits import Hit
from aiwarden.analyzers.agents._launch import Launch, Token, launch_of
from aiwarden.analyzers.agents._model import Server
from aiwarden.analyzers.agents.rules import OVERBROAD_GRANT, UNPINNED_LAUNCH, VULNERABLE_PACKAGE

BROAD_PATH: Final = re.compile(
    r"^(?:/|~|\$HOME|\$\{HOME\}|\$\{env:HOME\}|\$\{userHome\}|%USERPROFILE%|%HOMEDRIVE%%HOMEPATH%"
    r"|[A-Za-z]:|\.\.(?:[\\/]\.\.)*|/home|/Users|/root|/etc|/var|/usr|/opt|/private"
    r"|/home/[^/\\]+|/Users/[^/\\]+|[A-Za-z]:[\\/]Users(?:[\\/][^/\\]+)?"
    r"|/mnt/[a-z]|/Volumes/[^/\\]+)[\\/]*$"
)
_SENSITIVE_MOUNT: Final = re.compile(
    r"docker\.sock|/\.ssh\b|/\.aws\b|/\.kube\b|/\.gnupg\b|/\.config/gcloud|/\.docker\b|^/proc\b"
    r"|^/sys\b|^/dev\b|^/etc\b",
    re.IGNORECASE,
)
_SHELL_NAME: Final = re.compile(
    r"(?:^|[-_/@.:])(?:shell|terminal|bash|zsh|powershell|pwsh|cmd|exec|commands?|run-?commands?"
    r"|desktop-commander|code-?runner|code-?executor|code-?interpreter|ssh|iterm|tmux|repl)"
    r"(?:$|[-_/@.:])",
    re.IGNORECASE,
)
_PATH_FLAG: Final = re.compile(
    r"^--?(?:repository|repo|root|roots|dir|dirs|directory|directories|allowed[-_]?(?:dirs?"
    r"|directories|paths?)|workspace|workspace[-_]root|path|paths|base[-_]?dir|project[-_]?dir"
    r"|mount|cwd)$",
    re.IGNORECASE,
)
_DANGEROUS_CAPS: Final = frozenset({"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_ADMIN"})


def check_server(server: Server) -> Iterator[Hit]:
    """Launch findings for one server entry."""
    launch = launch_of(server)
    yield from _unpinned(server, launch)
    yield from _vulnerable(server, launch)
    yield from _filesystem_roots(server, launch)
    yield from _docker_grants(server, launch)
    yield from _shell_server(server, launch)


def _unpinned(server: Server, launch: Launch) -> Iterator[Hit]:
    if not launch.runner or launch.pinned or launch.spec is None:
        return
    path, spec = launch.spec
    runner = "docker run" if launch.runner == "docker" else launch.runner
    yield Hit(
        UNPINNED_LAUNCH,
        path,
        f"Server `{server.name}` runs `{runner} {spec}` with {launch.why_unpinned}: whatever "
        "is published at launch time is executed.",
        key=f"agt-unpinned:{server.name}:{launch.runner}:{launch.name or spec}",
        evidence=" ".join(word for _, word in launch.tokens[:8])[:200],
    )


def _vulnerable(server: Server, launch: Launch) -> Iterator[Hit]:
    if not launch.ecosystem or not launch.name or not launch.version or launch.spec is None:
        return
    found = advisory_for(launch.ecosystem, launch.name, launch.version.lstrip("=@"))
    if found is None:
        return
    advisory, fixed = found
    yield Hit(
        VULNERABLE_PACKAGE,
        launch.spec[0],
        f"Server `{server.name}` launches {launch.name} {launch.version}, affected by "
        f"{', '.join(advisory.ids)} ({advisory.summary}); fixed in {fixed}.",
        key=f"agt-vuln:{server.name}:{launch.name}:{launch.version}",
        evidence=launch.spec[1],
    )


def _is_filesystem(server: Server, launch: Launch) -> bool:
    names = f"{launch.name or ''} {server.name}".lower()
    return "filesystem" in names or "file-system" in names or names.startswith("fs ")


def _filesystem_roots(server: Server, launch: Launch) -> Iterator[Hit]:
    filesystem = _is_filesystem(server, launch)
    previous = ""
    for path, arg in launch.rest or list(server.args):
        flag, sep, inline = arg.partition("=")
        if sep and _PATH_FLAG.match(flag):
            value, granted = inline, True
        else:
            value = arg
            granted = (filesystem and not arg.startswith("-")) or bool(_PATH_FLAG.match(previous))
        previous = arg
        if granted and BROAD_PATH.match(value.strip()):
            yield Hit(
                OVERBROAD_GRANT,
                path,
                f"Server `{server.name}` is granted `{value}`: the agent (and any prompt "
                "injection steering it) can reach everything under it.",
                key=f"agt-fsroot:{server.name}:{value}",
                evidence=arg,
            )


def _docker_grants(server: Server, launch: Launch) -> Iterator[Hit]:
    if launch.runner != "docker":
        return
    options = launch.options
    for index, (path, word) in enumerate(options):
        value = options[index + 1][1] if index + 1 < len(options) else ""
        reason = _docker_reason(word, value)
        if reason:
            yield Hit(
                OVERBROAD_GRANT,
                path,
                f"Server `{server.name}` runs its container with {reason}.",
                key=f"agt-docker:{server.name}:{reason}",
                evidence=f"{word} {value}".strip() if "=" not in word else word,
            )


def _docker_reason(word: str, value: str) -> str:
    name, _, inline = word.partition("=")
    value = inline or value
    if name == "--privileged":
        return "`--privileged` (full access to the host's devices and kernel)"
    if name in ("--network", "--net", "--pid", "--ipc", "--uts") and value == "host":
        return f"`{name} host` (the host's {name.lstrip('-')} namespace)"
    if name == "--cap-add" and value.upper().removeprefix("CAP_") in _DANGEROUS_CAPS:
        return f"`--cap-add {value}`"
    if name == "--security-opt" and value.endswith("unconfined"):
        return f"`--security-opt {value}`"
    if name in ("-v", "--volume", "--mount"):
        source = _mount_source(name, value)
        if source and (BROAD_PATH.match(source) or _SENSITIVE_MOUNT.search(source)):
            return f"the host path `{source}` mounted into it"
    return ""


def _mount_source(name: str, value: str) -> str:
    if name == "--mount":
        fields = dict(part.partition("=")[::2] for part in value.split(","))
        return fields.get("source") or fields.get("src") or ""
    if re.match(r"^[A-Za-z]:[\\/]", value):
        drive, _, rest = value.partition(":")
        return f"{drive}:{rest.split(':', 1)[0]}"
    return value.split(":", 1)[0]


def _shell_server(server: Server, launch: Launch) -> Iterator[Hit]:
    subject: Token | None = launch.spec
    candidates = [launch.name or "", server.name]
    if subject is None:
        subject = (server.path, server.name)
    matched = next((c for c in candidates if c and _SHELL_NAME.search(c)), None)
    if matched is None:
        return
    yield Hit(
        OVERBROAD_GRANT,
        subject[0],
        f"Server `{server.name}` (`{matched}`) gives the agent a shell or command execution: "
        "anything the model is talked into becomes a command on this machine.",
        key=f"agt-shell:{server.name}:{matched}",
        evidence=matched,
    )
