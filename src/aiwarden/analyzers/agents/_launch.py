"""What a server's launch command runs: the package runner, the package spec, the rest.

Only argv is read (never executed). Wrappers are unwrapped first: ``cmd /c npx …``,
``sh -c "npx …"``, ``env A=1 npx …`` and a whole command line written into ``command``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.agents._jsonc import JsonPath
from aiwarden.analyzers.agents._model import Server

Token = tuple[JsonPath, str]

_NPX: Final = frozenset({"npx", "bunx", "pnpx"})
_NPX_DLX: Final = {"pnpm": "dlx", "yarn": "dlx", "npm": "exec", "bun": "x"}
_NPX_VALUE_OPTS: Final = frozenset({"-p", "--package", "--registry", "--cache", "-c", "--call"})
_UVX_VALUE_OPTS: Final = frozenset(
    {
        "--from", "--with", "--python", "-p", "--index-url", "-i", "--index",
        "--extra-index-url", "--directory", "--env-file", "--with-requirements",
        "--with-editable", "--constraints", "-c", "--cache-dir", "--python-preference",
    }
)  # fmt: skip
_PIPX_VALUE_OPTS: Final = frozenset({"--spec", "--python", "--index-url", "--pip-args"})
_DOCKER: Final = frozenset({"docker", "podman", "nerdctl"})
DOCKER_VALUE_OPTS: Final = frozenset(
    {
        "-e", "--env", "-v", "--volume", "--name", "-p", "--publish", "--network", "--net",
        "--env-file", "-w", "--workdir", "-u", "--user", "--mount", "--entrypoint", "-l",
        "--label", "--platform", "--pull", "--cpus", "-m", "--memory", "-h", "--hostname",
        "--add-host", "--device", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs",
        "--ulimit", "--log-driver", "--log-opt", "--restart", "--gpus", "--ipc", "--pid",
        "--dns", "--group-add", "--runtime", "--shm-size", "--userns", "--uts", "--cgroupns",
        "--volumes-from", "--expose", "--link", "--stop-signal", "--health-cmd",
    }
)  # fmt: skip
_SHELLS: Final = frozenset({"sh", "bash", "zsh", "dash", "ash"})
_EXACT_SEMVER: Final = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_NPM_SPEC: Final = re.compile(r"^(?P<name>(?:@[^/@\s]+/)?[^@\s/]+)(?:@(?P<version>[^\s]*))?$")
_PY_SPEC: Final = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*"
    r"(?:(?P<op>==|===|@|>=|<=|~=|!=|>|<)\s*(?P<version>.*))?$"
)
_EXACT_PY: Final = re.compile(r"^v?\d+(?:\.\d+)*(?:[-.+]?[A-Za-z0-9.+-]+)?$")
_COMMIT: Final = re.compile(r"[#@](?P<sha>[0-9a-fA-F]{7,40})$")
_ENV_ASSIGN: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
MAX_UNWRAP: Final = 4
MAX_SPLIT: Final = 8192
"""Longest command line split into words (shlex is slow on megabytes)."""


@dataclass
class Launch:
    """The package a server runs and how (``runner`` is ``""`` for anything else)."""

    runner: str = ""
    tokens: list[Token] = field(default_factory=list)
    spec: Token | None = None
    name: str | None = None
    version: str | None = None
    pinned: bool = True
    why_unpinned: str = ""
    rest: list[Token] = field(default_factory=list)
    options: list[Token] = field(default_factory=list)

    @property
    def ecosystem(self) -> str:
        """``npm``, ``pypi``, ``docker`` or ``""``."""
        return {"npx": "npm", "uvx": "pypi", "pipx": "pypi", "docker": "docker"}.get(
            self.runner, ""
        )


def launch_of(server: Server) -> Launch:
    """The :class:`Launch` of ``server`` (its ``command`` and ``args``)."""
    tokens: list[Token] = []
    if server.command:
        tokens.append((server.key_path("command"), server.command))
    tokens.extend(server.args)
    tokens = _unwrap(tokens)
    launch = Launch(tokens=tokens)
    if not tokens:
        return launch
    program = _program(tokens[0][1])
    rest = tokens[1:]
    if rest and (_NPX_DLX.get(program) == rest[0][1] or (program, rest[0][1]) == ("npm", "x")):
        program, rest = "npx", rest[1:]
    if program in _NPX:
        _npx(launch, rest)
    elif program == "uvx" or (program == "uv" and rest[:2] and _words(rest[:2]) == ["tool", "run"]):
        _uvx(launch, rest if program == "uvx" else rest[2:])
    elif program == "pipx" and rest and rest[0][1] == "run":
        _pipx(launch, rest[1:])
    elif program in _DOCKER:
        _docker(launch, rest)
    return launch


def _words(tokens: list[Token]) -> list[str]:
    return [value for _, value in tokens]


def _program(command: str) -> str:
    base = command.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".cmd", ".exe", ".bat", ".ps1"):
        base = base.removesuffix(suffix)
    return base


def _unwrap(tokens: list[Token]) -> list[Token]:
    for _ in range(MAX_UNWRAP):
        if not tokens:
            return tokens
        path, first = tokens[0]
        program = _program(first)
        if len(tokens) == 1 and (" " in first.strip()):
            tokens = _split(path, first)
        elif program == "cmd" and len(tokens) > 2 and tokens[1][1].lower() in ("/c", "/k"):
            tokens = tokens[2:]
        elif program in _SHELLS and len(tokens) > 2 and tokens[1][1] in ("-c", "-lc", "-ic"):
            tokens = _split(*tokens[2])
        elif program == "env":
            tokens = [t for t in tokens[1:] if not _ENV_ASSIGN.match(t[1])]
        else:
            return tokens
    return tokens


def _split(path: JsonPath, text: str) -> list[Token]:
    text = text[:MAX_SPLIT]
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    words = words[: words.index("&&")] if "&&" in words else words
    return [(path, word) for word in words[:200]]


def _positionals(
    tokens: list[Token], value_opts: frozenset[str]
) -> tuple[list[Token], list[Token]]:
    """Split ``tokens`` into (options with their values, positionals) up to the first positional."""
    options: list[Token] = []
    index = 0
    while index < len(tokens):
        word = tokens[index][1]
        if word == "--":
            return options, tokens[index + 1 :]
        if not word.startswith("-") or word == "-":
            return options, tokens[index:]
        options.append(tokens[index])
        if word in value_opts and index + 1 < len(tokens):
            options.append(tokens[index + 1])
            index += 1
        index += 1
    return options, []


def _option_value(options: list[Token], *names: str) -> Token | None:
    for index, (path, word) in enumerate(options):
        for name in names:
            if word == name and index + 1 < len(options):
                return options[index + 1]
            if word.startswith(name + "="):
                return path, word.split("=", 1)[1]
    return None


def _npx(launch: Launch, tokens: list[Token]) -> None:
    launch.runner = "npx"
    options, positionals = _positionals(tokens, _NPX_VALUE_OPTS)
    launch.options = options
    spec = _option_value(options, "-p", "--package")
    if spec is None and positionals:
        spec, positionals = positionals[0], positionals[1:]
    launch.rest = positionals
    if spec is not None:
        _judge_npm(launch, spec)


def _judge_npm(launch: Launch, spec: Token) -> None:
    launch.spec = spec
    text = spec[1]
    if text.startswith((".", "/", "~", "file:")) or "\\" in text or text.endswith((".js", ".mjs")):
        launch.runner = ""
        return
    if text.startswith(("http://", "https://")):
        launch.pinned, launch.why_unpinned = False, "a tarball URL"
        return
    if text.startswith(("git+", "git:", "github:", "gitlab:", "bitbucket:")) or (
        "/" in text and not text.startswith("@")
    ):
        _judge_git(launch, text)
        return
    match = _NPM_SPEC.match(text)
    if match is None:
        return
    launch.name, launch.version = match.group("name"), match.group("version")
    if not launch.version:
        launch.pinned, launch.why_unpinned = False, "no version"
    elif not _EXACT_SEMVER.match(launch.version):
        tag = launch.version.isalpha()
        what = "the mutable dist-tag" if tag else "the version range"
        launch.pinned, launch.why_unpinned = False, f"{what} `{launch.version}`"


def _judge_git(launch: Launch, text: str) -> None:
    launch.name = text
    if _COMMIT.search(text) is None:
        launch.pinned, launch.why_unpinned = False, "a Git source without a commit"


def _uvx(launch: Launch, tokens: list[Token]) -> None:
    launch.runner = "uvx"
    options, positionals = _positionals(tokens, _UVX_VALUE_OPTS)
    launch.options = options
    spec = _option_value(options, "--from")
    if positionals:
        launch.rest = positionals[1:]
        spec = spec or positionals[0]
    if spec is not None:
        _judge_python(launch, spec)


def _pipx(launch: Launch, tokens: list[Token]) -> None:
    launch.runner = "pipx"
    options, positionals = _positionals(tokens, _PIPX_VALUE_OPTS)
    launch.options = options
    spec = _option_value(options, "--spec")
    if positionals:
        launch.rest = positionals[1:]
        spec = spec or positionals[0]
    if spec is not None:
        _judge_python(launch, spec)


def _judge_python(launch: Launch, spec: Token) -> None:
    launch.spec = spec
    text = spec[1].strip()
    if text.startswith((".", "/", "~", "file:")) or "\\" in text:
        launch.runner = ""
        return
    if "git+" in text or text.startswith(("http://", "https://")):
        _judge_git(launch, text.split(" @ ", 1)[-1])
        return
    match = _PY_SPEC.match(text)
    if match is None:
        return
    launch.name, launch.version = match.group("name").lower(), match.group("version")
    op = match.group("op")
    if op is None or not launch.version:
        launch.pinned, launch.why_unpinned = False, "no version"
    elif op not in ("==", "===", "@") or not _EXACT_PY.match(launch.version.strip()):
        launch.pinned, launch.why_unpinned = False, f"the inexact specifier `{op}{launch.version}`"


def _docker(launch: Launch, tokens: list[Token]) -> None:
    words = _words(tokens[:2])
    if words[:1] == ["run"]:
        tokens = tokens[1:]
    elif words == ["container", "run"]:
        tokens = tokens[2:]
    else:
        return
    launch.runner = "docker"
    options, positionals = _positionals(tokens, DOCKER_VALUE_OPTS)
    launch.options = options
    if not positionals:
        return
    launch.spec, launch.rest = positionals[0], positionals[1:]
    image = positionals[0][1]
    name, tag, digest = split_image(image)
    launch.name, launch.version = name, tag
    if digest:
        return
    if not tag:
        launch.pinned, launch.why_unpinned = False, "no tag or digest"
    elif tag == "latest":
        launch.pinned, launch.why_unpinned = False, "the mutable `latest` tag"


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """``(name, tag, digest)`` of an image reference (``registry:5000/a/b:1.0@sha256:…``)."""
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
    last = image.rsplit("/", 1)
    if ":" in last[-1]:
        name, tag = image.rsplit(":", 1)
        return name, tag, digest
    return image, None, digest
