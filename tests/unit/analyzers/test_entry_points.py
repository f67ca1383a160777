"""Entry points read without importlib.metadata give importlib.metadata's answer."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiwarden.analyzers import _entry_points
from aiwarden.analyzers._entry_points import (
    _VALUE,
    EntryPoint,
    _split_value,
    group_entry_points,
)
from aiwarden.analyzers.registry import ENTRY_POINT_GROUP, load_analyzers

GROUP = "aiw.test.group"


def _stdlib(group: str) -> list[tuple[str, str, str]]:
    return [(e.name, e.value, e.group) for e in importlib.metadata.entry_points(group=group)]


def _ours(group: str) -> list[tuple[str, str, str]]:
    entries = group_entry_points(group)
    return [(e.name, e.value, getattr(e, "group", group)) for e in entries]


def _dist(site: Path, dirname: str, text: str) -> Path:
    dist = site / dirname
    dist.mkdir(parents=True)
    (dist / "entry_points.txt").write_text(text, encoding="utf-8")
    return dist


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    yield first, second


@pytest.mark.parametrize("group", [ENTRY_POINT_GROUP, "console_scripts", "pytest11", "none.such"])
def test_installed_groups_match_importlib_metadata(group: str) -> None:
    assert _ours(group) == _stdlib(group)


def test_builtin_analyzers_are_found() -> None:
    names = [e.name for e in group_entry_points(ENTRY_POINT_GROUP)]
    assert "model-serialization" in names
    assert all(type(e) is EntryPoint for e in group_entry_points(ENTRY_POINT_GROUP))


def test_plugin_dist_info_on_sys_path_is_found(fake_plugin: Path) -> None:
    assert ("test-misbehaving", "aiw_fake_plugin:MisbehavingAnalyzer", ENTRY_POINT_GROUP) in _ours(
        ENTRY_POINT_GROUP
    )
    assert _ours(ENTRY_POINT_GROUP) == _stdlib(ENTRY_POINT_GROUP)
    names = [a.name for a in load_analyzers().analyzers]
    assert "test-misbehaving" in names


def test_first_distribution_of_a_name_wins_and_order_is_kept(sites: tuple[Path, Path]) -> None:
    first, second = sites
    _dist(first, "Aiw_Demo-2.0.dist-info", f"[{GROUP}]\nb = mod_b:B\na = mod_a:A\n")
    _dist(first, "other-1.0.dist-info", f"# comment\n\n[{GROUP}]\n  z =  mod_z : Z  \n")
    _dist(second, "aiw.demo-1.0.dist-info", f"[{GROUP}]\nshadowed = mod_s:S\n")
    _dist(second, "legacy.egg-info", f"[{GROUP}]\nlegacy = mod_l\n[other]\nx = y:z\n")
    (second / "broken-1.0.dist-info").mkdir()  # no entry_points.txt
    (second / "notes.dist-info").write_text("a file, not a directory")
    assert _ours(GROUP) == _stdlib(GROUP)
    assert [name for name, _, _ in _ours(GROUP)] == ["b", "a", "z", "legacy"]


def test_unusual_layouts_fall_back_to_importlib_metadata(sites: tuple[Path, Path]) -> None:
    first, _ = sites
    _dist(first, "Upper-1.0.DIST-INFO", f"[{GROUP}]\nu = mod_u:U\n")
    (first / "Upper-1.0.DIST-INFO" / "METADATA").write_text("Name: upper\nVersion: 1\n")
    assert _ours(GROUP) == _stdlib(GROUP)
    with pytest.raises(_entry_points._Unusual):
        _entry_points._fast(GROUP)


def test_a_line_without_equals_raises_as_importlib_metadata_does(
    sites: tuple[Path, Path],
) -> None:
    first, _ = sites
    _dist(first, "bad-1.0.dist-info", f"[{GROUP}]\nno equals sign here\n")
    with pytest.raises(Exception) as stdlib:
        importlib.metadata.entry_points(group=GROUP)
    with pytest.raises(stdlib.type, match=re.escape(str(stdlib.value))):
        group_entry_points(GROUP)


def test_another_distribution_finder_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        def find_spec(self, *args: object) -> None:
            return None

        def find_distributions(self, *args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    with pytest.raises(_entry_points._Unusual):
        _entry_points._fast(ENTRY_POINT_GROUP)
    assert _ours(ENTRY_POINT_GROUP) == _stdlib(ENTRY_POINT_GROUP)


@pytest.mark.parametrize(
    "value",
    [
        "a.b:C",
        "a.b:C.d",
        "a",
        "a:",
        "a: b",
        "a :b",
        "a[x]",
        "a:b [x]",
        ":b",
        "a.b.c:D_e1",
        "\u00e9:x",
        "a:b:c",
        "a-b:c",
        "..:..",
        "a:.",
        "a:b c",
    ],
)
def test_values_split_as_the_stdlib_pattern_matches(value: str) -> None:
    match = re.match(_VALUE, value)
    assert importlib.metadata.EntryPoint.pattern.pattern == _VALUE
    if match is None:
        with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'group'"):
            _split_value(value)
    else:
        assert _split_value(value) == (match.group("module"), match.group("attr") or "")


def test_load_resolves_a_dotted_attribute() -> None:
    loaded = EntryPoint("x", "aiwarden.analyzers.registry:Registry.analyzer", GROUP).load()
    assert loaded is load_analyzers.__globals__["Registry"].analyzer
    assert "group='aiw.test.group'" in repr(EntryPoint("x", "m", GROUP))
