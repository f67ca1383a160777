"""How the document checks find files: part by part, any depth, inherited, bounded."""

from __future__ import annotations

import time
from pathlib import Path

from docs_evidence_support import write

from aiwarden.assess.evidence._docs_base import MAX_DOCS, locate, names
from aiwarden.assess.evidence.interface import ProjectView


def _view(root: Path, files: list[str], prefix: str = "") -> ProjectView:
    # locate() reads only the file list (and, to inherit, the disk), never the report
    return ProjectView(root, prefix, tuple(sorted(files)), report=None)  # type: ignore[arg-type]


def test_patterns_match_part_by_part_and_ignore_case(tmp_path: Path) -> None:
    view = _view(tmp_path, ["Docs/Guide.MD", "docs/deep/guide.md", "docs/x.txt", "a/docs/y.md"])
    assert locate(view, ["docs/*.md"]) == ["Docs/Guide.MD"]
    assert locate(view, ["docs/*/*.md"]) == ["docs/deep/guide.md"]


def test_any_depth_patterns_skip_fixtures_and_hidden_directories(tmp_path: Path) -> None:
    files = ["a/b/m.tm7", "tests/fixtures/t.tm7", ".venv/x.tm7", "node_modules/p/q.tm7", "m.tm7"]
    assert locate(_view(tmp_path, files), ["**/*.tm7"]) == ["a/b/m.tm7", "m.tm7"]


def test_prefix_limits_the_search_to_the_assessed_directory(tmp_path: Path) -> None:
    files = ["apps/bot/SECURITY.md", "apps/other/SECURITY.md", "SECURITY.md"]
    view = _view(tmp_path, [f for f in files if f.startswith("apps/bot/")], "apps/bot/")
    assert locate(view, ["SECURITY.md"]) == ["apps/bot/SECURITY.md"]


def test_inheritance_takes_the_nearest_parent_and_exact_names_only(tmp_path: Path) -> None:
    write(tmp_path, {"SECURITY.md": "root", "apps/SECURITY.md": "apps", "apps/docs/x.md": "x"})
    view = _view(tmp_path, ["apps/bot/app.py"], "apps/bot/")
    found = locate(view, ["SECURITY.md", "docs/*.md"], inherit=True)
    assert found == ["apps/SECURITY.md"]
    assert names(view, found) == "apps/SECURITY.md (inherited from a parent directory)"
    assert locate(view, ["SECURITY.md"]) == []


def test_inheritance_refuses_symlinks(tmp_path: Path) -> None:
    write(tmp_path, {"elsewhere.md": "policy", "apps/bot/app.py": "x"})
    (tmp_path / "SECURITY.md").symlink_to(tmp_path / "elsewhere.md")
    view = _view(tmp_path, ["apps/bot/app.py"], "apps/bot/")
    assert locate(view, ["SECURITY.md"], inherit=True) == []


def test_results_are_capped_and_fast_on_a_large_tree(tmp_path: Path) -> None:
    files = [f"pkg{i % 50}/sub{i % 7}/mod{i}.py" for i in range(100_000)]
    files += [f"docs/page{i}.md" for i in range(500)]
    view = _view(tmp_path, files)
    started = time.monotonic()
    found = locate(view, ["docs/*.md", "**/*.tm7", "README.md"])
    assert len(found) == MAX_DOCS
    assert time.monotonic() - started < 2
