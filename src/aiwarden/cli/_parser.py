"""The command-line parser: argparse, with one-line usage errors and lazily built commands.

The standard library's parser costs a start-up about a millisecond where click cost ten,
and it reports a usage error in one line (``aiwarden: error: ... (see 'aiwarden scan
--help')``, exit 2) instead of a usage block. Each command module describes its
parser as a :class:`Leaf` (or a :class:`Group` of leaves); ``main`` imports that module
and builds that parser only when the command runs.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn, TypeVar

_T = TypeVar("_T")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")  # argparse's: such an argument is no option
_MAX_HELP_WIDTH = 100


class CommandLineError(Exception):
    """A usage error found while parsing; ``main`` prints it as one line and exits 2."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(f"{message} (see '{prog} --help')")


class ParserExit(Exception):
    """``--help`` or ``--version`` has printed its text: ``main`` returns ``status``.

    argparse would call ``sys.exit``; an exception lets ``main`` return the status
    instead, so that callers (tests, embedding programs) get an int back.
    """

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _help_width() -> int:
    """The terminal's width, at most 100 columns (and at least 50), less a margin."""
    import shutil  # only when help is printed

    return max(min(shutil.get_terminal_size().columns, _MAX_HELP_WIDTH) - 2, 50)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, keeping a docstring's paragraphs and naming a value once."""

    def __init__(self, prog: str, width: int | None = None) -> None:
        super().__init__(prog, max_help_position=30, width=width or _MAX_HELP_WIDTH)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap  # only when help is printed

        paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text.strip()))
        return "\n\n".join(
            textwrap.fill(p, width, initial_indent=indent, subsequent_indent=indent)
            for p in paragraphs
        )

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        value = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {value}"


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors and exits are exceptions ``main`` handles.

    Prefix abbreviations are off (``--sel`` is an error, not ``--select``), and
    ``commands`` (name to one-line summary) are listed at the end of the help.
    """

    def __init__(
        self,
        prog: str,
        usage: str,
        description: str | None,
        commands: Mapping[str, str] | None = None,
    ) -> None:
        self._width: int | None = None  # set before argparse's __init__ adds -h
        super().__init__(
            prog=prog,
            usage=usage,
            description=description,
            formatter_class=_HelpFormatter,
            allow_abbrev=False,
        )
        self.commands = dict(commands or {})

    def error(self, message: str) -> NoReturn:
        """Raise the usage error instead of printing the usage and exiting."""
        raise CommandLineError(message, self.prog)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        """Raise :class:`ParserExit` instead of exiting (after ``--help``/``--version``)."""
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)

    def parse_anywhere(self, argv: Sequence[str]) -> argparse.Namespace:
        """Parse ``argv`` with options before, between or after the positional arguments.

        As the command line always allowed, ``scan a -f json b`` scans ``a`` and ``b``,
        and everything after ``--`` is a positional argument even if it starts with
        ``-``. The options are moved first (each with its value), then argparse parses.
        """
        options: list[str] = []
        operands: list[str] = []
        args = iter(argv)
        for arg in args:
            if arg == "--":
                operands.extend(args)
            elif arg.startswith("-") and arg != "-" and not _NEGATIVE_NUMBER.match(arg):
                options.append(arg)
                action = self._option_string_actions.get(arg)
                if action is not None and action.nargs != 0:  # its value is the next argument
                    options.extend(itertools.islice(args, 1))
            else:
                operands.append(arg)
        if operands and any(not action.option_strings for action in self._actions):
            options.append("--")  # what follows is positional, even "-x"
        return self.parse_args([*options, *operands])

    def format_help(self) -> str:
        """The help for the terminal's width, with the subcommands listed last."""
        self._width = _help_width()
        text = super().format_help()
        if not self.commands:
            return text
        formatter = self._get_formatter()
        formatter.start_section("commands")
        formatter.add_arguments(
            [
                argparse.Action([], name, help=summary.replace("%", "%%"))
                for name, summary in sorted(self.commands.items())
            ]
        )
        formatter.end_section()
        return f"{text}\n{formatter.format_help()}"

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse also builds a formatter for every add_argument; the terminal's
        # width is looked up only when help is actually printed.
        return _HelpFormatter(self.prog, width=self._width)


def split_command(argv: Sequence[str]) -> tuple[list[str], str | None, list[str]]:
    """Split ``argv`` into the options before the command, the command and its arguments.

    The options of ``aiwarden`` and of a command group take no values, so the first
    argument that is not an option names the command (``--`` ends the options).
    """
    for index, arg in enumerate(argv):
        if arg == "--":
            rest = list(argv[index + 1 :])
            return list(argv[:index]), (rest[0] if rest else None), rest[1:]
        if not arg.startswith("-") or arg == "-":
            return list(argv[:index]), arg, list(argv[index + 1 :])
    return list(argv), None, []


def summary(doc: str | None) -> str:
    """The first line of a command's docstring: its entry in its group's command list."""
    return (doc or "").strip().split("\n", 1)[0]


class Leaf:
    """A command that runs: its arguments, and the function whose docstring is its help."""

    __slots__ = ("arguments", "run", "usage")

    def __init__(
        self,
        run: Callable[[argparse.Namespace], int],
        arguments: Callable[[Parser], None],
        usage: str,
    ) -> None:
        self.run = run
        self.arguments = arguments
        self.usage = usage

    @property
    def description(self) -> str:
        """The help's description: the docstring of :attr:`run`."""
        return self.run.__doc__ or ""

    def parser(self, prog: str) -> Parser:
        """Build this command's parser (only for the command that runs)."""
        parser = Parser(prog, f"%(prog)s {self.usage}", self.description)
        self.arguments(parser)
        return parser

    def invoke(self, argv: Sequence[str], prog: str) -> int:
        """Parse ``argv`` (options and arguments in any order) and run the command."""
        return self.run(self.parser(prog).parse_anywhere(argv))


class Group:
    """A command that only groups subcommands (``aiwarden db import``, ``db status``)."""

    __slots__ = ("commands", "description")

    def __init__(self, description: str, commands: Mapping[str, Leaf]) -> None:
        self.description = description
        self.commands = dict(commands)

    def parser(self, prog: str) -> Parser:
        """The group's own parser: ``-h`` and the list of its subcommands."""
        summaries = {name: summary(leaf.description) for name, leaf in self.commands.items()}
        return Parser(prog, "%(prog)s [OPTIONS] COMMAND [ARGS]...", self.description, summaries)

    def invoke(self, argv: Sequence[str], prog: str) -> int:
        """Run the subcommand named first in ``argv``; with no argument at all, show help."""
        parser = self.parser(prog)
        options, name, rest = split_command(argv)
        if not argv:
            parser.print_help(sys.stderr)
            raise ParserExit(2)
        parser.parse_args(options)
        leaf = resolve(parser, name, self.commands)
        return leaf.invoke(rest, f"{prog} {name}")


def resolve(parser: Parser, name: str | None, commands: Mapping[str, _T]) -> _T:
    """The command ``name`` names, or a usage error when it is missing or unknown."""
    if name is None:
        parser.error("missing command")
    if name not in commands:
        choices = ", ".join(sorted(commands))
        parser.error(f"unknown command {name!r} (choose from {choices})")
    return commands[name]
