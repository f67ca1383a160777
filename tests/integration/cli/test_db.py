"""``aiwarden db import`` / ``db status`` and a scan that uses the imported database."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from aiwarden.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _dump(path: Path) -> Path:
    record = {
        "id": "GHSA-test-only-0001",
        "aliases": ["CVE-2099-0001"],
        "summary": "Remote code execution in tinyserve",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "tinyserve"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.4.0"}]}
                ],
            }
        ],
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("GHSA-test-only-0001.json", json.dumps(record))
        archive.writestr("../evil.json", json.dumps(record))
    return path


def test_import_status_and_scan_with_the_imported_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIWARDEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AIWARDEN_OSV_DB", raising=False)
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("tinyserve==1.3.0\n")

    code, out, _ = run(capsys, "scan", str(project), "--no-progress", "-f", "json")
    assert code == 0  # nothing known about tinyserve yet
    assert not [f for f in json.loads(out)["findings"] if f["rule_id"] == "AIW-SCA001"]

    code, out, _ = run(capsys, "db", "status")
    assert code == 0 and "local OSV database: none" in out and "bundled snapshot" in out

    code, out, _ = run(capsys, "db", "import", str(_dump(tmp_path / "all.zip")))
    assert code == 0
    assert "imported 1 OSV records" in out and "skipped (unsafe name): 1" in out
    assert (tmp_path / "cache" / "osv.sqlite3").is_file()

    code, out, _ = run(capsys, "db", "status")
    assert "local OSV database: 1 records, 1 packages" in out and "ecosystem PyPI" in out

    code, out, _ = run(capsys, "scan", str(project), "--no-progress", "-f", "json")
    assert code == 1
    findings = [f for f in json.loads(out)["findings"] if f["rule_id"] == "AIW-SCA001"]
    assert len(findings) == 1
    assert findings[0]["severity"] == "critical"
    assert "GHSA-test-only-0001 (CVE-2099-0001)" in findings[0]["message"]
    assert "fixed in 1.4.0" in findings[0]["message"]


def test_db_option_and_user_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "custom.sqlite3"
    code, out, _ = run(capsys, "db", "import", str(_dump(tmp_path / "all.zip")), "--db", str(db))
    assert code == 0 and db.is_file() and str(db) in out
    code, _, err = run(capsys, "db", "import", str(tmp_path / "missing.zip"), "--db", str(db))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    bogus = tmp_path / "bogus.zip"
    bogus.write_text("not a zip")
    code, _, err = run(capsys, "db", "import", str(bogus), "--db", str(db))
    assert code == 2 and "not a readable zip" in err and "Traceback" not in err
