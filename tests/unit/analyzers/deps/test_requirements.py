"""requirements files: forms of requirement, options, includes and their bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
from deps_support import by_name, parse, write

from aiwarden.analyzers.deps import _requirements
from aiwarden.analyzers.deps.manifest import manifest_kind

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_pins_ranges_markers_and_hashes(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "requirements.txt",
        "# comment line\n"
        "Torch==2.1.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
        "transformers>=4.30,<5 ; python_version >= '3.9'  # trailing comment\n"
        "langchain===0.0.100\n"
        "numpy==1.26.*\n"
        "Llama_CPP.Python\n",
    )
    deps = by_name(result)
    assert list(deps) == ["torch", "transformers", "langchain", "numpy", "llama-cpp-python"]
    torch = deps["torch"]
    assert (torch.name, torch.version, torch.line, torch.hashed) == ("Torch", "2.1.0", 2, True)
    assert deps["transformers"].version is None
    assert deps["transformers"].specifier == "<5,>=4.30"
    assert deps["transformers"].markers == 'python_version >= "3.9"'
    assert deps["transformers"].line == 5
    assert deps["langchain"].version == "0.0.100"
    assert deps["numpy"].version is None  # a wildcard is a range
    assert deps["llama-cpp-python"].specifier == "" and deps["llama-cpp-python"].line == 8
    assert all(d.kind == "registry" and d.direct and not d.locked for d in deps.values())
    assert result.problems == []


def test_url_vcs_and_path_requirements(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "requirements.txt",
        f"git+https://github.com/org/pinned.git@{COMMIT}#egg=pinned\n"
        "floating @ git+https://github.com/org/floating.git@main\n"
        "git+https://github.com/org/nobranch.git#egg=nobranch\n"
        "wheel @ https://example.com/wheel-1.0-py3-none-any.whl#sha256=" + "ab" * 32 + "\n"
        "https://example.com/dist/other-2.0.tar.gz\n"
        "-e ./local/pkg\n"
        "-e git+https://github.com/org/editable.git@v1#egg=editable\n",
    )
    deps = by_name(result)
    assert deps["pinned"].kind == "vcs" and deps["pinned"].commit == COMMIT
    assert deps["pinned"].pinned
    assert deps["floating"].kind == "vcs" and deps["floating"].version is None
    assert deps["nobranch"].version is None and not deps["nobranch"].pinned
    assert deps["wheel"].kind == "url" and deps["wheel"].hashed and deps["wheel"].pinned
    assert deps["other"].kind == "url" and not deps["other"].pinned
    assert deps["./local/pkg"].kind == "path"
    assert deps["editable"].kind == "vcs" and deps["editable"].version is None
    assert result.problems == []


def test_index_options_and_require_hashes(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "requirements.txt",
        "--index-url https://pypi.org/simple\n"
        "--extra-index-url=https://user:tok@private.example/simple\n"
        "-i http://plain.example/simple\n"
        "--trusted-host plain.example\n"
        "--require-hashes\n"
        "--find-links https://wheels.example/\n"
        "--pre\n",
    )
    options = [(o.option, o.value, o.line) for o in result.index_urls]
    assert options == [
        ("index-url", "https://pypi.org/simple", 1),
        ("extra-index-url", "https://user:tok@private.example/simple", 2),
        ("index-url", "http://plain.example/simple", 3),
        ("trusted-host", "plain.example", 4),
        ("find-links", "https://wheels.example/", 6),
    ]
    assert result.require_hashes
    assert result.problems == []


def test_includes_constraints_and_cycles(tmp_path: Path) -> None:
    write(tmp_path, "reqs/base.txt", "-r ../requirements.txt\nmlflow==2.1.0\n-r common.txt\n")
    write(tmp_path, "reqs/common.txt", "-r base.txt\nray==2.5.0\n")
    write(tmp_path, "constraints.txt", "torch==2.0.0\n")
    result = parse(tmp_path, "requirements.txt", "-r reqs/base.txt\n-c constraints.txt\ntorch\n")
    deps = by_name(result)
    assert (deps["mlflow"].path, deps["mlflow"].line) == ("reqs/base.txt", 2)
    assert deps["ray"].path == "reqs/common.txt"
    assert deps["torch"].path == "requirements.txt" and deps["torch"].version is None
    assert [(c.normalized, c.version, c.direct) for c in result.constraints] == [
        ("torch", "2.0.0", False)
    ]
    assert result.included == ["reqs/base.txt", "reqs/common.txt", "constraints.txt"]
    assert result.problems == []  # the cycle back to requirements.txt is cut silently


def test_includes_outside_the_project_remote_or_missing_are_problems(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(tmp_path, "secret.txt", "evil==1.0\n")
    result = parse(
        project,
        "requirements.txt",
        "-r ../secret.txt\n-r https://example.com/r.txt\n-r missing.txt\n-r /etc/hostname\n",
    )
    assert result.dependencies == []
    messages = [p.message for p in result.problems]
    assert "include outside the project: ../secret.txt" in messages
    assert "remote include not followed: https://example.com/r.txt" in messages
    assert "included file unreadable: missing.txt" in messages
    assert "include outside the project: /etc/hostname" in messages


def test_include_depth_is_bounded(tmp_path: Path) -> None:
    depth = _requirements.MAX_INCLUDE_DEPTH + 3
    for level in range(depth):
        write(tmp_path, f"r{level}.txt", f"-r r{level + 1}.txt\npkg{level}==1.0\n")
    write(tmp_path, f"r{depth}.txt", "last==1.0\n")
    result = parse(tmp_path, "requirements.txt", "-r r0.txt\n")
    assert any("include limit reached" in p.message for p in result.problems)
    assert len(result.dependencies) == _requirements.MAX_INCLUDE_DEPTH


def test_bad_lines_are_problems_not_silence(tmp_path: Path) -> None:
    result = parse(
        tmp_path,
        "requirements.txt",
        "torch=2.1.0\n-x weird\n-e torch\nok==1.0\n",
    )
    assert [d.normalized for d in result.dependencies] == ["ok"]
    lines = sorted(p.line or 0 for p in result.problems)
    assert lines == [1, 2, 3]


def test_logical_lines_join_continuations_and_strip_comments() -> None:
    text = (
        "a==1 \\\n  --hash=sha256:x\n# only comment\n\nb # c\nurl#frag\n"
        "torch==2.\\\n5.1\n# comment ending in a backslash \\\nnext==1\n"
    )
    assert _requirements.logical_lines(text) == [
        (1, "a==1   --hash=sha256:x"),
        (5, "b"),
        (6, "url#frag"),
        (7, "torch==2.5.1"),  # pip joins continuation lines with nothing in between
        (10, "next==1"),  # a comment line's backslash does not continue it
    ]


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("requirements.in", "requirements"),
        ("constraints.txt", "requirements"),
        ("requirements/prod.txt", "requirements"),
        ("sub/pyproject.toml", "pyproject"),
        ("Pipfile", "pipfile"),
        ("Pipfile.lock", "pipfile.lock"),
        ("environment.yaml", "conda"),
        ("web/package-lock.json", "package-lock"),
        ("MANIFEST.in", None),
        ("Makefile.in", None),
        ("notes.txt", None),
        ("config.toml", None),
    ],
)
def test_manifest_kind_by_name(relpath: str, kind: str | None) -> None:
    assert manifest_kind(relpath) == kind
