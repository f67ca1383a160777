"""``aiwarden bom``: the AI bill of materials of a project, as CycloneDX 1.6 JSON."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from aiwarden.bom import BomOptions, InventoryOptions, build_inventory, cyclonedx_json
from aiwarden.cli.scan import write_output
from aiwarden.engine.config import load_settings
from aiwarden.errors import UsageError

_MAX_NOTES_SHOWN = 20


def _source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time (reproducible builds), if it is set."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a Unix time") from None


@click.command("bom")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the BOM here."
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["cyclonedx"]),
    default="cyclonedx",
    show_default=True,
    help="BOM format (CycloneDX 1.6 JSON).",
)
@click.option("--exclude", multiple=True, help="Gitignore-style patterns to skip.")
@click.option("--no-gitignore", is_flag=True, help="Include files .gitignore ignores.")
@click.option("--no-dependencies", is_flag=True, help="Leave software dependencies out.")
@click.option(
    "--reproducible",
    is_flag=True,
    help="Serial number derived from the content; timestamp from SOURCE_DATE_EPOCH or none.",
)
def bom_command(
    path: Path,
    output: Path | None,
    fmt: str,
    exclude: tuple[str, ...],
    no_gitignore: bool,
    no_dependencies: bool,
    reproducible: bool,
) -> int:
    """Write the AI bill of materials of the project at PATH.

    Lists model files (format, SHA-256, size), Hugging Face models and datasets the code
    and configs load, data files, prompts (digests only), AI services, MCP servers,
    agent tools and software dependencies. Nothing is loaded or executed.
    """
    del fmt  # one format for now; the option keeps command lines stable
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory (give the project's root directory)")
    patterns = tuple(p.strip() for value in exclude for p in value.split(",") if p.strip())
    settings = load_settings(
        [path],
        env=os.environ,
        overrides={
            "exclude": patterns or None,
            "respect_gitignore": False if no_gitignore else None,
        },
    )
    options = InventoryOptions(
        exclude=settings.exclude,
        respect_gitignore=settings.respect_gitignore,
        dependencies=not no_dependencies,
    )
    timestamp = _source_date()  # a bad value fails before the walk
    inventory = build_inventory(path, options)
    text = cyclonedx_json(inventory, BomOptions(reproducible=reproducible, timestamp=timestamp))
    write_output(text, output)
    for note in inventory.notes[:_MAX_NOTES_SHOWN]:
        click.echo(f"aiwarden: note: {note}", err=True)
    if len(inventory.notes) > _MAX_NOTES_SHOWN:
        click.echo(f"aiwarden: note: {len(inventory.notes)} notes in all (see the BOM)", err=True)
    return 0
