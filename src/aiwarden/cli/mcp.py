"""``aiwarden mcp``: lock MCP tool definitions and server launch specs (rug-pull detection)."""

from __future__ import annotations

from pathlib import Path

import click

from aiwarden.analyzers.agents.locking import check, default_lock_path, lock_text
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_FINDINGS
from aiwarden.errors import UsageError


@click.group("mcp")
def mcp_group() -> None:
    """MCP server and tool-definition lock files."""


@mcp_group.command("lock")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Lock file to write or check (default: PATH/aiwarden-mcp.lock.json).",
)
@click.option("--check", "check_only", is_flag=True, help="Compare with the lock; exit 1 on drift.")
def lock_command(path: Path, output: Path | None, check_only: bool) -> int:
    """Record a hash of every MCP server launch spec and tool definition under PATH.

    Tool definitions come from committed tool manifests (captured `tools/list` results).
    `aiwarden scan` then reports AIW-AGT011 where a definition differs from the lock.
    """
    target = output or default_lock_path(path)
    if check_only:
        drifts = check(path, target)
        for item in drifts:
            click.echo(f"{item.file}: {item.drift.describe()}")
        if drifts:
            click.echo(f"aiwarden: {len(drifts)} difference(s) from {target}", err=True)
            return EXIT_FINDINGS
        click.echo(f"aiwarden: {target} is up to date", err=True)
        return EXIT_CLEAN
    text = lock_text(path)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    click.echo(f"aiwarden: wrote {target}", err=True)
    return EXIT_CLEAN
