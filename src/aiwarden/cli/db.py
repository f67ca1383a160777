"""``aiwarden db``: the local OSV vulnerability database used by dependency scans.

``import`` loads an OSV ecosystem dump (the ``all.zip`` OSV.dev publishes per ecosystem,
e.g. ``https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip``, downloaded by
the user) or a directory of OSV JSON files; ``status`` shows what scans will use.
aiwarden never downloads anything itself.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from aiwarden.cli._parser import Group, Leaf, Parser
from aiwarden.cli._types import any_path, file_path
from aiwarden.core.exit_codes import EXIT_CLEAN
from aiwarden.errors import UsageError
from aiwarden.osv.importer import ImportReport, import_dump
from aiwarden.osv.paths import default_db_path
from aiwarden.osv.sqlite_store import SqliteStore
from aiwarden.osv.store import BundledStore, StoreInfo


def _add_db_option(parser: Parser) -> None:
    parser.add_argument(
        "--db",
        dest="db_path",
        type=file_path,
        metavar="FILE",
        help="Database file (default: $AIWARDEN_OSV_DB, else osv.sqlite3 in the aiwarden "
        "cache directory: $AIWARDEN_CACHE_DIR, $XDG_CACHE_HOME/aiwarden or ~/.cache/aiwarden).",
    )


def _import_arguments(parser: Parser) -> None:
    parser.add_argument("source", type=any_path, metavar="SOURCE", help=argparse.SUPPRESS)
    _add_db_option(parser)


def import_command(args: argparse.Namespace) -> int:
    """Import SOURCE: an OSV ecosystem all.zip or a directory of OSV JSON records."""
    source: Path = args.source
    if not source.exists():
        raise UsageError(f"{source}: no such file or directory")
    target = args.db_path or default_db_path()
    started = time.perf_counter()
    report = import_dump(source, target)
    elapsed = time.perf_counter() - started
    print(_import_summary(report, target, elapsed), flush=True)
    return EXIT_CLEAN


def status_command(args: argparse.Namespace) -> int:
    """Show the advisory data that scans will use."""
    target: Path = args.db_path or default_db_path()
    print(_describe(BundledStore().info()), flush=True)
    if target.is_file():
        store = SqliteStore(target)
        try:
            print(_describe(store.info()), flush=True)
        finally:
            store.close()
    else:
        print(
            f"local OSV database: none at {target} (run 'aiwarden db import all.zip')",
            flush=True,
        )
    return EXIT_CLEAN


def _import_summary(report: ImportReport, target: Path, elapsed: float) -> str:
    lines = [f"imported {report.records} OSV records into {target} in {elapsed:.1f}s"]
    if report.ecosystems:
        counts = ", ".join(f"{eco} {n}" for eco, n in sorted(report.ecosystems.items()))
        lines.append(f"  by ecosystem: {counts}")
    if report.withdrawn:
        lines.append(f"  withdrawn (kept, never matched): {report.withdrawn}")
    for reason, count in sorted(report.skipped.items()):
        lines.append(f"  skipped ({reason}): {count}")
    return "\n".join(lines)


def _describe(info: StoreInfo) -> str:
    lines = [f"{info.name}: {info.records} records, {info.packages} packages ({info.location})"]
    lines.extend(f"  {key}: {value}" for key, value in info.details)
    return "\n".join(lines)


COMMAND = Group(
    "Manage the offline OSV vulnerability database used by dependency checks.",
    {
        "import": Leaf(import_command, _import_arguments, "[OPTIONS] SOURCE"),
        "status": Leaf(status_command, _add_db_option, "[OPTIONS]"),
    },
)
