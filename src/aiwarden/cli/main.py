"""``aiwarden``: the entry point, the command table and the one place errors are caught."""

from __future__ import annotations

import atexit
import importlib
import os
import sys

from aiwarden import __version__
from aiwarden.cli._parser import CommandLineError, Parser, ParserExit, resolve, split_command
from aiwarden.core import log
from aiwarden.core.exit_codes import EXIT_ERROR, EXIT_INTERNAL
from aiwarden.errors import AiwardenError

_DESCRIPTION = """\
aiwarden: security scanning for AI systems, mapped to the NCSC/CISA Guidelines for
Secure AI System Development.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
2 usage or configuration error, or an incomplete scan.
"""

_EXIT_PIPE_CLOSED = 1
"""The status when the reader of stdout went away (``aiwarden rules | head``), as before."""


class CliState:
    """Per-invocation state that ``main``'s error handling needs (``-v`` for tracebacks)."""

    __slots__ = ("verbose",)

    def __init__(self, verbose: int = 0) -> None:
        self.verbose = verbose


def _configure_logging(verbose: int) -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("aiwarden: %(levelname)s: %(message)s"))
    logger = logging.getLogger("aiwarden")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False


_COMMANDS: dict[str, tuple[str, str]] = {
    "scan": (
        "aiwarden.cli.scan",
        "Scan PATHS (default: .) for security defects in an AI project.",
    ),
    "rules": ("aiwarden.cli.rules", "List every rule, or show RULE_ID's full documentation."),
    "guidelines": (
        "aiwarden.cli.guidelines",
        "Print the 17 guidelines in 4 areas (or one, GUIDELINE_ID such as SD-3).",
    ),
    "baseline": (
        "aiwarden.cli.baseline",
        "Create baselines of existing findings (use with `scan --baseline FILE`).",
    ),
    "mcp": ("aiwarden.cli.mcp", "MCP server and tool-definition lock files."),
    "db": (
        "aiwarden.cli.db",
        "Manage the offline OSV vulnerability database used by dependency checks.",
    ),
    "bom": ("aiwarden.cli.bom", "Write the AI bill of materials of the project at PATH."),
    "assess": (
        "aiwarden.cli.assess",
        "Score the project at PATH (default: .) against the 17 guidelines.",
    ),
    "attest": (
        "aiwarden.cli.attest",
        "Human attestations for behaviours no scanner can see (read by `aiwarden assess`).",
    ),
}
"""Each command's module (imported only when the command runs) and its one-line summary
for ``aiwarden --help``; a test checks each summary against the command's own help."""


def _top_parser() -> Parser:
    summaries = {name: entry[1] for name, entry in _COMMANDS.items()}
    parser = Parser("aiwarden", "%(prog)s [OPTIONS] COMMAND [ARGS]...", _DESCRIPTION, summaries)
    parser.add_argument(
        "-V", "--version", action="version", version=f"aiwarden, version {__version__}"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="More output; tracebacks on errors."
    )
    return parser


def _run(argv: list[str], state: CliState) -> int:
    """Parse the top-level options, then import and run only the command named."""
    parser = _top_parser()
    if not argv:  # a bare ``aiwarden`` shows what it can do
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    options, name, rest = split_command(argv)
    verbose: int = parser.parse_args(options).verbose
    state.verbose = verbose
    # Applied now if logging is loaded, else before the first message (see core.log).
    log.configure(lambda: _configure_logging(verbose))
    module_name = resolve(parser, name, _COMMANDS)[0]
    command = importlib.import_module(module_name).COMMAND
    result: int = command.invoke(rest, f"aiwarden {name}")
    return result


def _print_traceback() -> None:
    import traceback  # only for -v on an error

    traceback.print_exc()


def _fail(message: str) -> None:
    print(f"aiwarden: error: {message}", file=sys.stderr)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that flushing what is left at exit cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (an in-memory stream): nothing to do
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    state = CliState()
    try:
        return _run(sys.argv[1:] if argv is None else list(argv), state)
    except ParserExit as exc:  # --help, --version
        return exc.status
    except CommandLineError as exc:
        _fail(str(exc))
        return EXIT_ERROR
    except AiwardenError as exc:
        if state.verbose:
            _print_traceback()
        _fail(exc.diagnostics())
        return EXIT_ERROR
    except KeyboardInterrupt:
        _fail("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:
        _discard_stdout()
        return _EXIT_PIPE_CLOSED
    except Exception as exc:
        if state.verbose:
            _print_traceback()
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        return EXIT_INTERNAL


def entrypoint() -> None:
    """Console-script entry point: run :func:`main`, then exit without the teardown.

    Once a command has finished, the interpreter's teardown only frees every module and
    object one at a time (about 15 ms of CPU after a scan of a model directory). The
    process therefore ends from an ``atexit`` handler, with the status :func:`main`
    returned. The handler must be the last to run: handlers run last-registered first,
    so it is used only when it is the first one registered (nothing such as a coverage
    hook got in before it). Every handler registered later (logging's shutdown, a
    plugin's) has run by then, non-daemon threads have been joined, and the standard
    streams are flushed before the exit.
    """
    status: list[int] = []
    ncallbacks = getattr(atexit, "_ncallbacks", None)
    if ncallbacks is not None and ncallbacks() == 0:
        atexit.register(_exit_without_teardown, status)
    status.append(main())
    sys.exit(status[0])


def _exit_without_teardown(status: list[int]) -> None:
    if not status:  # main() did not return: leave the exit to the interpreter
        return
    code = status[0]
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = code or 120  # the interpreter's status when it cannot flush at exit
    os._exit(code)
