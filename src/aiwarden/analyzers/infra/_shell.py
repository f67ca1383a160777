"""Shell command lines to argument vectors with line numbers (shlex, bounded, never run).

Operators (``&&``, ``|``, ``;``) split a line into commands, ``sh -c "..."`` is opened up
(to a bounded depth) and leading ``VAR=value`` assignments are kept as the command's env.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Final

from aiwarden.analyzers.infra._hits import Env, EnvVar

MAX_COMMAND_CHARS: Final = 64 * 1024
MAX_TOKENS: Final = 4000
MAX_SHELL_DEPTH: Final = 3
_OPERATOR_CHARS: Final = frozenset(";&|()\n")
_SHELLS: Final = frozenset({"sh", "bash", "dash", "zsh", "ash"})
_WRAPPERS: Final = frozenset(
    {"exec", "nohup", "sudo", "env", "time", "tini", "dumb-init", "gosu", "--"}
    | {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"}
)
"""Words that start a command without being it (their own flags are skipped too)."""


@dataclass(frozen=True, slots=True)
class Tok:
    """One shell word (quotes removed) and the line it starts on."""

    text: str
    line: int


@dataclass(slots=True)
class Command:
    """One simple command: its words (wrappers and assignments removed) and prefix env."""

    argv: list[Tok]
    env: Env = field(default_factory=dict)
    piped_from: list[Tok] | None = None
    """The command whose output is piped into this one (``curl … | sh``)."""
    segment: list[Tok] = field(default_factory=list)
    """Every word of the whole line this command belongs to (for checksum look-ups)."""


def tokenize(text: str, line: int) -> list[Tok]:
    """Words and operators of ``text`` (which starts at ``line``), newlines kept as ``\\n``."""
    text = text[:MAX_COMMAND_CHARS]
    joined = text.replace("\\\r\n", "   ").replace("\\\n", "  ")
    lexer = shlex.shlex(joined, posix=True, punctuation_chars=";&|()\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        while len(words) < MAX_TOKENS:
            word = lexer.get_token()
            if word is None or word == lexer.eof:
                break
            words.append(word)
    except ValueError:  # unbalanced quotes: fall back to whitespace words
        words = joined.replace("\n", " \n ").split(" ")[:MAX_TOKENS]
    return _place(text, [w for w in words if w != ""], line)


def _place(text: str, words: list[str], line: int) -> list[Tok]:
    cursor = 0
    out: list[Tok] = []
    for word in words:
        probe = word.split("\n", 1)[0][:12] or "\n"
        found = text.find(probe, cursor)
        if found >= 0:
            cursor = found + len(probe)
        out.append(Tok(word, line + text.count("\n", 0, cursor)))
    return out


def commands(text: str, line: int, depth: int = 0) -> list[Command]:
    """Every simple command in ``text``, ``sh -c`` scripts included."""
    tokens = tokenize(text, line)
    return commands_from_tokens(tokens, depth)


def commands_from_tokens(tokens: list[Tok], depth: int = 0) -> list[Command]:
    """Split already tokenised words into commands (exec-form arrays enter here)."""
    out: list[Command] = []
    current: list[Tok] = []
    previous: Command | None = None
    pipe = False
    for tok in [*tokens, Tok(";", 0)]:
        if not _is_operator(tok.text):
            current.append(tok)
            continue
        command = _simple(current, depth, out, tokens)
        if command is not None:
            command.piped_from = previous.argv if pipe and previous else None
            out.append(command)
        previous, current, pipe = command, [], tok.text == "|"
    return out


def _is_operator(text: str) -> bool:
    return text != "" and all(ch in _OPERATOR_CHARS for ch in text)


def _simple(words: list[Tok], depth: int, out: list[Command], line: list[Tok]) -> Command | None:
    env: Env = {}
    index = 0
    wrapped = False
    while index < len(words):
        text = words[index].text
        if "=" in text and not text.startswith("-") and text.split("=", 1)[0].isidentifier():
            name, value = text.split("=", 1)
            env[name] = EnvVar(value, words[index].line)
        elif text in _WRAPPERS:
            wrapped = True
        elif not (wrapped and text.startswith("-")):
            break
        index += 1
    argv = words[index:]
    if not argv:
        return Command([], env, segment=line) if env else None
    if depth < MAX_SHELL_DEPTH and argv[0].text.rsplit("/", 1)[-1] in _SHELLS:
        script = _script_argument(argv)
        if script is not None:
            out.extend(commands(script.text, script.line, depth + 1))
            return None
    return Command(argv, env, segment=line)


def _script_argument(argv: list[Tok]) -> Tok | None:
    for index, tok in enumerate(argv[1:], start=1):
        if tok.text.startswith("-") and not tok.text.startswith("--") and "c" in tok.text:
            return argv[index + 1] if index + 1 < len(argv) else None
    return None
