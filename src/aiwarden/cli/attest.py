"""``aiwarden attest``: create and check the attestations file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from aiwarden.assess.attestations import FILE_NAME, load_entries, resolve
from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.template import attestation_template
from aiwarden.core.exit_codes import EXIT_CLEAN
from aiwarden.errors import UsageError


@click.group("attest")
def attest_group() -> None:
    """Human attestations for behaviours no scanner can see (read by `aiwarden assess`)."""


@attest_group.command("init")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_command(path: Path, force: bool) -> int:
    """Write an unsigned aiwarden-attestations.yaml template into directory PATH."""
    if not path.is_dir():
        raise UsageError(f"{path}: not a directory")
    target = path / FILE_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists (use --force to overwrite)")
    try:
        target.write_text(attestation_template(dt.date.today()), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {target}: fill in attested_by and date for each statement that holds")
    return EXIT_CLEAN


@attest_group.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), default=FILE_NAME)
def check_command(file: Path) -> int:
    """Validate FILE and list which attestations count today (exit 2 when invalid)."""
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
        click.echo(f"{behaviour_id:<7} {item.state.value:<9} {who}  expires {item.expires}")
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no entries"
    click.echo(f"{file}: valid ({summary})")
    return EXIT_CLEAN
