"""``aiwarden bom``: the AI bill of materials of a project, as CycloneDX 1.6 JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from aiwarden.bom import BomOptions, InventoryOptions, build_inventory, cyclonedx_json
from aiwarden.cli._parser import Leaf, Parser
from aiwarden.cli._types import any_path, file_path
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


def _arguments(parser: Parser) -> None:
    parser.add_argument("path", type=any_path, metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument(
        "-o", "--output", type=file_path, metavar="FILE", help="Write the BOM here."
    )
    parser.add_argument(
        "-f",
        "--format",
        dest="fmt",
        choices=["cyclonedx"],
        default="cyclonedx",
        help="BOM format (CycloneDX 1.6 JSON). [default: %(default)s]",
    )
    parser.add_argument(
        "--exclude", action="append", metavar="TEXT", help="Gitignore-style patterns to skip."
    )
    parser.add_argument(
        "--no-gitignore", action="store_true", help="Include files .gitignore ignores."
    )
    parser.add_argument(
        "--no-dependencies", action="store_true", help="Leave software dependencies out."
    )
    parser.add_argument(
        "--reproducible",
        action="store_true",
        help="Serial number derived from the content; timestamp from SOURCE_DATE_EPOCH or none.",
    )


def bom_command(args: argparse.Namespace) -> int:
    """Write the AI bill of materials of the project at PATH.

    Lists model files (format, SHA-256, size), Hugging Face models and datasets the code
    and configs load, data files, prompts (digests only), AI services, MCP servers,
    agent tools and software dependencies. Nothing is loaded or executed.
    """
    path: Path = args.path
    output: Path | None = args.output
    exclude: tuple[str, ...] = tuple(args.exclude or ())
    # -f/--format: one format for now; the option keeps command lines stable
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
            "respect_gitignore": False if args.no_gitignore else None,
        },
    )
    options = InventoryOptions(
        exclude=settings.exclude,
        respect_gitignore=settings.respect_gitignore,
        dependencies=not args.no_dependencies,
    )
    timestamp = _source_date()  # a bad value fails before the walk
    inventory = build_inventory(path, options)
    text = cyclonedx_json(
        inventory, BomOptions(reproducible=args.reproducible, timestamp=timestamp)
    )
    write_output(text, output)
    for note in inventory.notes[:_MAX_NOTES_SHOWN]:
        print(f"aiwarden: note: {note}", file=sys.stderr)
    if len(inventory.notes) > _MAX_NOTES_SHOWN:
        print(f"aiwarden: note: {len(inventory.notes)} notes in all (see the BOM)", file=sys.stderr)
    return 0


COMMAND = Leaf(bom_command, _arguments, "[OPTIONS] PATH")
