"""conda environment files, package.json and package-lock.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deps_support import by_name, parse

from aiwarden.analyzers.deps._conda import conda_exact_version
from aiwarden.analyzers.deps._npm import npm_exact_version
from aiwarden.analyzers.deps._npm_ranges import lowest_allowed


def test_conda_specs_pip_section_and_lines(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "environment.yml",
        "name: ml\nchannels:\n  - conda-forge\n  - http://conda.example/chan\ndependencies:\n"
        "  - python=3.11\n  - pytorch::pytorch=2.0.1=py3.11_cuda11.8_0\n  - numpy>=1.20\n"
        "  - transformers\n  - pip:\n    - ray==2.5.0\n"
        "    - --extra-index-url https://x.example/simple\n",
    )
    deps = by_name(result)
    assert deps["pytorch"].ecosystem == "conda" and deps["pytorch"].version == "2.0.1"
    assert deps["pytorch"].line == 7
    assert deps["numpy"].version is None and deps["transformers"].specifier == ""
    assert deps["ray"].ecosystem == "PyPI" and deps["ray"].line == 11
    assert [(o.option, o.line) for o in result.index_urls] == [
        ("conda-channel", 4),
        ("extra-index-url", 12),
    ]


def test_conda_yaml_is_never_constructed(tmp_path: Path) -> None:
    text = "dependencies:\n  - !!python/object/apply:os.system ['echo pwned']\n"
    result = parse(tmp_path, "environment.yml", text)
    assert result.dependencies == [] and result.problems


@pytest.mark.parametrize("text", ["dependencies: [unclosed", "- just\n- a list\n"])
def test_conda_malformed(tmp_path: Path, text: str) -> None:
    assert parse(tmp_path, "environment.yml", text).problems


@pytest.mark.parametrize(
    ("spec", "version"),
    [("==1.2.3", "1.2.3"), ("=1.2.3=h123", "1.2.3"), ("1.2.3 h123", "1.2.3"), (">=1", None),
     ("=1.2.*", None), ("", None)],
)  # fmt: skip
def test_conda_exact_version(spec: str, version: str | None) -> None:
    assert conda_exact_version(spec) == version


def test_package_json_sections_and_forms(tmp_path: Path) -> None:
    data = {
        "name": "web",
        "dependencies": {
            "mcp-remote": "^0.1.10",
            "@modelcontextprotocol/inspector": "0.13.0",
            "aliased": "npm:openai@4.0.0",
        },
        "devDependencies": {
            "gh": "github:o/r",
            "tar": "https://x.example/t.tgz",
            "loc": "file:../x",
        },
    }
    result = parse(tmp_path, "package.json", json.dumps(data, indent=2))
    deps = by_name(result)
    assert deps["mcp-remote"].version is None and deps["mcp-remote"].line == 4
    assert deps["@modelcontextprotocol/inspector"].version == "0.13.0"
    assert deps["openai"].version == "4.0.0"  # the alias resolves to the real package
    assert deps["gh"].kind == "vcs" and deps["tar"].kind == "url" and deps["loc"].kind == "path"
    assert all(d.ecosystem == "npm" and d.direct for d in deps.values())


def test_package_lock_v3_and_v1(tmp_path: Path) -> None:
    v3 = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"mcp-remote": "^0.1.0"}},
            "node_modules/mcp-remote": {"version": "0.1.15", "integrity": "sha512-x"},
            "node_modules/mcp-remote/node_modules/open": {"version": "10.0.0"},
            "node_modules/alias": {"name": "real", "version": "1.0.0"},
        },
    }
    deps = by_name(parse(tmp_path, "package-lock.json", json.dumps(v3, indent=2)))
    assert deps["mcp-remote"].version == "0.1.15" and deps["mcp-remote"].direct
    assert deps["mcp-remote"].hashed and deps["mcp-remote"].locked
    assert not deps["open"].direct and deps["real"].version == "1.0.0"
    v1 = {"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "dependencies": {
        "b": {"version": "2.0.0"}}}}}  # fmt: skip
    deps = by_name(parse(tmp_path / "v1", "package-lock.json", json.dumps(v1)))
    assert deps["a"].version == "1.0.0" and deps["b"].version == "2.0.0"


@pytest.mark.parametrize(
    ("spec", "exact"),
    [("1.2.3", "1.2.3"), ("=1.2.3", "1.2.3"), ("v1.2.3-rc.1", "1.2.3-rc.1"), ("^1.2.3", None),
     ("latest", None), ("1.2", None)],
)  # fmt: skip
def test_npm_exact_version(spec: str, exact: str | None) -> None:
    assert npm_exact_version(spec) == exact


@pytest.mark.parametrize(
    ("spec", "lowest"),
    [("^0.1.10", "0.1.10"), ("~1.2", "1.2.0"), (">=2.0.0 <3", "2.0.0"), ("*", "0.0.0"),
     ("1.x", "1.0.0"), ("<1.0.0", "0.0.0"), ("^2.0.0 || ^1.5.0", "1.5.0"),
     ("1.0.0 - 2.0.0", "1.0.0"), (">1.0.0", None), ("next", None)],
)  # fmt: skip
def test_npm_lowest_allowed(spec: str, lowest: str | None) -> None:
    assert lowest_allowed(spec) == lowest
