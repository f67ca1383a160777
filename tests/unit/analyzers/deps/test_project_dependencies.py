"""project_dependencies: the bounded walk the BOM uses."""

from __future__ import annotations

from pathlib import Path

from deps_support import write

from aiwarden.analyzers.deps.manifest import project_dependencies


def test_walks_manifests_and_skips_environments(tmp_path: Path) -> None:
    write(tmp_path, "requirements.txt", "-r requirements-base.txt\ntorch==2.1.0\n")
    write(tmp_path, "requirements-base.txt", "numpy==1.26.0\n")
    write(tmp_path, "web/package.json", '{"dependencies": {"mcp-remote": "0.1.16"}}')
    write(tmp_path, "svc/pyproject.toml", '[project]\ndependencies = ["vllm"]\n')
    write(tmp_path, ".venv/lib/requirements.txt", "hidden==1\n")
    write(tmp_path, "node_modules/x/package.json", '{"dependencies": {"hidden": "1.0.0"}}')
    write(tmp_path, "lib/site-packages/requirements.txt", "hidden==1\n")
    deps = project_dependencies(tmp_path)
    seen = sorted((d.path, d.normalized) for d in deps)
    assert seen == [
        ("requirements-base.txt", "numpy"),
        ("requirements.txt", "torch"),
        ("svc/pyproject.toml", "vllm"),
        ("web/package.json", "mcp-remote"),
    ]  # numpy once: from its own file, not again through the include


def test_empty_directory(tmp_path: Path) -> None:
    assert project_dependencies(tmp_path) == []
