"""Loading analyzers from entry points, and skipping broken plugins with a warning."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from aiwarden.analyzers.registry import ENTRY_POINT_GROUP, load_analyzers

BAD_PLUGINS = """
from aiwarden.analyzers.interface import Analyzer
from aiwarden.core import FileFormat, Rule, RuleId, Severity

RULE = Rule(RuleId("AIW-TST010"), "t", Severity.LOW, "s", "h", "r", ("SD-1",))

class Good(Analyzer):
    name = "good"
    rules = (RULE,)
    formats = frozenset({FileFormat.TEXT})
    def analyze(self, artifact, limits):
        return []

class SameRule(Good):
    name = "same-rule"

class OldApi(Good):
    name = "old-api"
    api_version = 0

class NotAnAnalyzer:
    pass

raise_on_import = None
"""


@pytest.fixture
def plugin_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (tmp_path / "aiw_bad_plugins.py").write_text(BAD_PLUGINS)
    (tmp_path / "aiw_broken.py").write_text("raise ImportError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "aiw_bad_plugins"
    sys.modules.pop("aiw_bad_plugins", None)
    sys.modules.pop("aiw_broken", None)


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def test_builtins_load_through_the_entry_point_group() -> None:
    registry = load_analyzers()
    assert "model-serialization" in [a.name for a in registry.analyzers]
    assert any(r.id == "AIW-MOD001" for r in registry.rules)


def test_broken_plugins_are_skipped_with_warnings(plugin_module: str) -> None:
    registry = load_analyzers(
        [
            ep("good", f"{plugin_module}:Good"),
            ep("same-rule", f"{plugin_module}:SameRule"),
            ep("old-api", f"{plugin_module}:OldApi"),
            ep("not-analyzer", f"{plugin_module}:NotAnAnalyzer"),
            ep("broken", "aiw_broken:Anything"),
        ]
    )
    assert [a.name for a in registry.analyzers] == ["good"]
    text = "\n".join(registry.warnings)
    assert "failed to load" in text
    assert "reuses rule ids" in text
    assert "analyzer API 0" in text
    assert "not an aiwarden Analyzer" in text


def test_builtin_only_skips_third_party(plugin_module: str) -> None:
    registry = load_analyzers([ep("good", f"{plugin_module}:Good")], builtin_only=True)
    assert registry.analyzers == ()
