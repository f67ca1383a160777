"""Hostile manifests: deep nesting, alias bombs, huge files. Never a crash or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from deps_support import parse

from aiwarden.analyzers.deps.manifest import MAX_DEPENDENCIES

DEEP = 200_000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("package.json", '{"dependencies": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("package-lock.json", "[" * DEEP),
        ("Pipfile.lock", '{"default": ' + "{" * DEEP),
        ("pyproject.toml", "project = " + "[" * DEEP + "]" * DEEP + "\n"),
        ("environment.yml", "dependencies:\n" + "- " * 50_000 + "x\n"),
        ("environment.yml", "dependencies: " + "[" * DEEP + "]" * DEEP + "\n"),
    ],
)
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path, name: str, text: str) -> None:
    result = parse(tmp_path, name, text)
    assert result.problems and result.dependencies == []


def test_yaml_alias_bomb_is_not_expanded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    lines.append("dependencies: *a11")
    started = time.perf_counter()
    result = parse(tmp_path, "environment.yml", "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5
    assert len(result.dependencies) == 0 and result.problems  # entries are lists, not specs


def test_huge_requirements_file_is_bounded(tmp_path: Path) -> None:
    count = MAX_DEPENDENCIES + 10
    text = "".join(f"pkg{i}==1.0\n" for i in range(count))
    started = time.perf_counter()
    result = parse(tmp_path, "requirements.txt", text)
    assert time.perf_counter() - started < 30
    assert len(result.dependencies) == MAX_DEPENDENCIES
    assert [p.message for p in result.problems] == [f"more than {MAX_DEPENDENCIES} dependencies"]


def test_binary_garbage_named_as_manifests(tmp_path: Path) -> None:
    garbage = bytes(range(256)).decode("latin-1") * 20
    for name in ("requirements.txt", "pyproject.toml", "package.json", "poetry.lock",
                 "environment.yml", "Pipfile"):  # fmt: skip
        result = parse(tmp_path, name, garbage)
        assert result.problems, name
