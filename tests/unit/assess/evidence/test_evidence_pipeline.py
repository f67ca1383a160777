"""Tests of the CI, dependency and segregation evidence checks, on real scans."""

from __future__ import annotations

from pathlib import Path

from machine_evidence_support import (
    HEURISTIC,
    SUPPORTS,
    UNDERMINES,
    VERIFIED,
    collect,
    polarity,
    write,
)

from aiwarden.assess.evidence._locks import DepsLocked
from aiwarden.assess.evidence._segregation import InfraSegregation
from aiwarden.assess.evidence.pipeline import (
    CiActionsPinned,
    CiModelScanner,
    CiProvenance,
    CiSecurityTooling,
    DepsSca,
    DepsUpdateBot,
)

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
WORKFLOW = """name: ci
on: [pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
{steps}
"""


def _workflow(*steps: str) -> str:
    return WORKFLOW.format(steps="\n".join(f"      - {s}" for s in steps))


def test_model_scanner_in_workflow_supports(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: modelscan -p models/")})
    evidence = collect(CiModelScanner(), tmp_path)
    assert polarity(evidence, "SD-3.d") == {(SUPPORTS, HEURISTIC)}
    assert evidence[0].paths == (".github/workflows/ci.yml",)


def test_model_scanner_in_commented_step_does_not_count(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: pytest  # TODO picklescan")})
    assert collect(CiModelScanner(), tmp_path) == []


def test_model_scanner_in_script_called_by_ci(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": _workflow("run: bash scripts/check.sh"),
            "scripts/check.sh": "#!/bin/sh\nfickling --check-safety models/a.pkl\n",
        },
    )
    evidence = collect(CiModelScanner(), tmp_path)
    assert polarity(evidence, "SD-3.d") == {(SUPPORTS, HEURISTIC)}
    assert "scripts/check.sh" in evidence[0].paths


def test_security_tooling_supports_sast_and_lint(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: bandit -r src", "run: mypy src")})
    evidence = collect(CiSecurityTooling(), tmp_path)
    assert polarity(evidence, "SD-3.g") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "SD-1.d") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "DV-4.a") == {(SUPPORTS, HEURISTIC)}


def test_ruff_counts_as_sast_only_with_s_rules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": _workflow("run: ruff check ."),
            "pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E", "F"]\n',
        },
    )
    evidence = collect(CiSecurityTooling(), tmp_path)
    assert polarity(evidence, "SD-3.g") == {(UNDERMINES, HEURISTIC)}
    assert polarity(evidence, "DV-4.a") == {(SUPPORTS, HEURISTIC)}
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E", "S"]\n'
    )
    assert polarity(collect(CiSecurityTooling(), tmp_path), "SD-3.g") == {(SUPPORTS, HEURISTIC)}


def test_codeql_upload_alone_is_not_codeql(tmp_path: Path) -> None:
    write(
        tmp_path,
        {".github/workflows/ci.yml": _workflow("uses: github/codeql-action/upload-sarif@v3")},
    )
    assert polarity(collect(CiSecurityTooling(), tmp_path), "SD-3.g") == {(UNDERMINES, HEURISTIC)}


def test_no_ci_at_all_undermines(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "print('hi')\n"})
    evidence = collect(CiSecurityTooling(), tmp_path)
    assert polarity(evidence, "SD-3.g") == {(UNDERMINES, HEURISTIC)}
    assert "no CI configuration" in evidence[0].summary


def test_pre_commit_hooks_count(tmp_path: Path) -> None:
    write(
        tmp_path,
        {".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n"
         "    rev: v8.18.0\n    hooks:\n      - id: gitleaks\n"},
    )  # fmt: skip
    assert polarity(collect(CiSecurityTooling(), tmp_path), "SD-3.g") == {(SUPPORTS, HEURISTIC)}


def test_ci_of_parent_directory_applies_to_subproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": _workflow("run: semgrep --config auto"),
            "services/bot/app.py": "print(1)\n",
        },
    )
    from machine_evidence_support import view

    from aiwarden.assess.evidence.interface import ProjectView

    whole = view(tmp_path)
    sub = ProjectView.from_report(whole.report, tmp_path / "services" / "bot")
    assert sub.prefix == "services/bot/"
    evidence = list(CiSecurityTooling().collect(sub))
    assert {(e.behaviour, e.polarity) for e in evidence} >= {("SD-3.g", SUPPORTS)}


def test_sca_in_ci_and_update_bot(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: pip-audit -r requirements.txt")})
    assert polarity(collect(DepsSca(), tmp_path), "DV-1.a") == {(SUPPORTS, HEURISTIC)}


def test_sca_absent_gives_nothing(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: pytest")})
    assert collect(DepsSca(), tmp_path) == []


def test_update_bot_present_and_missing(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "requests==2.32.3\n"})
    assert polarity(collect(DepsUpdateBot(), tmp_path), "OM-3.a") == {(UNDERMINES, HEURISTIC)}
    write(tmp_path, {"renovate.json": "{}\n"})
    assert polarity(collect(DepsUpdateBot(), tmp_path), "OM-3.a") == {(SUPPORTS, HEURISTIC)}


def test_update_bot_not_expected_without_anything_to_update(tmp_path: Path) -> None:
    write(tmp_path, {"notes.md": "# notes\n"})
    assert collect(DepsUpdateBot(), tmp_path) == []


def test_provenance(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("run: pytest")})
    assert collect(CiProvenance(), tmp_path) == []
    write(
        tmp_path,
        {".github/workflows/rel.yml": _workflow(f"uses: actions/attest-build-provenance@{SHA}")},
    )
    evidence = collect(CiProvenance(), tmp_path)
    assert polarity(evidence, "DV-1.d") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "DP-2.c") == {(SUPPORTS, HEURISTIC)}


def test_actions_pinned_all(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": _workflow(
                f"uses: actions/checkout@{SHA}",
                f"uses: astral-sh/setup-uv@{SHA}",
                "uses: ./.github/actions/local",
                "uses: docker://alpine@sha256:" + "a" * 64,
            )
        },
    )
    assert polarity(collect(CiActionsPinned(), tmp_path), "DV-1.b") == {(SUPPORTS, VERIFIED)}


def test_actions_unpinned_third_party_undermines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".github/workflows/ci.yml": _workflow(
                "uses: actions/checkout@v4", "uses: some-org/deploy@main", "uses: docker://alpine:3"
            )
        },
    )
    evidence = collect(CiActionsPinned(), tmp_path)
    assert polarity(evidence, "DV-1.b") == {(UNDERMINES, HEURISTIC)}
    assert "some-org/deploy@main" in evidence[0].summary
    assert "docker://alpine:3" in evidence[0].summary
    assert "actions/checkout" not in evidence[0].summary


def test_actions_only_first_party_tags_gives_nothing(tmp_path: Path) -> None:
    write(tmp_path, {".github/workflows/ci.yml": _workflow("uses: actions/checkout@v4")})
    assert collect(CiActionsPinned(), tmp_path) == []


def test_hostile_workflow_is_bounded(tmp_path: Path) -> None:
    bomb = "a: &a [" + ",".join(["x"] * 50) + "]\n"
    for level in range(1, 12):
        bomb += (
            f"l{level}: &l{level} ["
            + ",".join([f"*{'a' if level == 1 else f'l{level - 1}'}"] * 20)
            + "]\n"
        )
    write(tmp_path, {".github/workflows/bomb.yml": bomb, ".github/workflows/x.yml": "{{{{"})
    assert collect(CiActionsPinned(), tmp_path) == []
    assert polarity(collect(CiSecurityTooling(), tmp_path), "SD-3.g") == {(UNDERMINES, HEURISTIC)}


def test_locked_with_hashes_is_verified(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "requests==2.32.3 \\\n    --hash=sha256:" + "a" * 64 + "\n",
            "Dockerfile": "FROM python:3.12\n",
        },
    )
    assert polarity(collect(DepsLocked(), tmp_path), "DV-1.b") == {(SUPPORTS, VERIFIED)}


def test_poetry_lock_with_hashes(tmp_path: Path) -> None:
    lock = (
        '[[package]]\nname = "requests"\nversion = "2.32.3"\n'
        'files = [{file = "requests-2.32.3.tar.gz", hash = "sha256:' + "b" * 64 + '"}]\n'
    )
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\n'
            'requests = "^2.32"\n',
            "poetry.lock": lock,
        },
    )
    evidence = collect(DepsLocked(), tmp_path)
    assert polarity(evidence, "DV-1.b") == {(SUPPORTS, VERIFIED)}
    assert "poetry.lock" in evidence[0].paths


def test_loose_service_without_lock_undermines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"requirements.txt": "fastapi\nopenai>=1.0\n", "Dockerfile": "FROM python:3.12\n"},
    )
    evidence = collect(DepsLocked(), tmp_path)
    assert polarity(evidence, "DV-1.b") == {(UNDERMINES, HEURISTIC)}
    assert evidence[0].paths == ("requirements.txt",)


def test_library_without_lock_is_not_undermined(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "lib"\ndependencies = ["requests>=2"]\n'},
    )
    assert collect(DepsLocked(), tmp_path) == []


def test_library_with_web_framework_is_a_service(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi>=0.110"]\n'},
    )
    assert polarity(collect(DepsLocked(), tmp_path), "DV-1.b") == {(UNDERMINES, HEURISTIC)}


def test_fixture_manifests_do_not_count(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"tests/fixtures/app/requirements.txt": "flask\n", "src/x.py": "print(1)\n"},
    )
    assert collect(DepsLocked(), tmp_path) == []


def test_exact_pins_without_hashes_are_heuristic(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "flask==3.0.3\n", "Dockerfile": "FROM python:3.12\n"})
    assert polarity(collect(DepsLocked(), tmp_path), "DV-1.b") == {(SUPPORTS, HEURISTIC)}


def test_segregation_overlays(tmp_path: Path) -> None:
    kustom = "resources:\n  - ../../base\n"
    write(
        tmp_path,
        {
            "k8s/base/kustomization.yaml": kustom,
            "k8s/overlays/dev/kustomization.yaml": kustom,
            "k8s/overlays/prod/kustomization.yaml": kustom,
        },
    )
    evidence = collect(InfraSegregation(), tmp_path)
    assert polarity(evidence, "DP-1.c") == {(SUPPORTS, HEURISTIC)}
    assert "dev" in evidence[0].summary and "prod" in evidence[0].summary


def test_segregation_namespaces_and_single_env(tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop-{}\n"
    write(tmp_path, {"deploy/a.yaml": manifest.format("prod")})
    assert collect(InfraSegregation(), tmp_path) == []
    write(tmp_path, {"deploy/b.yaml": manifest.format("staging")})
    assert polarity(collect(InfraSegregation(), tmp_path), "DP-1.c") == {(SUPPORTS, HEURISTIC)}
