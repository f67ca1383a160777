"""Hostile projects: huge and binary documents, deep trees, symlink loops, one-file scans."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from gov_support import analyse, ids, project, write

from aiwarden.analyzers.governance import project as project_module
from aiwarden.analyzers.governance.analyzer import GovernanceAnalyzer
from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.core.formats import FileFormat
from aiwarden.engine.config import Settings
from aiwarden.engine.executor import InlineExecutor
from aiwarden.engine.scan import ScanOptions, run_scan


def test_a_huge_readme_is_read_up_to_its_bound_quickly(tmp_path: Path) -> None:
    big = "# Notes\n" + ("lorem ipsum dolor sit amet " * 8 + "\n") * 200_000
    root = project(tmp_path, README_dot_md=big)
    started = time.perf_counter()
    (finding,) = [f for f in analyse(root) if f.rule.id == "AIW-GOV011"]
    assert time.perf_counter() - started < 20
    assert "first" in finding.message  # says only part of it was analysed


def test_deeply_nested_lists_and_headings_do_not_hang(tmp_path: Path) -> None:
    nested = "".join("  " * i + "- item\n" for i in range(5_000))
    headings = "".join("#" * (1 + i % 6) + f" h{i}\nword\n" for i in range(20_000))
    root = project(tmp_path, MONITORING_dot_md=nested + headings)
    started = time.perf_counter()
    assert "AIW-GOV010" in ids(analyse(root))
    assert time.perf_counter() - started < 20


def test_binary_junk_named_readme_is_reported_as_not_text(tmp_path: Path) -> None:
    root = project(tmp_path, README_dot_md=os.urandom(4096) + b"\x00" * 10)
    (finding,) = [f for f in analyse(root) if f.rule.id == "AIW-GOV011"]
    assert "is not text" in finding.message


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "models").mkdir()
    (root / "models" / "loop").symlink_to(root, target_is_directory=True)
    (root / "models" / "self").symlink_to(root / "models" / "self")
    assert analyse(root) == []


def test_a_directory_named_like_a_document_is_ignored(tmp_path: Path) -> None:
    root = project(tmp_path, SECURITY_dot_md=None)
    (root / "SECURITY.md").mkdir()
    assert "AIW-GOV001" in ids(analyse(root))


def test_the_walk_bound_is_reported_after_the_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "MAX_ENTRIES", 20)
    root = project(tmp_path, SECURITY_dot_md=None)
    write(root, {f"src/f{i}.py": "" for i in range(40)})
    path = root / "pyproject.toml"
    artifact = Artifact(path, "pyproject.toml", FileFormat.TOML, path.stat().st_size)
    found = []
    with pytest.raises(LimitExceeded, match="project walk stopped"):
        for finding in GovernanceAnalyzer().analyze(artifact, Limits()):
            found.append(finding.rule.id)
    assert "AIW-GOV001" in found


def test_the_depth_bound_is_reported(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(root, {"/".join(f"d{i}" for i in range(15)) + "/x.txt": "x"})
    with pytest.raises(LimitExceeded, match="depth"):
        analyse(root)


def test_only_manifests_are_anchors_and_one_per_directory(tmp_path: Path) -> None:
    root = project(tmp_path, package_dot_json="{}", setup_dot_py="")
    analyzer = GovernanceAnalyzer()

    def artifact(name: str, member: str | None = None) -> Artifact:
        return Artifact(root / name, name, FileFormat.TEXT, 1, member=member)

    assert analyzer.accepts(artifact("pyproject.toml"))
    assert not analyzer.accepts(artifact("package.json"))  # pyproject.toml takes priority
    assert not analyzer.accepts(artifact("setup.py"))
    assert not analyzer.accepts(artifact("README.md"))
    assert not analyzer.accepts(artifact("pyproject.toml", member="x.tar!pyproject.toml"))


def _scan(targets: tuple[Path, ...], root: Path) -> list[str]:
    settings = Settings(select=("AIW-GOV",), project_root=root)
    report = run_scan(ScanOptions(targets, settings), executor=InlineExecutor())
    return sorted(r.finding.rule.id for r in report.findings)


def test_scanning_a_single_non_manifest_file_reports_no_missing_documents(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {"pyproject.toml": "[project]\n", "README.md": "# x\n", "models/m.gguf": b"GGUF"},
    )
    assert _scan((root / "README.md",), root) == []
    assert _scan((root / "models" / "m.gguf",), root) == []
    assert "AIW-GOV001" in _scan((root,), root)


def test_a_project_with_a_package_json_anchor(tmp_path: Path) -> None:
    root = write(tmp_path, {"package.json": "{}", "README.md": "# x\n"})
    found = analyse(root, "package.json")
    assert "AIW-GOV009" in ids(found)
    assert any("npm" in f.message for f in found if f.rule.id == "AIW-GOV009")
