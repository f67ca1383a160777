"""Every manifest format tells runtime, optional and development dependencies apart."""

from __future__ import annotations

import json
from pathlib import Path

from deps_support import parse

from aiwarden.analyzers.deps.manifest import (
    SCOPE_DEVELOPMENT,
    SCOPE_OPTIONAL,
    SCOPE_RUNTIME,
    Dependency,
    ManifestResult,
)

RUNTIME = (SCOPE_RUNTIME, None)


def scopes(result: ManifestResult) -> dict[str, tuple[str, str | None]]:
    assert result.problems == []
    return {d.normalized: (d.scope, d.group) for d in result.dependencies}


def test_defaults_keep_old_constructions_runtime() -> None:
    dep = Dependency("x", "x", "PyPI", "", None, "requirements.txt", 1, "registry",
                     False, False, True)  # fmt: skip
    assert (dep.scope, dep.group) == RUNTIME


def test_pep621_extras_and_pep735_groups(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "app"\ndependencies = ["fastapi", "torch @ git+https://x/t.git"]\n'
        '[project.optional-dependencies]\ngpu = ["vllm>=0.5"]\n'
        '[dependency-groups]\ntest = ["openai", {include-group = "lint"}]\nlint = ["ruff"]\n',
    )
    assert scopes(result) == {
        "fastapi": RUNTIME,
        "torch": RUNTIME,
        "vllm": (SCOPE_OPTIONAL, "gpu"),
        "openai": (SCOPE_DEVELOPMENT, "test"),
        "ruff": (SCOPE_DEVELOPMENT, "lint"),
    }


def test_poetry_tables_extras_and_groups(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "pyproject.toml",
        "[tool.poetry.dependencies]\n"
        'python = "^3.10"\n'
        'transformers = "^4.30"\n'
        'torch = { version = "^2.1", optional = true }\n'
        'faiss = [{ version = "1.7", optional = true, python = ">=3.9" }]\n'
        'lib = { git = "https://github.com/o/lib.git", optional = true }\n'
        "[tool.poetry.extras]\ngpu = ['torch', 'lib']\n"
        "[tool.poetry.dev-dependencies]\n"
        'pytest = "^7"\n'
        "[tool.poetry.group.docs.dependencies]\n"
        'mkdocs = "^1"\n'
        "[tool.poetry.group.main.dependencies]\n"
        'anthropic = "^0.40"\n',
    )
    assert scopes(result) == {
        "transformers": RUNTIME,
        "torch": (SCOPE_OPTIONAL, "gpu"),
        "faiss": (SCOPE_OPTIONAL, None),
        "lib": (SCOPE_OPTIONAL, "gpu"),
        "pytest": (SCOPE_DEVELOPMENT, "dev-dependencies"),
        "mkdocs": (SCOPE_DEVELOPMENT, "docs"),
        "anthropic": RUNTIME,
    }


def test_package_json_sections(tmp_path: Path) -> None:
    manifest = {
        "dependencies": {"openai": "^4.0.0"},
        "devDependencies": {"jest": "29.0.0"},
        "optionalDependencies": {"fsevents": "github:fsevents/fsevents"},
    }
    result = parse(tmp_path, "package.json", json.dumps(manifest, indent=2))
    assert scopes(result) == {
        "openai": RUNTIME,
        "jest": (SCOPE_DEVELOPMENT, "devDependencies"),
        "fsevents": (SCOPE_OPTIONAL, "optionalDependencies"),
    }
    assert {d.normalized: d.line for d in result.dependencies} == {
        "openai": 3, "jest": 6, "fsevents": 9,
    }  # fmt: skip


def test_package_lock_v2_v3_flags(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"dependencies": {"a": "1.0.0"}, "devDependencies": {"b": "1.0.0"}},
            "node_modules/a": {"version": "1.0.0"},
            "node_modules/b": {"version": "1.0.0", "dev": True},
            "node_modules/c": {"version": "1.0.0", "optional": True},
            "node_modules/d": {"version": "1.0.0", "devOptional": True},
            "node_modules/e": {"version": "1.0.0", "dev": True, "optional": True},
        },
    }
    result = parse(tmp_path, "package-lock.json", json.dumps(lock, indent=2))
    assert scopes(result) == {
        "a": RUNTIME,
        "b": (SCOPE_DEVELOPMENT, None),
        "c": (SCOPE_OPTIONAL, None),
        "d": (SCOPE_DEVELOPMENT, None),
        "e": (SCOPE_DEVELOPMENT, None),
    }


def test_package_lock_v1_flags(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 1,
        "dependencies": {
            "a": {"version": "1.0.0", "dependencies": {"n": {"version": "2.0.0", "dev": True}}},
            "o": {"version": "1.0.0", "optional": True},
        },
    }
    result = parse(tmp_path, "npm-shrinkwrap.json", json.dumps(lock))
    assert scopes(result) == {
        "a": RUNTIME,
        "n": (SCOPE_DEVELOPMENT, None),
        "o": (SCOPE_OPTIONAL, None),
    }


def test_pipfile_sections(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "Pipfile",
        '[packages]\nopenai = "*"\nlocal = {path = "./lib"}\n[dev-packages]\npytest = "==8.0.0"\n',
    )
    assert scopes(result) == {
        "openai": RUNTIME,
        "local": RUNTIME,
        "pytest": (SCOPE_DEVELOPMENT, "dev-packages"),
    }


def test_pipfile_lock_sections(tmp_path: Path) -> None:
    lock = {
        "_meta": {"sources": []},
        "default": {"openai": {"version": "==1.0.0", "hashes": ["sha256:aa"]}},
        "develop": {
            "pytest": {"version": "==8.0.0"},
            "tool": {"git": "https://github.com/o/tool.git", "ref": "main"},
        },
    }
    result = parse(tmp_path, "Pipfile.lock", json.dumps(lock, indent=2))
    assert scopes(result) == {
        "openai": RUNTIME,
        "pytest": (SCOPE_DEVELOPMENT, "develop"),
        "tool": (SCOPE_DEVELOPMENT, "develop"),
    }
    assert {d.normalized: d.hashed for d in result.dependencies}["openai"]


def test_poetry_lock_records_category_and_optional(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "poetry.lock",
        '[[package]]\nname = "openai"\nversion = "1.0.0"\ncategory = "main"\n'
        '[[package]]\nname = "pytest"\nversion = "8.0.0"\ncategory = "dev"\n'
        '[[package]]\nname = "torch"\nversion = "2.1.0"\noptional = true\n'
        '[[package]]\nname = "numpy"\nversion = "1.26.0"\noptional = false\n',
    )
    assert scopes(result) == {
        "openai": RUNTIME,
        "pytest": (SCOPE_DEVELOPMENT, None),
        "torch": (SCOPE_OPTIONAL, None),
        "numpy": RUNTIME,
    }


def test_uv_lock_requirements_and_conda_stay_runtime(tmp_path: Path) -> None:
    uv = parse(
        tmp_path / "uv",
        "uv.lock",
        '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        '[package.dev-dependencies]\ndev = [{ name = "pytest" }]\n'
        '[[package]]\nname = "pytest"\nversion = "8.0.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n',
    )
    assert scopes(uv) == {"pytest": RUNTIME}  # uv.lock records no per-package scope
    requirements = parse(tmp_path / "req", "requirements-dev.txt", "pytest==8.0.0\n")
    assert scopes(requirements) == {"pytest": RUNTIME}  # a file name is not a scope
    conda = parse(
        tmp_path / "conda",
        "environment.yml",
        "dependencies:\n  - numpy=1.26\n  - pip:\n    - openai==1.0.0\n",
    )
    assert scopes(conda) == {"numpy": RUNTIME, "openai": RUNTIME}
