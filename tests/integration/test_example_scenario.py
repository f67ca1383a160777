"""The example project's SCENARIO.md is its expectation file: every rule it names is
reported, and nothing it does not name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aiwarden.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chatbot"


def _scenario_rules() -> set[str]:
    rows = [
        r for r in (EXAMPLE / "SCENARIO.md").read_text().splitlines() if re.match(r"\| \d+ \|", r)
    ]
    return {rule for row in rows for rule in re.findall(r"AIW-[A-Z]+\d{3}", row.rsplit("|", 2)[-2])}


def test_the_example_reports_exactly_the_rules_its_scenario_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["scan", str(EXAMPLE), "-f", "json", "--no-progress"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["scan"]["complete"] is True
    assert {f["rule_id"] for f in report["findings"]} == _scenario_rules()
