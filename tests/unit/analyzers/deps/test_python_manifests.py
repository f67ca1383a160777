"""pyproject.toml (PEP 621, PEP 735, Poetry), poetry.lock, uv.lock, Pipfile, Pipfile.lock."""

from __future__ import annotations

import json
from pathlib import Path

from deps_support import by_name, parse, write

COMMIT = "fedcba9876543210fedcba9876543210fedcba98"


def test_pep621_optional_groups_and_uv_indexes(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "app"\ndependencies = [\n  "torch>=2.0",\n  "gradio==4.0.0",\n]\n'
        '[project.optional-dependencies]\ngpu = ["vllm"]\n'
        '[dependency-groups]\ndev = ["pytest", {include-group = "gpu"}]\n'
        '[[tool.uv.index]]\nname = "internal"\nurl = "https://pypi.internal.example/simple"\n',
    )
    deps = by_name(result)
    assert (deps["torch"].specifier, deps["torch"].line) == (">=2.0", 4)
    assert (deps["gradio"].version, deps["gradio"].line) == ("4.0.0", 5)
    assert deps["vllm"].line == 8 and deps["pytest"].line == 10
    assert [(o.option, o.value) for o in result.index_urls] == [
        ("uv-index", "https://pypi.internal.example/simple")
    ]
    assert result.problems == []


def test_poetry_forms(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "pyproject.toml",
        "[tool.poetry.dependencies]\n"
        'python = "^3.10"\n'
        'transformers = "^4.30"\n'
        'keras = "2.12.0"\n'
        'ray = {version = "==2.5.0", extras = ["default"]}\n'
        'lib = { git = "https://github.com/o/lib.git", branch = "main" }\n'
        f'pinned = {{ git = "https://github.com/o/p.git", rev = "{COMMIT}" }}\n'
        'local = { path = "../local" }\n'
        "[tool.poetry.group.dev.dependencies]\n"
        'mlflow = "~2.1"\n'
        "[[tool.poetry.source]]\n"
        'name = "private"\nurl = "https://private.example/simple"\npriority = "supplemental"\n',
    )
    deps = by_name(result)
    assert "python" not in deps
    assert deps["transformers"].version is None and deps["transformers"].line == 3
    assert deps["keras"].version == "2.12.0"  # a bare Poetry version is exact
    assert deps["ray"].version == "2.5.0"
    assert deps["lib"].kind == "vcs" and not deps["lib"].pinned
    assert deps["pinned"].commit == COMMIT
    assert deps["local"].kind == "path"
    assert deps["mlflow"].specifier == "~2.1" and deps["mlflow"].line == 10
    assert [o.option for o in result.index_urls] == ["poetry-source:supplemental"]


def test_invalid_toml_is_one_problem(tmp_path: Path) -> None:
    result = parse(tmp_path, "pyproject.toml", "[project\ndependencies = [")
    assert result.dependencies == []
    assert len(result.problems) == 1 and "invalid TOML" in result.problems[0].message


def test_poetry_lock_entries_hashes_sources_and_direct(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.poetry.dependencies]\ntorch = "^2.0"\n')
    result = parse(
        tmp_path,
        "poetry.lock",
        '[[package]]\nname = "torch"\nversion = "2.1.0"\n'
        'files = [{file = "torch-2.1.0.whl", hash = "sha256:aa"}]\n\n'
        '[[package]]\nname = "filelock"\nversion = "3.12.0"\nfiles = []\n\n'
        '[[package]]\nname = "lib"\nversion = "0.1"\n'
        f'[package.source]\ntype = "git"\nurl = "https://github.com/o/lib.git"\n'
        f'reference = "main"\nresolved_reference = "{COMMIT}"\n',
    )
    deps = by_name(result)
    torch = deps["torch"]
    assert (torch.version, torch.line, torch.locked, torch.hashed, torch.direct) == (
        "2.1.0", 1, True, True, True,
    )  # fmt: skip
    assert deps["filelock"].direct is False and deps["filelock"].hashed is False
    assert deps["filelock"].line == 6
    assert deps["lib"].kind == "vcs" and deps["lib"].commit == COMMIT


def test_uv_lock_skips_the_project_and_marks_direct(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "uv.lock",
        'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n'
        'source = { editable = "." }\ndependencies = [{ name = "transformers" }]\n\n'
        '[[package]]\nname = "transformers"\nversion = "4.36.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        'sdist = { url = "https://x/t.tar.gz", hash = "sha256:aa" }\n\n'
        '[[package]]\nname = "tokenizers"\nversion = "0.15.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n\n'
        '[[package]]\nname = "gitdep"\nversion = "1.0"\n'
        f'source = {{ git = "https://github.com/o/g?rev=main#{COMMIT}" }}\n',
    )
    deps = by_name(result)
    assert "app" not in deps
    assert deps["transformers"].direct and deps["transformers"].hashed
    assert deps["transformers"].line == 9
    assert not deps["tokenizers"].direct and not deps["tokenizers"].hashed
    assert deps["gitdep"].kind == "vcs" and deps["gitdep"].commit == COMMIT


def test_pipfile_and_sources(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "Pipfile",
        '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n'
        '[[source]]\nurl = "http://mirror.example/simple"\nverify_ssl = false\nname = "m"\n\n'
        '[packages]\nlangchain = "*"\ntorch = "==2.1.0"\n'
        'lib = {git = "https://github.com/o/lib.git", ref = "v1"}\n\n'
        '[dev-packages]\nmlflow = {version = ">=2"}\n',
    )
    deps = by_name(result)
    assert deps["langchain"].specifier == "" and deps["langchain"].line == 12
    assert deps["torch"].version == "2.1.0"
    assert deps["lib"].kind == "vcs" and deps["lib"].version is None
    assert deps["mlflow"].specifier == ">=2" and deps["mlflow"].line == 17
    assert [(o.option, o.value) for o in result.index_urls] == [
        ("index-url", "https://pypi.org/simple"),
        ("pipfile-source", "http://mirror.example/simple"),
        ("trusted-host", "http://mirror.example/simple"),
    ]


def test_pipfile_lock(tmp_path: Path) -> None:
    lock = {
        "_meta": {"sources": [{"url": "https://pypi.org/simple", "verify_ssl": True}]},
        "default": {
            "torch": {"version": "==2.5.1", "hashes": ["sha256:aa"]},
            "lib": {"git": "https://github.com/o/lib.git", "ref": COMMIT},
        },
        "develop": {"pytest": {"version": "==8.0.0"}},
    }
    result = parse(tmp_path, "Pipfile.lock", json.dumps(lock, indent=2))
    deps = by_name(result)
    assert deps["torch"].version == "2.5.1" and deps["torch"].hashed and deps["torch"].locked
    assert deps["torch"].line is not None
    assert deps["lib"].commit == COMMIT
    assert deps["pytest"].version == "8.0.0" and not deps["pytest"].hashed


def test_broken_lock_files_are_problems(tmp_path: Path) -> None:
    for name, text in (
        ("Pipfile.lock", "{not json"),
        ("poetry.lock", "package = 3\n"),
        ("uv.lock", "[[package]]\nversion = '1'\n"),
    ):
        result = parse(tmp_path, name, text)
        assert result.problems, name
