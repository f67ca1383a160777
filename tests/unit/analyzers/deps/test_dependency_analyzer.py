"""The dependencies analyzer end to end: one manifest in, AIW-SCA findings out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deps_support import write

from aiwarden.analyzers.deps.analyzer import DependencyAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.core.finding import Finding
from aiwarden.core.severity import Severity
from aiwarden.engine.classify import classify_file
from aiwarden.osv.model import parse_record
from aiwarden.osv.store import BundledStore

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def scan(root: Path, relpath: str, store: BundledStore | None = None) -> list[Finding]:
    path = root / relpath
    artifact = Artifact(path, relpath, classify_file(path), path.stat().st_size)
    analyzer = DependencyAnalyzer(store=store or BundledStore())
    assert analyzer.accepts(artifact), artifact.format
    return list(analyzer.analyze(artifact, Limits()))


def ids(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return sorted((f.rule_id, f.location.line) for f in findings)


def test_known_vulnerable_pins_name_version_ids_fix_and_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "requirements.txt",
        "# ml\ntorch==2.5.1\nlangflow==1.2.0\ntorch-geometric==2.5.0\n",
    )
    findings = [f for f in scan(tmp_path, "requirements.txt") if f.rule_id == "AIW-SCA001"]
    assert [f.location.line for f in findings] == [2, 3]
    torch, langflow = findings
    assert (
        "torch 2.5.1" in torch.message and "GHSA-53q9-r3pm-6pq6 (CVE-2025-32434)" in torch.message
    )
    assert "fixed in 2.6.0" in torch.message and "requirements.txt line 2" in torch.message
    assert torch.severity is Severity.CRITICAL  # qualitative rating
    assert langflow.severity is Severity.CRITICAL  # CVSS 3.1 vector 9.8
    assert "CVE-2025-3248" in langflow.message and "fixed in 1.3.0" in langflow.message


def test_fixed_versions_and_safe_forms_are_not_flagged(tmp_path: Path) -> None:
    write(
        tmp_path, "requirements.txt", "torch==2.6.0\nkeras==3.11.0\nmcp==1.10.0\ngradio==4.13.0\n"
    )
    assert [f for f in scan(tmp_path, "requirements.txt") if f.rule_id == "AIW-SCA001"] == []


def test_disputed_advisory_is_info(tmp_path: Path) -> None:
    write(tmp_path, "requirements.txt", "ray==2.40.0\n")
    findings = scan(tmp_path, "requirements.txt")
    vuln = [f for f in findings if f.rule_id == "AIW-SCA001"]
    assert len(vuln) == 1 and vuln[0].severity is Severity.INFO
    assert "disputed" in vuln[0].message
    assert ("AIW-SCA007", 1) in ids(findings)


def test_lock_file_versions_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "poetry.lock",
        '[[package]]\nname = "llama-cpp-python"\nversion = "0.2.71"\nfiles = []\n',
    )
    findings = scan(tmp_path, "poetry.lock")
    assert [(f.rule_id, f.location.line) for f in findings] == [("AIW-SCA001", 1)]
    assert "locked in poetry.lock" in findings[0].message


def test_unpinned_ai_package_unless_a_lock_or_constraint_pins_it(tmp_path: Path) -> None:
    write(tmp_path, "a/requirements.txt", "torch>=2\nrequests\ntransformers\n")
    assert ids(scan(tmp_path, "a/requirements.txt")) == [("AIW-SCA002", 1), ("AIW-SCA002", 3)]
    write(tmp_path, "b/requirements.txt", "-c constraints.txt\ntorch>=2\ntransformers\n")
    write(tmp_path, "b/constraints.txt", "torch==2.6.0\n")
    assert ids(scan(tmp_path, "b/requirements.txt")) == [("AIW-SCA002", 3)]
    write(tmp_path, "c/pyproject.toml", '[project]\ndependencies = ["torch>=2", "vllm"]\n')
    write(tmp_path, "c/uv.lock", '[[package]]\nname = "torch"\nversion = "2.6.0"\n')
    assert ids(scan(tmp_path, "c/pyproject.toml")) == [("AIW-SCA002", 2)]  # vllm only
    write(tmp_path, "d/requirements.in", "torch\nlangchain\n")
    write(tmp_path, "d/requirements.txt", "torch==2.6.0\nlangchain==0.3.0\n")
    assert ids(scan(tmp_path, "d/requirements.in")) == []  # pip-tools compiles .in to .txt


def test_deployable_service_without_lock_or_hashes(tmp_path: Path) -> None:
    write(tmp_path, "svc/Dockerfile", "FROM python:3.12\n")
    write(tmp_path, "svc/requirements.txt", "fastapi==0.115.0\n")
    assert ids(scan(tmp_path, "svc/requirements.txt")) == [("AIW-SCA003", 1)]
    write(tmp_path, "hashed/compose.yaml", "services: {}\n")
    write(tmp_path, "hashed/requirements.txt", "fastapi==0.115.0 --hash=sha256:aa\n")
    assert ids(scan(tmp_path, "hashed/requirements.txt")) == []
    write(tmp_path, "lib/requirements.txt", "fastapi==0.115.0\n")  # no container file
    assert ids(scan(tmp_path, "lib/requirements.txt")) == []
    write(tmp_path, "locked/Dockerfile", "FROM python\n")
    write(tmp_path, "locked/pyproject.toml", '[project]\ndependencies = ["fastapi"]\n')
    write(tmp_path, "locked/uv.lock", '[[package]]\nname = "fastapi"\nversion = "0.115.0"\n')
    assert ids(scan(tmp_path, "locked/pyproject.toml")) == []


def test_risky_sources(tmp_path: Path) -> None:
    write(
        tmp_path,
        "requirements.txt",
        "--index-url https://pypi.org/simple\n"
        "--extra-index-url https://user:s3cret@private.example/simple\n"
        "--trusted-host private.example\n"
        "-f http://wheels.example/\n"
        "lib @ git+https://github.com/o/lib.git@main\n"
        f"ok @ git+https://github.com/o/ok.git@{COMMIT}\n"
        "tarball @ https://example.com/t-1.0.tar.gz\n",
    )
    findings = [f for f in scan(tmp_path, "requirements.txt") if f.rule_id == "AIW-SCA004"]
    assert sorted(f.location.line or 0 for f in findings) == [2, 3, 4, 5, 7]
    by_line = {f.location.line: f for f in findings}
    assert by_line[2].severity is Severity.MEDIUM and "dependency confusion" in by_line[2].message
    assert "s3cret" not in by_line[2].message and "***@private.example" in by_line[2].message
    assert by_line[3].severity is Severity.HIGH and by_line[4].severity is Severity.HIGH
    assert "full commit" in by_line[5].message and "no hash" in by_line[7].message


def test_end_of_life_components(tmp_path: Path) -> None:
    write(
        tmp_path,
        "requirements.txt",
        "torchserve==0.12.0\ntorch==1.13.1\nlangchain==0.3.0\nopenai\n",
    )
    findings = [f for f in scan(tmp_path, "requirements.txt") if f.rule_id == "AIW-SCA005"]
    assert [f.location.line for f in findings] == [1, 2]
    assert "limited maintenance" in findings[0].message
    assert "PyTorch 1.x" in findings[1].message


def test_npm_mcp_packages(tmp_path: Path) -> None:
    data = {
        "dependencies": {
            "mcp-remote": "0.1.15",
            "@modelcontextprotocol/inspector": "^0.13.0",
            "@modelcontextprotocol/server-filesystem": "2025.3.28",
            "@playwright/mcp": "latest",
            "@modelcontextprotocol/sdk": "1.20.0",
            "express": "^4.0.0",
        }
    }
    write(tmp_path, "package.json", json.dumps(data, indent=2))
    findings = scan(tmp_path, "package.json")
    assert {f.rule_id for f in findings} == {"AIW-SCA006"}
    by_line: dict[int | None, list[Finding]] = {}
    for finding in findings:
        by_line.setdefault(finding.location.line, []).append(finding)
    assert by_line[3][0].severity is Severity.CRITICAL and "CVE-2025-6514" in by_line[3][0].message
    assert len(by_line[4]) == 1  # the range finding replaces the plain "unpinned" one
    assert "allows 0.13.0" in by_line[4][0].message  # the range admits a vulnerable version
    assert by_line[4][0].severity is Severity.CRITICAL
    assert len(by_line[5]) == 2  # CVE-2025-53109 and CVE-2025-53110
    assert (
        by_line[6][0].severity is Severity.MEDIUM
        and "no package-lock.json" in by_line[6][0].message
    )
    assert 7 not in by_line and 8 not in by_line  # pinned SDK, non-MCP express


def test_npm_lock_pins_silence_ranges_and_are_checked(tmp_path: Path) -> None:
    write(tmp_path, "package.json", '{"dependencies": {"mcp-remote": "^0.1.0"}}')
    lock = {"lockfileVersion": 3, "packages": {
        "": {"dependencies": {"mcp-remote": "^0.1.0"}},
        "node_modules/mcp-remote": {"version": "0.1.16", "integrity": "sha512-x"}}}  # fmt: skip
    write(tmp_path, "package-lock.json", json.dumps(lock, indent=2))
    assert scan(tmp_path, "package.json") == []
    assert scan(tmp_path, "package-lock.json") == []


def test_unparseable_parts_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "requirements.txt", "torch=2.1.0\nnumpy==1.26.0\n")
    findings = scan(tmp_path, "requirements.txt")
    assert [(f.rule_id, f.severity) for f in findings] == [("AIW-SCA099", Severity.LOW)]
    write(tmp_path, "x/pyproject.toml", "[project\n")
    findings = scan(tmp_path, "x/pyproject.toml")
    assert [(f.rule_id, f.severity) for f in findings] == [("AIW-SCA099", Severity.MEDIUM)]


def test_sqlite_or_any_store_is_used_and_aliases_merge(tmp_path: Path) -> None:
    twin = parse_record({
        "id": "PYSEC-2099-1", "aliases": ["CVE-2025-32434"], "summary": "same bug",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "torch"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                                  {"fixed": "2.6.0"}]}]}],
    })  # fmt: skip
    store = BundledStore([*BundledStore().records, twin])
    write(tmp_path, "requirements.txt", "torch==2.0.0\n")
    findings = [f for f in scan(tmp_path, "requirements.txt", store) if f.rule_id == "AIW-SCA001"]
    assert len(findings) == 1 and "PYSEC-2099-1" in findings[0].message


@pytest.mark.parametrize(
    "name",
    [
        "MANIFEST.in",
        "notes.txt",
        "config.json",
        "node_modules/mcp-remote/package.json",
        ".venv/lib/python3.12/site-packages/x/requirements.txt",
    ],
)
def test_other_files_are_not_accepted(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, "torch==2.0.0\n")
    artifact = Artifact(path, name, classify_file(path), path.stat().st_size)
    assert not DependencyAnalyzer().accepts(artifact)


def test_utf16_requirements_from_powershell_are_read(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes("torch==2.5.1\r\n".encode("utf-16"))  # BOM + UTF-16-LE, as PowerShell
    findings = scan(tmp_path, "requirements.txt")
    assert [(f.rule_id, f.location.line) for f in findings] == [("AIW-SCA001", 1)]


def test_invalid_utf8_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"# caf\xe9\ntorch==2.5.1\n")
    findings = scan(tmp_path, "requirements.txt")
    assert sorted(f.rule_id for f in findings) == ["AIW-SCA001", "AIW-SCA099"]


def test_uv_unsafe_index_strategy(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\n[tool.uv]\nindex-strategy = "unsafe-best-match"\n',
    )
    findings = scan(tmp_path, "pyproject.toml")
    assert [(f.rule_id, f.location.line) for f in findings] == [("AIW-SCA004", 4)]


def test_included_manifests_report_in_their_own_file_once(tmp_path: Path) -> None:
    write(tmp_path, "requirements-base.txt", "--extra-index-url https://x.example/simple\ntorch\n")
    write(tmp_path, "base.in.txt", "llama-cpp-python==0.2.71\n")  # not a manifest by name
    write(tmp_path, "requirements.txt", "-r requirements-base.txt\n-r base.in.txt\n")
    top = scan(tmp_path, "requirements.txt")
    assert [(f.rule_id, f.location.path, f.location.line) for f in top] == [
        ("AIW-SCA001", "base.in.txt", 1)
    ]
    included = scan(tmp_path, "requirements-base.txt")
    assert ids(included) == [("AIW-SCA002", 2), ("AIW-SCA004", 1)]
