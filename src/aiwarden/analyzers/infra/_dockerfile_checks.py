"""Checks over a parsed Dockerfile."""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.infra._container import Container, container_hits, image_hits
from aiwarden.analyzers.infra._dockerfile import Instruction
from aiwarden.analyzers.infra._fetch import _WEIGHTS
from aiwarden.analyzers.infra._hits import Env, EnvVar, Hit
from aiwarden.analyzers.infra._kinds import image_kind
from aiwarden.analyzers.infra._secretish import secret_hit
from aiwarden.analyzers.infra._shell import Command, Tok, commands, commands_from_tokens
from aiwarden.analyzers.infra.rules import OVER_PRIVILEGED, UNVERIFIED_MODEL_FETCH

_VAR: Final = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}?")
_IMPLICIT_SERVERS: Final = {"vllm": ["python3", "-m", "vllm.entrypoints.openai.api_server"]}


def dockerfile_hits(instructions: list[Instruction]) -> list[Hit]:
    """Every finding for one Dockerfile."""
    hits: list[Hit] = []
    args: dict[str, str] = {}
    stages: set[str] = set()
    env: Env = {}
    runs: list[Command] = []
    base: str | None = None
    user: Tok | None = None
    entrypoint: Instruction | None = None
    cmd: Instruction | None = None
    for ins in instructions:
        if ins.keyword == "ARG":
            hits.extend(_arg(ins, args))
        elif ins.keyword == "FROM":
            base, user, entrypoint, cmd = _from(ins, args, stages, hits), None, None, None
        elif ins.keyword == "ENV":
            env.update(_assignments(ins.words()))
        elif ins.keyword == "RUN":
            runs.extend(_run_commands(ins))
        elif ins.keyword == "ADD":
            hits.extend(_add(ins))
        elif ins.keyword == "USER":
            user = ins.words()[0] if ins.words() else None
        elif ins.keyword == "ENTRYPOINT":
            entrypoint = ins
        elif ins.keyword == "CMD":
            cmd = ins
    start = _start_commands(entrypoint, cmd, base)
    container = Container("Dockerfile", "image", base, commands=[*runs, *start], env=env)
    hits.extend(container_hits(container, image_rule=False))
    if user is not None and user.text.split(":", 1)[0] in ("root", "0"):
        hits.append(
            Hit(
                OVER_PRIVILEGED,
                user.line,
                "The image's final USER is root.",
                "iac-priv:dockerfile-root",
            )
        )
    return hits


def _arg(ins: Instruction, args: dict[str, str]) -> list[Hit]:
    hits: list[Hit] = []
    for name, var in _assignments(ins.words()).items():
        args.setdefault(name, var.value)
        hit = secret_hit(name, var.value, var.line, "Dockerfile ARG")
        if hit is not None:
            hits.append(hit)
    return hits


def _from(ins: Instruction, args: dict[str, str], stages: set[str], hits: list[Hit]) -> str | None:
    words = [t.text for t in ins.words() if not t.text.startswith("--")]
    if not words:
        return None
    image = _VAR.sub(lambda m: args.get(m.group(1), m.group(0)), words[0])
    if len(words) >= 3 and words[1].lower() == "as":
        stages.add(words[2].lower())
    if image.lower() != "scratch" and image.lower() not in stages:
        hits.extend(image_hits(image, ins.line, require_kind=False))
    return image


def _assignments(words: list[Tok]) -> Env:
    env: Env = {}
    if len(words) >= 2 and "=" not in words[0].text:
        return {words[0].text: EnvVar(" ".join(t.text for t in words[1:]), words[0].line)}
    for tok in words:
        name, eq, value = tok.text.partition("=")
        if name:
            env[name] = EnvVar(value if eq else "", tok.line)
    return env


def _run_commands(ins: Instruction) -> list[Command]:
    array = ins.exec_form()
    if array is not None:
        return commands_from_tokens([Tok(item, ins.line) for item in array])
    return commands(ins.args, ins.line)


def _start_commands(
    entrypoint: Instruction | None, cmd: Instruction | None, base: str | None
) -> list[Command]:
    words: list[Tok] = []
    shell = False
    for ins in (entrypoint, cmd):
        if ins is None:
            continue
        if ins.exec_form() is None:
            shell = True
            break
        words.extend(ins.words())
    if shell:
        return [
            c for ins in (entrypoint, cmd) if ins is not None for c in commands(ins.args, ins.line)
        ]
    implicit = _IMPLICIT_SERVERS.get(image_kind(base) or "")
    if (
        implicit
        and entrypoint is None
        and cmd is not None
        and words
        and words[0].text.startswith("-")
    ):
        words = [Tok(w, cmd.line) for w in implicit] + words
    return commands_from_tokens(words)


def _add(ins: Instruction) -> list[Hit]:
    words = ins.words()
    if any(t.text.startswith("--checksum") for t in words):
        return []
    for tok in words:
        if tok.text.startswith(("http://", "https://")) and _WEIGHTS.search(tok.text):
            return [
                Hit(
                    UNVERIFIED_MODEL_FETCH,
                    tok.line,
                    "ADD downloads model weights without --checksum.",
                    "iac-fetch:add",
                    evidence=tok.text[:120],
                )
            ]
    return []
