"""``aiwarden assess`` and ``aiwarden attest`` in-process, and once as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from aiwarden.cli.main import main
from aiwarden.outputs.assessment.json import load_assessment_schema

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "chatbot"


@pytest.fixture
def chatbot(tmp_path: Path) -> Path:
    """A copy of the example project outside the repository (its own scan root)."""
    copy = tmp_path / "chatbot"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_json_scorecard_of_the_example_validates(
    chatbot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "card.json"
    assert main(["assess", str(chatbot), "-f", "json", "-o", str(out), "--no-progress"]) == 0
    document = json.loads(out.read_text())
    jsonschema.validate(document, load_assessment_schema())
    statuses = {g["id"]: g["status"] for g in document["guidelines"]}
    assert statuses["SD-3"] in ("not met", "partly met")
    assert document["scan"]["complete"] is True
    assert "score" in capsys.readouterr().err


def test_text_is_the_default_and_fail_under_sets_the_exit_code(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(chatbot), "--no-progress", "--fail-under", "90"]) == 1
    out = capsys.readouterr().out
    assert "SD-3" in out and "Next steps" in out
    assert main(["assess", str(chatbot), "--no-progress", "--fail-under", "0"]) == 0


def test_html_report_links_files_relative_to_the_report(chatbot: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    out = reports / "assess.html"
    assert main(["assess", str(chatbot), "-f", "html", "-o", str(out), "--no-progress"]) == 0
    html = out.read_text()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'href="../chatbot/app.py' in html


def test_attest_init_check_and_assess_use_the_file(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["attest", "init", str(chatbot)]) == 0
    path = chatbot / "aiwarden-attestations.yaml"
    assert main(["attest", "init", str(chatbot)]) == 2
    assert "already exists" in capsys.readouterr().err
    text = path.read_text().replace(
        '- behaviour: SD-1.a\n    statement: "System owners and senior leaders were briefed on '
        'AI threats."\n    attested_by: ""\n    date: ""',
        "- behaviour: SD-1.a\n    statement: Board briefed.\n"
        "    attested_by: Ann <ann@example.com>\n    date: 2026-01-05",
    )
    assert "Ann <ann@example.com>" in text
    path.write_text(text)
    assert main(["attest", "check", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "SD-1.a  valid" in listing and "unsigned" in listing
    assert main(["assess", str(chatbot), "-f", "json", "--no-progress"]) == 0
    document = json.loads(capsys.readouterr().out)
    sd1 = next(g for g in document["guidelines"] if g["id"] == "SD-1")
    assert sd1["behaviours"][0]["status"] == "met"
    assert sd1["behaviours"][0]["attestation"]["attested_by"] == "Ann <ann@example.com>"


def test_an_invalid_attestations_file_is_a_clear_error(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (chatbot / "aiwarden-attestations.yaml").write_text("version: 1\nattestations: [{a: 1}]\n")
    assert main(["assess", str(chatbot), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'a'" in err and "Traceback" not in err


def test_history_records_each_run(chatbot: Path, tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    for _ in range(2):
        assert (
            main(
                [
                    "assess",
                    str(chatbot),
                    "--history",
                    str(db),
                    "-f",
                    "json",
                    "-o",
                    str(tmp_path / "c.json"),
                    "--no-progress",
                ]
            )
            == 0
        )
    document = json.loads((tmp_path / "c.json").read_text())
    assert len(document["history"]) == 1
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM assessments").fetchone()[0] == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assess", "a", "b"], "assess takes one project directory"),
        (["assess", "does-not-exist"], "no such file or directory"),
        (["attest", "check", "missing.yaml"], "attestations file not found"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_assess_as_a_real_subprocess(chatbot: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aiwarden",
            "assess",
            str(chatbot),
            "-f",
            "markdown",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("# aiwarden assessment: chatbot")
    assert "score" in done.stderr


def test_guidelines_say_how_each_behaviour_is_assessed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines", "-f", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    behaviours = {
        b["id"]: b for a in document["areas"] for g in a["guidelines"] for b in g["behaviours"]
    }
    assert len(behaviours) == 63
    assert behaviours["SD-3.d"]["assessment"]["mode"] == "machine"
    assert "models.safe-formats" in behaviours["SD-3.d"]["assessment"]["evidence_checks"]
    assert "AIW-MOD002" in behaviours["SD-3.d"]["rules"]
    assert behaviours["SD-3.h"]["assessment"]["applies_if"] == ["runs-agents"]
    assert behaviours["SD-1.a"]["assessment"]["mode"] == "attestation"
    assert main(["guidelines", "SD-1"]) == 0
    assert "assessed by attestation" in capsys.readouterr().out


def test_the_committed_assessment_reference_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guidelines", "--format", "markdown"]) == 0
    generated = capsys.readouterr().out
    committed = (EXAMPLE.parents[1] / "docs" / "assessment.md").read_text(encoding="utf-8")
    assert "| **SD-3.d**" in generated and "### `docs.threat-model`" in generated
    assert generated.count("| **") == 63
    assert generated == committed


def test_help_names_one_path() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aiwarden", "assess", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.startswith("usage: aiwarden assess [OPTIONS] [PATH]\n")
