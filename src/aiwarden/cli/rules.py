"""``aiwarden rules``: the check catalogue, generated from each rule's metadata."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core.rule import Rule
from aiwarden.engine._archive_meta import ARCHIVE_RULES
from aiwarden.engine.rules import ENGINE_RULES
from aiwarden.errors import UsageError
from aiwarden.outputs.catalogue import rule_markdown, rules_json, rules_markdown


def all_rules(*, builtin_only: bool = False) -> tuple[Rule, ...]:
    """Every rule: each loaded analyzer's, then the engine's own, sorted by id."""
    registry = load_analyzers(builtin_only=builtin_only)
    return tuple(sorted((*registry.rules, *ENGINE_RULES, *ARCHIVE_RULES), key=lambda r: r.id))


def _table(rules: tuple[Rule, ...]) -> Table:
    table = Table(title="aiwarden rules", show_lines=False)
    for column in ("Rule", "Severity", "Title", "Guidelines"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.id, rule.severity.value, rule.title, ", ".join(rule.guidelines))
    return table


@click.command("rules")
@click.argument("rule_id", required=False)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format (markdown generates docs/rules.md).",
)
@click.option("--no-plugins", is_flag=True, help="Only aiwarden's built-in rules.")
def rules_command(rule_id: str | None, fmt: str, no_plugins: bool) -> int:
    """List every rule, or show RULE_ID's full documentation."""
    rules = all_rules(builtin_only=no_plugins)
    if rule_id is not None:
        match = [r for r in rules if r.id == rule_id.strip().upper()]
        if not match:
            raise UsageError(f"unknown rule {rule_id!r}; run 'aiwarden rules' to list them")
        rules = tuple(match)
    if fmt == "json":
        click.echo(rules_json(rules), nl=False)
    elif fmt == "markdown":
        text = rules_markdown(rules) if rule_id is None else rule_markdown(rules[0])
        click.echo(text, nl=False)
    elif rule_id is None:
        Console(highlight=False).print(_table(rules))
    else:
        from rich.markdown import Markdown  # imported here: slow, and only needed here

        Console(highlight=False).print(Markdown(rule_markdown(rules[0])))
    return 0
