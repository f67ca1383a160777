"""``aiwarden rules``: the check catalogue, generated from each rule's metadata."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from aiwarden.analyzers.registry import load_analyzers
from aiwarden.cli._parser import Leaf, Parser
from aiwarden.core.rule import Rule
from aiwarden.engine._archive_meta import ARCHIVE_RULES
from aiwarden.engine.rules import ENGINE_RULES
from aiwarden.errors import UsageError
from aiwarden.outputs.catalogue import rule_markdown, rules_json, rules_markdown

if TYPE_CHECKING:  # rich is imported only for the text format
    from rich.table import Table


def all_rules(*, builtin_only: bool = False) -> tuple[Rule, ...]:
    """Every rule: each loaded analyzer's, then the engine's own, sorted by id."""
    registry = load_analyzers(builtin_only=builtin_only)
    return tuple(sorted((*registry.rules, *ENGINE_RULES, *ARCHIVE_RULES), key=lambda r: r.id))


def _table(rules: tuple[Rule, ...]) -> Table:
    from rich.table import Table

    table = Table(title="aiwarden rules", show_lines=False)
    for column in ("Rule", "Severity", "Title", "Guidelines"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.id, rule.severity.value, rule.title, ", ".join(rule.guidelines))
    return table


def _arguments(parser: Parser) -> None:
    parser.add_argument("rule_id", nargs="?", metavar="RULE_ID", help=argparse.SUPPRESS)
    parser.add_argument(
        "-f",
        "--format",
        dest="fmt",
        choices=["text", "json", "markdown"],
        default="text",
        help="Output format (markdown generates docs/rules.md). [default: %(default)s]",
    )
    parser.add_argument("--no-plugins", action="store_true", help="Only aiwarden's built-in rules.")


def rules_command(args: argparse.Namespace) -> int:
    """List every rule, or show RULE_ID's full documentation."""
    rule_id: str | None = args.rule_id
    fmt: str = args.fmt
    no_plugins: bool = args.no_plugins
    rules = all_rules(builtin_only=no_plugins)
    if rule_id is not None:
        match = [r for r in rules if r.id == rule_id.strip().upper()]
        if not match:
            raise UsageError(f"unknown rule {rule_id!r}; run 'aiwarden rules' to list them")
        rules = tuple(match)
    if fmt == "json":
        sys.stdout.write(rules_json(rules))
        sys.stdout.flush()
        return 0
    if fmt == "markdown":
        sys.stdout.write(rules_markdown(rules) if rule_id is None else rule_markdown(rules[0]))
        sys.stdout.flush()
        return 0
    from rich.console import Console  # rich only for the text format

    if rule_id is None:
        Console(highlight=False).print(_table(rules))
    else:
        from rich.markdown import Markdown  # imported here: slow, and only needed here

        Console(highlight=False).print(Markdown(rule_markdown(rules[0])))
    return 0


COMMAND = Leaf(rules_command, _arguments, "[OPTIONS] [RULE_ID]")
