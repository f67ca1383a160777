"""``aiwarden attest``: create and check the attestations file."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from aiwarden.assess.attestations import FILE_NAME, load_entries, resolve
from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.template import attestation_template
from aiwarden.cli._parser import Group, Leaf, Parser
from aiwarden.cli._types import any_path, file_path
from aiwarden.core.exit_codes import EXIT_CLEAN
from aiwarden.errors import UsageError


def _init_arguments(parser: Parser) -> None:
    parser.add_argument(
        "path", nargs="?", type=any_path, default=".", metavar="PATH", help=argparse.SUPPRESS
    )
    parser.add_argument("--force", action="store_true", help="Overwrite an existing file.")


def init_command(args: argparse.Namespace) -> int:
    """Write an unsigned aiwarden-attestations.yaml template into directory PATH."""
    path: Path = args.path
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory")
    target = path / FILE_NAME
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists (use --force to overwrite)")
    try:
        target.write_text(attestation_template(dt.date.today()), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    print(f"wrote {target}: fill in attested_by and date for each statement that holds", flush=True)
    return EXIT_CLEAN


def _check_arguments(parser: Parser) -> None:
    parser.add_argument(
        "file", nargs="?", type=file_path, default=FILE_NAME, metavar="FILE", help=argparse.SUPPRESS
    )


def check_command(args: argparse.Namespace) -> int:
    """Validate FILE and list which attestations count today (exit 2 when invalid)."""
    file: Path = args.file
    if not file.is_file():
        raise UsageError(f"{file}: attestations file not found")
    today = dt.date.today()
    entries = load_entries(file, SPECS, today)
    resolved = resolve(entries, today, file.name)
    counts: dict[str, int] = {}
    for behaviour_id in sorted(resolved):
        item = resolved[behaviour_id]
        counts[item.state.value] = counts.get(item.state.value, 0) + 1
        who = item.attested_by or "-"
        print(f"{behaviour_id:<7} {item.state.value:<9} {who}  expires {item.expires}", flush=True)
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no entries"
    print(f"{file}: valid ({summary})", flush=True)
    return EXIT_CLEAN


COMMAND = Group(
    "Human attestations for behaviours no scanner can see (read by `aiwarden assess`).",
    {
        "init": Leaf(init_command, _init_arguments, "[OPTIONS] [PATH]"),
        "check": Leaf(check_command, _check_arguments, "[OPTIONS] [FILE]"),
    },
)
