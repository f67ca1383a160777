"""``aiwarden scan`` end to end, in-process through ``main(argv)``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from aiwarden.cli.main import main
from aiwarden.outputs.json import load_json_schema

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_example_project_reports_findings_grouped_by_area_and_exits_1(
    capsys: pytest.CaptureFixture[str], repo_root: Path
) -> None:
    code, out, _ = run(capsys, "scan", str(repo_root / "examples" / "chatbot"), "--no-progress")
    assert code == 1
    assert "Secure design" in out
    assert "AIW-MOD002" in out
    assert "intent_classifier.pkl" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_example_project_sarif_validates_against_the_official_schema(
    capsys: pytest.CaptureFixture[str], repo_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.sarif"
    code, _, err = run(
        capsys, "scan", str(repo_root / "examples" / "chatbot"), "-f", "sarif", "-o", str(target)
    )
    assert code == 1
    assert "at or above high" in err
    sarif = json.loads(target.read_text())
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"AIW-MOD001", "AIW-MOD002"} <= rule_ids
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_json_output_validates_against_the_project_schema(
    capsys: pytest.CaptureFixture[str], repo_root: Path
) -> None:
    code, out, _ = run(capsys, "scan", str(repo_root / "examples" / "chatbot"), "-f", "json")
    assert code == 1
    data = json.loads(out)
    jsonschema.Draft202012Validator(load_json_schema()).validate(data)
    assert data["scan"]["complete"] is True
    assert data["summary"]["blocking"] >= 1


def test_missing_path_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "scan", str(tmp_path / "nope"))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no such file or directory" in err
    assert "Traceback" not in err


def test_malformed_config_names_the_file_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = write(tmp_path / "pyproject.toml", "[tool.aiwarden]\nselect = [\n")
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert str(config) in err
    assert "Traceback" not in err


def test_unknown_config_key_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / ".aiwarden.toml", 'fail_onn = "low"\n')
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2
    assert "fail_onn" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_a_finding_and_makes_the_scan_incomplete(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = write(tmp_path / "model.pkl", "x")
    secret.chmod(0)
    try:
        code, out, _ = run(capsys, "scan", str(tmp_path), "-f", "json")
    finally:
        secret.chmod(0o600)
    data = json.loads(out)
    assert code == 2
    assert data["scan"]["complete"] is False
    assert [f["rule_id"] for f in data["findings"]] == ["AIW-ENG004"]


def test_misbehaving_analyzers_become_findings_and_the_scan_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "crash.txt", "CRASH-ME\n")
    write(tmp_path / "hang.txt", "HANG-ME\n")
    write(tmp_path / "die.txt", "DIE-ME\n")
    write(tmp_path / "bomb.txt", "BOMB-ME\n")
    write(tmp_path / "ok.txt", "line\nMARKER here\n")
    code, out, err = run(capsys, "scan", str(tmp_path), "-f", "json", "--timeout", "2", "-j", "2")
    data = json.loads(out)
    rules = {f["location"]["path"]: f["rule_id"] for f in data["findings"]}
    assert rules == {
        "crash.txt": "AIW-ENG001",
        "hang.txt": "AIW-ENG002",
        "die.txt": "AIW-ENG005",
        "bomb.txt": "AIW-ENG003",
        "ok.txt": "AIW-TST001",
    }
    assert code == 2
    assert data["scan"]["complete"] is False
    assert sorted(f["path"] for f in data["files"]["failed"]) == [
        "bomb.txt",
        "crash.txt",
        "die.txt",
        "hang.txt",
    ]
    assert "INCOMPLETE" in err


def test_incomplete_scan_is_said_in_text_and_sarif(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "crash.txt", "CRASH-ME\n")
    code, out, _ = run(capsys, "scan", str(tmp_path), "--no-progress")
    assert code == 2
    assert "INCOMPLETE" in out
    code, out, _ = run(capsys, "scan", str(tmp_path), "-f", "sarif")
    assert code == 2
    assert json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_inline_suppression_keeps_the_finding_marked_in_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "a.py", "x = 1  # MARKER  # aiwarden: ignore[AIW-TST001] -- test fixture\n")
    code, out, _ = run(capsys, "scan", str(tmp_path), "-f", "json")
    assert code == 0
    (finding,) = json.loads(out)["findings"]
    assert finding["suppressed"] is True
    assert finding["suppression"]["reason"] == "test fixture"


def test_config_suppression_for_files_without_comments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "data" / "m.json", '{"k": "MARKER"}\n')
    write(
        tmp_path / ".aiwarden.toml",
        '[[suppress]]\npath = "data/*.json"\nrule = "AIW-TST001"\nreason = "known fixture"\n',
    )
    code, out, _ = run(capsys, "scan", str(tmp_path), "-f", "json")
    assert code == 0
    (finding,) = json.loads(out)["findings"]
    assert finding["suppression"]["kind"] == "config"


def test_baseline_fails_only_on_new_findings_and_survives_line_moves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    project = tmp_path / "p"
    source = write(project / "a.txt", "MARKER one\n")
    baseline = tmp_path / "baseline.json"
    code, _, _ = run(capsys, "baseline", "create", str(project), "-o", str(baseline))
    assert code == 0
    assert run(capsys, "scan", str(project), "--baseline", str(baseline))[0] == 0
    source.write_text("\n\nunrelated\nMARKER one\n")
    assert run(capsys, "scan", str(project), "--baseline", str(baseline))[0] == 0
    source.write_text("MARKER one\nMARKER two\n")
    code, out, _ = run(capsys, "scan", str(project), "--baseline", str(baseline), "-f", "json")
    assert code == 1
    states = sorted(f["baseline_state"] for f in json.loads(out)["findings"])
    assert states == ["new", "unchanged"]


def test_corrupt_baseline_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    baseline = write(tmp_path / "b.json", "{not json")
    code, _, err = run(capsys, "scan", str(tmp_path), "--baseline", str(baseline))
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_fail_on_and_exit_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "a.txt", "MARKER\n")
    assert run(capsys, "scan", str(tmp_path))[0] == 1
    assert run(capsys, "scan", str(tmp_path), "--fail-on", "critical")[0] == 0
    assert run(capsys, "scan", str(tmp_path), "--exit-zero")[0] == 0


def test_precedence_cli_over_environment_over_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fake_plugin: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path / "a.txt", "MARKER\n")
    write(tmp_path / "pyproject.toml", '[tool.aiwarden]\nfail-on = "critical"\n')
    assert run(capsys, "scan", str(tmp_path))[0] == 0
    monkeypatch.setenv("AIWARDEN_FAIL_ON", "high")
    assert run(capsys, "scan", str(tmp_path))[0] == 1
    assert run(capsys, "scan", str(tmp_path), "--fail-on", "critical")[0] == 0


def test_select_and_ignore(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake_plugin: Path
) -> None:
    write(tmp_path / "a.txt", "MARKER\n")
    assert run(capsys, "scan", str(tmp_path), "--ignore", "AIW-TST")[0] == 0
    assert run(capsys, "scan", str(tmp_path), "--select", "AIW-MOD")[0] == 0
    assert run(capsys, "scan", str(tmp_path), "--select", "AIW-TST001")[0] == 1


def test_markdown_output(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    code, out, _ = run(capsys, "scan", str(repo_root / "examples" / "chatbot"), "-f", "markdown")
    assert code == 1
    assert out.lstrip().startswith("#")
    assert "AIW-MOD002" in out
