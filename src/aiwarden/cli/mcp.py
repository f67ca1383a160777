"""``aiwarden mcp``: lock MCP tool definitions and server launch specs (rug-pull detection)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aiwarden.analyzers.agents.locking import check, default_lock_path, lock_text
from aiwarden.cli._parser import Group, Leaf, Parser
from aiwarden.cli._types import directory_path, file_path
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_FINDINGS
from aiwarden.errors import UsageError


def _lock_arguments(parser: Parser) -> None:
    parser.add_argument(
        "path", nargs="?", type=directory_path, default=".", metavar="PATH", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "-o",
        "--output",
        type=file_path,
        metavar="FILE",
        help="Lock file to write or check (default: PATH/aiwarden-mcp.lock.json).",
    )
    parser.add_argument(
        "--check",
        dest="check_only",
        action="store_true",
        help="Compare with the lock; exit 1 on drift.",
    )


def lock_command(args: argparse.Namespace) -> int:
    """Record a hash of every MCP server launch spec and tool definition under PATH.

    Tool definitions come from committed tool manifests (captured `tools/list` results).
    `aiwarden scan` then reports AIW-AGT011 where a definition differs from the lock.
    """
    path: Path = args.path
    output: Path | None = args.output
    target = output or default_lock_path(path)
    if args.check_only:
        drifts = check(path, target)
        for item in drifts:
            print(f"{item.file}: {item.drift.describe()}", flush=True)
        if drifts:
            print(f"aiwarden: {len(drifts)} difference(s) from {target}", file=sys.stderr)
            return EXIT_FINDINGS
        print(f"aiwarden: {target} is up to date", file=sys.stderr)
        return EXIT_CLEAN
    text = lock_text(path)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(f"aiwarden: wrote {target}", file=sys.stderr)
    return EXIT_CLEAN


COMMAND = Group(
    "MCP server and tool-definition lock files.",
    {"lock": Leaf(lock_command, _lock_arguments, "[OPTIONS] [PATH]")},
)
