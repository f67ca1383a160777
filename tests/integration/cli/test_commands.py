"""The informational commands, ``--help``/``--version``, and one real subprocess run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aiwarden import __version__
from aiwarden.cli.main import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_help_documents_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("scan", "rules", "guidelines", "baseline"):
        assert command in out
    assert "Exit codes" in out


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--no-such-flag"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "aiwarden: error: unrecognized arguments: --no-such-flag (see 'aiwarden scan --help')\n"
    )


def test_rules_lists_and_shows_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "AIW-MOD001" in out and "AIW-ENG001" in out
    assert main(["rules", "AIW-MOD002"]) == 0
    out = capsys.readouterr().out
    assert "Remediation" in out and "SD-3" in out


def test_rules_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "AIW-XYZ999"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert ids == sorted(ids) and "AIW-MOD001" in ids


def test_rules_doc_is_up_to_date(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    assert main(["rules", "--format", "markdown", "--no-plugins"]) == 0
    assert capsys.readouterr().out == (repo_root / "docs" / "rules.md").read_text()


def test_guidelines_prints_all_seventeen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines"]) == 0
    out = capsys.readouterr().out
    ids = [
        f"{p}-{n}"
        for p, count in (("SD", 4), ("DV", 4), ("DP", 5), ("OM", 4))
        for n in range(1, count + 1)
    ]
    for gid in ids:
        assert gid in out
    assert "SD-3.d" in out


def test_guidelines_one_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines", "DP-2"]) == 0
    out = capsys.readouterr().out
    assert "DP-2.c" in out and "SD-1" not in out
    assert main(["guidelines", "XX-9"]) == 2


def test_real_subprocess_scan_of_the_example(repo_root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aiwarden", "scan", "examples/chatbot", "-f", "sarif"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    results = json.loads(proc.stdout)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "examples/chatbot/models/intent_classifier.pkl" in uris
