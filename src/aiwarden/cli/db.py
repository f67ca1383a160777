"""``aiwarden db``: the local OSV vulnerability database used by dependency scans.

``import`` loads an OSV ecosystem dump (the ``all.zip`` OSV.dev publishes per ecosystem,
e.g. ``https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip``, downloaded by
the user) or a directory of OSV JSON files; ``status`` shows what scans will use.
aiwarden never downloads anything itself.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from aiwarden.core.exit_codes import EXIT_CLEAN
from aiwarden.errors import UsageError
from aiwarden.osv.importer import ImportReport, import_dump
from aiwarden.osv.paths import default_db_path
from aiwarden.osv.sqlite_store import SqliteStore
from aiwarden.osv.store import BundledStore, StoreInfo

_DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Database file (default: $AIWARDEN_OSV_DB, else osv.sqlite3 in the aiwarden "
    "cache directory: $AIWARDEN_CACHE_DIR, $XDG_CACHE_HOME/aiwarden or ~/.cache/aiwarden).",
)


@click.group("db")
def db_group() -> None:
    """Manage the offline OSV vulnerability database used by dependency checks."""


@db_group.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=False))
@_DB_OPTION
def import_command(source: Path, db_path: Path | None) -> int:
    """Import SOURCE: an OSV ecosystem all.zip or a directory of OSV JSON records."""
    if not source.exists():
        raise UsageError(f"{source}: no such file or directory")
    target = db_path or default_db_path()
    started = time.perf_counter()
    report = import_dump(source, target)
    elapsed = time.perf_counter() - started
    click.echo(_import_summary(report, target, elapsed))
    return EXIT_CLEAN


@db_group.command("status")
@_DB_OPTION
def status_command(db_path: Path | None) -> int:
    """Show the advisory data that scans will use."""
    target = db_path or default_db_path()
    click.echo(_describe(BundledStore().info()))
    if target.is_file():
        store = SqliteStore(target)
        try:
            click.echo(_describe(store.info()))
        finally:
            store.close()
    else:
        click.echo(f"local OSV database: none at {target} (run 'aiwarden db import all.zip')")
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
