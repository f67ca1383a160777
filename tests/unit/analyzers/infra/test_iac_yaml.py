"""Bounded YAML loading with line numbers."""

from __future__ import annotations

import time

import pytest

from aiwarden.analyzers.infra.yaml_documents import (
    C_NESTING_BOUND,
    MAX_DOCUMENTS,
    YamlBound,
    YamlBroken,
    load_documents,
    nesting_bound,
)


def test_lines_keys_and_merge_keys() -> None:
    docs = load_documents(
        "a: 1\nb:\n  - x: 2\n    y: '8:8'\n---\nbase: &b {k: v}\nd:\n  <<: *b\n  e: 1\n"
    )
    assert len(docs) == 2
    item = docs[0].list_at("b")[0]
    assert (item.get("y").text(), item.get("y").line) == ("8:8", 4)  # type: ignore[union-attr]
    assert docs[0].key_line("b") == 2
    merged = docs[1].get("d")
    assert merged is not None and merged.at("k") is not None and merged.key_line("e") == 9


def test_scalars_stay_text_and_null_is_none() -> None:
    doc = load_documents("port: 8000\nempty:\nflag: yes\nblock: |\n  echo hi\n")[0]
    assert doc.get("port").text() == "8000"  # type: ignore[union-attr]
    assert doc.get("empty").value is None  # type: ignore[union-attr]
    assert doc.get("flag").is_true()  # type: ignore[union-attr]
    block = doc.get("block")
    assert block is not None and block.block and block.text_line() == 5


def test_alias_bomb_hits_the_node_budget_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.monotonic()
    with pytest.raises(YamlBound, match="nodes"):
        load_documents("\n".join(lines))
    assert time.monotonic() - started < 5


def test_deep_nesting_is_a_bound_not_a_crash() -> None:
    with pytest.raises(YamlBound):
        load_documents("[" * 50_000)
    with pytest.raises(YamlBound, match="deeper"):
        load_documents("".join(f"{' ' * i}k{i}:\n" for i in range(100)) + " " * 100 + "v: 1\n")


def test_nesting_under_the_libyaml_bound_still_stops_at_the_depth_bound() -> None:
    text = "[" * 900 + "]" * 900
    assert nesting_bound(text) <= C_NESTING_BOUND
    with pytest.raises(YamlBound, match="deeper"):
        load_documents(text)
    assert nesting_bound("[" * 5000) > C_NESTING_BOUND  # the checked pure-Python parser


def test_too_many_documents() -> None:
    with pytest.raises(YamlBound, match="documents"):
        load_documents("a: 1\n---\n" * (MAX_DOCUMENTS + 5))


def test_broken_yaml_reports_its_line() -> None:
    with pytest.raises(YamlBroken) as info:
        load_documents("a: 1\nb: {c: 2\nd: 3\n")
    assert info.value.line >= 2


def test_python_tags_are_not_constructed() -> None:
    doc = load_documents("x: !!python/object/apply:os.system ['echo pwned']\n")[0]
    assert doc.get("x") is not None  # composed as a node, never constructed
