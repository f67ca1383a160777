"""``aiwarden``: the entry point, the command group and the one place errors are caught."""

from __future__ import annotations

import atexit
import importlib
import os
import sys

import click

from aiwarden import __version__
from aiwarden.core import log
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERNAL
from aiwarden.errors import AiwardenError


class CliState:
    """Per-invocation state shared with subcommands through ``ctx.obj``."""

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
    "scan": ("aiwarden.cli.scan", "scan_command"),
    "rules": ("aiwarden.cli.rules", "rules_command"),
    "guidelines": ("aiwarden.cli.guidelines", "guidelines_command"),
    "baseline": ("aiwarden.cli.baseline", "baseline_group"),
    "mcp": ("aiwarden.cli.mcp", "mcp_group"),
    "db": ("aiwarden.cli.db", "db_group"),
    "bom": ("aiwarden.cli.bom", "bom_command"),
    "assess": ("aiwarden.cli.assess", "assess_command"),
    "attest": ("aiwarden.cli.attest", "attest_group"),
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs (fast start-up)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand name, without importing them."""
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the subcommand ``cmd_name``."""
        if cmd_name not in _COMMANDS:
            return None
        module_name, attribute = _COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="aiwarden")
@click.option("-v", "--verbose", count=True, help="More output; tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """aiwarden: security scanning for AI systems, mapped to the NCSC/CISA Guidelines for
    Secure AI System Development.

    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 usage or configuration error, or an incomplete scan.
    """
    state = ctx.ensure_object(CliState)
    state.verbose = verbose
    # Applied now if logging is loaded, else before the first message (see core.log).
    log.configure(lambda: _configure_logging(verbose))


def _print_traceback() -> None:
    import traceback  # only for -v on an error

    traceback.print_exc()


def _fail(message: str) -> None:
    click.echo(f"aiwarden: error: {message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    state = CliState()
    try:
        result = cli.main(args=argv, prog_name="aiwarden", standalone_mode=False, obj=state)
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.Abort:
        _fail("aborted")
        return EXIT_ERROR
    except AiwardenError as exc:
        if state.verbose:
            _print_traceback()
        _fail(exc.diagnostics())
        return EXIT_ERROR
    except KeyboardInterrupt:
        _fail("interrupted")
        return EXIT_ERROR
    except Exception as exc:
        if state.verbose:
            _print_traceback()
        _fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_CLEAN


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
