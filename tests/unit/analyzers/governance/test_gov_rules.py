"""Each AIW-GOV rule: positives, and the tricky negatives that must stay quiet."""

from __future__ import annotations

from pathlib import Path

from gov_support import MODEL_CARD, analyse, ids, project, write

SAFETENSORS = b"\x10\x00\x00\x00\x00\x00\x00\x00" + b'{"a":1}         '


def messages(root: Path, rule: str) -> list[str]:
    return [f.message for f in analyse(root) if f.rule.id == rule]


def test_a_complete_project_without_models_reports_nothing(tmp_path: Path) -> None:
    assert analyse(project(tmp_path)) == []


def test_no_model_files_means_no_model_card_bom_or_integrity_finding(tmp_path: Path) -> None:
    root = project(tmp_path, data__notes_dot_txt="just notes", config_dot_json='{"a": 1}')
    assert not {"AIW-GOV002", "AIW-GOV006", "AIW-GOV008"} & set(ids(analyse(root)))


# --- GOV001 ------------------------------------------------------------------------------


def test_missing_security_policy_is_reported_at_the_anchor(tmp_path: Path) -> None:
    found = [
        f for f in analyse(project(tmp_path, SECURITY_dot_md=None)) if f.rule.id == "AIW-GOV001"
    ]
    assert len(found) == 1
    assert (found[0].location.path, found[0].location.line) == ("pyproject.toml", 1)
    assert ".github/SECURITY.md" in found[0].message and "security.txt" in found[0].message


def test_security_md_that_mentions_security_but_has_no_contact(tmp_path: Path) -> None:
    text = (
        "# Security\n## Supported versions\nOnly the latest release receives security "
        "fixes.\n## Reporting\nWe take security seriously: open an issue and we respond "
        "within 5 days.\n"
    )
    root = project(tmp_path, SECURITY_dot_md=text)
    (msg,) = messages(root, "AIW-GOV001")
    assert "private contact channel" in msg
    assert "scope" not in msg.split("cover", 1)[1] and "timeline" not in msg


def test_security_policy_in_github_dir_or_security_txt_counts(tmp_path: Path) -> None:
    root = project(tmp_path / "a", SECURITY_dot_md=None)
    write(
        root,
        {
            ".github/SECURITY.md": "Mail security@example.org; supported versions: "
            "latest only; we reply within 2 days.\n"
        },
    )
    assert "AIW-GOV001" not in ids(analyse(root))
    root = project(tmp_path / "b", SECURITY_dot_md=None)
    write(
        root,
        {
            ".well-known/security.txt": "Contact: mailto:s@example.org\n"
            "Policy: https://example.org/security-policy\nExpires: 2027-01-01T00:00:00Z\n"
        },
    )
    assert "AIW-GOV001" not in ids(analyse(root))


def test_a_monorepo_package_inherits_the_root_policy(tmp_path: Path) -> None:
    root = project(tmp_path)
    write(
        root,
        {
            "packages/app/pyproject.toml": "[project]\nname='app'\n",
            "packages/app/README.md": (root / "README.md").read_text(),
        },
    )
    found = analyse(root, "packages/app/pyproject.toml", "packages/app/pyproject.toml")
    assert not {"AIW-GOV001", "AIW-GOV004", "AIW-GOV005", "AIW-GOV009"} & set(ids(found))


# --- GOV002 / GOV006 / GOV008 ------------------------------------------------------------


def test_model_without_card_bom_or_checksums(tmp_path: Path) -> None:
    root = project(tmp_path, models__m_dot_safetensors=SAFETENSORS)
    found = ids(analyse(root))
    assert {"AIW-GOV002", "AIW-GOV006", "AIW-GOV008"} <= set(found)
    assert "models" in messages(root, "AIW-GOV002")[0]


def test_a_model_card_with_every_section_and_a_checksum_manifest(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        models__m_dot_safetensors=SAFETENSORS,
        models__README_dot_md=MODEL_CARD,
        SHA256SUMS="0" * 64 + "  models/m.safetensors\n",
        aibom_dot_cdx_dot_json='{"bomFormat": "CycloneDX", "components": '
        '[{"type": "machine-learning-model", "name": "models/m.safetensors"}]}',
    )
    assert analyse(root) == []


def test_a_thin_model_card_names_the_missing_sections(tmp_path: Path) -> None:
    card = "# My model\n## Intended use\n" + "Routes tickets to the right queue for agents. " * 3
    root = project(tmp_path, models__m_dot_gguf=b"GGUF", MODEL_CARD_dot_md=card)
    (finding,) = [f for f in analyse(root) if f.rule.id == "AIW-GOV002"]
    assert finding.location.path == "MODEL_CARD.md"
    for topic in ("licence", "limitations", "training data", "evaluation", "provenance"):
        assert topic in finding.message
    assert "intended use" not in finding.message


def test_a_hugging_face_model_directory_is_recognised_by_its_config(tmp_path: Path) -> None:
    root = project(tmp_path, hub__bert__config_dot_json='{"model_type": "bert"}')
    assert "hub/bert" in messages(root, "AIW-GOV002")[0]
    other = project(tmp_path / "o", settings__config_dot_json='{"debug": true}')
    assert "AIW-GOV002" not in ids(analyse(other))


def test_integrity_records_by_sidecar_signature_or_hashed_bom(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        MODEL_CARD_dot_md=MODEL_CARD,
        a__x_dot_onnx=b"x",
        a__x_dot_onnx_dot_sha256="0" * 64,
        b__y_dot_pt=b"y",
        b__model_dot_sig="sig",
        c__z_dot_pkl=b"z",
        bom_dot_json='{"bomFormat": "CycloneDX", "components": [{"type": '
        '"machine-learning-model", "name": "c/z.pkl", "hashes": [{"alg": "SHA-256"}]}]}',
    )
    assert not {"AIW-GOV006", "AIW-GOV008"} & set(ids(analyse(root)))


def test_a_checksum_line_for_a_similar_name_does_not_count(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        MODEL_CARD_dot_md=MODEL_CARD,
        models__model_dot_bin=b"x",
        SHA256SUMS="0" * 64 + "  models/othermodel.bin\n",
    )
    assert "models/model.bin" in messages(root, "AIW-GOV008")[0]


def test_a_bom_without_models_is_thin(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        MODEL_CARD_dot_md=MODEL_CARD,
        m_dot_safetensors=SAFETENSORS,
        sbom_dot_cdx_dot_json='{"bomFormat": "CycloneDX", "components": [{"type": "library"}]}',
    )
    (finding,) = [f for f in analyse(root) if f.rule.id == "AIW-GOV006"]
    assert finding.location.path == "sbom.cdx.json" and "lists no model" in finding.message


def test_models_in_tests_and_virtualenvs_are_not_the_projects_models(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        tests__fixtures__m_dot_pt=b"x",
        _dot_venv__lib__m_dot_pt=b"x",
        node_modules__pkg__m_dot_onnx=b"x",
    )
    assert analyse(root) == []


# --- GOV003 ------------------------------------------------------------------------------


def test_dataset_without_card_and_with_a_complete_card(tmp_path: Path) -> None:
    root = project(tmp_path / "a", data__train_dot_csv="a,b\n1,2\n")
    assert "data" in messages(root, "AIW-GOV003")[0]
    card = (
        "---\nlicense: cc-by-4.0\n---\n## Source\nExported from the helpdesk between January "
        "and June 2023 by the team.\n## Collection\nSampled uniformly per product line and "
        "labelled by two annotators.\n## Personal data\nNames and e-mail addresses were "
        "removed before export by a redaction step.\n## Known biases\nOver-represents "
        "English-speaking enterprise customers and the web product.\n"
    )
    done = project(tmp_path / "b", data__train_dot_csv="a,b\n", DATA_CARD_dot_md=card)
    assert "AIW-GOV003" not in ids(analyse(done))


def test_a_csv_outside_a_data_directory_is_not_a_dataset(tmp_path: Path) -> None:
    assert analyse(project(tmp_path, docs__table_dot_csv="a,b\n")) == []


# --- GOV004 / GOV005 / GOV010 ------------------------------------------------------------


def test_incident_plan_without_ai_scenarios(tmp_path: Path) -> None:
    generic = "# Incident response\n" + "Call the on-call engineer and open a ticket. " * 5
    (msg,) = messages(project(tmp_path, INCIDENT_RESPONSE_dot_md=generic), "AIW-GOV004")
    assert "model rollback" in msg and "data leakage" in msg


def test_runbooks_together_cover_the_scenarios(tmp_path: Path) -> None:
    from gov_support import INCIDENT

    half = INCIDENT.splitlines()
    root = project(
        tmp_path,
        INCIDENT_RESPONSE_dot_md=None,
        runbooks__keys_dot_md="\n".join(half[:3]),
        runbooks__models_dot_md="\n".join(half[3:]),
    )
    assert "AIW-GOV004" not in ids(analyse(root))


def test_stale_threat_model_and_one_without_ai_threats(tmp_path: Path) -> None:
    from gov_support import THREAT

    stale = THREAT.replace("2026-06-01", "2024-05-01")
    (msg,) = messages(project(tmp_path / "a", THREAT_MODEL_dot_md=stale), "AIW-GOV005")
    assert "2024-05-01" in msg
    stride = "# Threat model\nLast updated: 2026-10-01\nSpoofing, tampering and repudiation.\n"
    (msg,) = messages(project(tmp_path / "b", THREAT_MODEL_dot_md=stride), "AIW-GOV005")
    assert "prompt injection" in msg and "12 months" not in msg


def test_monitoring_plan_missing_and_thin(tmp_path: Path) -> None:
    assert messages(project(tmp_path / "a", MONITORING_dot_md=None), "AIW-GOV010")
    thin = "# Monitoring\nWe use Grafana dashboards for CPU and memory of the pods.\n"
    (msg,) = messages(project(tmp_path / "b", MONITORING_dot_md=thin), "AIW-GOV010")
    assert "abuse monitoring" in msg


# --- GOV007 / GOV009 / GOV011 / GOV012 ---------------------------------------------------


def test_prompts_without_and_with_a_readme(tmp_path: Path) -> None:
    root = project(tmp_path / "a", prompts__system_dot_txt="You are a bot.")
    assert messages(root, "AIW-GOV007")
    docs = "# Prompts\n" + "system.txt is the support persona, owned by the ML team. " * 2
    done = project(
        tmp_path / "b", prompts__system_dot_txt="You are a bot.", prompts__README_dot_md=docs
    )
    assert "AIW-GOV007" not in ids(analyse(done))


def test_dependabot_missing_an_ecosystem_and_renovate(tmp_path: Path) -> None:
    root = project(tmp_path / "a", Dockerfile="FROM python:3.12\n")
    (msg,) = messages(root, "AIW-GOV009")
    assert "docker" in msg
    renovate = project(tmp_path / "b", _dot_github__dependabot_dot_yml=None, renovate_dot_json="{}")
    assert "AIW-GOV009" not in ids(analyse(renovate))
    narrow = project(
        tmp_path / "c",
        _dot_github__dependabot_dot_yml=None,
        renovate_dot_json='{"enabledManagers": ["npm"]}',
    )
    assert "pip" in messages(narrow, "AIW-GOV009")[0]


def test_broken_dependabot_yaml_is_reported_not_skipped(tmp_path: Path) -> None:
    root = project(tmp_path, _dot_github__dependabot_dot_yml="updates: [\n")
    (msg,) = messages(root, "AIW-GOV009")
    assert "cannot be read as YAML" in msg


def test_readme_without_safety_guidance(tmp_path: Path) -> None:
    root = project(tmp_path, README_dot_md="# demo\n## Install\npip install demo\n")
    (finding,) = [f for f in analyse(root) if f.rule.id == "AIW-GOV011"]
    assert finding.location.path == "README.md"
    assert "limitations, safe use and secure configuration" in finding.message


def test_contributing_without_security_and_no_security_ci(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        CONTRIBUTING_dot_md="# Contributing\nRun the tests and open a PR.\n",
        _dot_github__workflows__ci_dot_yml="jobs:\n  t:\n    steps:\n      - run: pytest\n",
    )
    (msg,) = messages(root, "AIW-GOV012")
    assert "no security guidance" in msg and "no CI workflow" in msg


def test_a_security_tool_in_pre_commit_counts(tmp_path: Path) -> None:
    root = project(tmp_path, _dot_github__workflows__ci_dot_yml=None)
    hook = "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n"
    write(root, {".pre-commit-config.yaml": hook})
    assert "AIW-GOV012" not in ids(analyse(root))


def test_a_nested_project_leaves_repository_documents_to_the_outer_project(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, SECURITY_dot_md="# Security\nOpen an issue.\n", MONITORING_dot_md=None)
    write(root, {"examples/demo/setup.py": "", "examples/demo/README.md": "# demo\n"})
    nested = analyse(root, "examples/demo/setup.py", "examples/demo/setup.py")
    assert ids(nested) == ["AIW-GOV011"]  # its own README only; no GOV001/GOV010 duplicates
    outer = ids(analyse(root))
    assert "AIW-GOV001" in outer and "AIW-GOV010" in outer


def test_packages_under_a_root_without_manifest_inherit_its_documents(tmp_path: Path) -> None:
    root = project(tmp_path / "repo" / "pkg")
    write(tmp_path / "repo", {"SECURITY.md": "# Security\nOpen an issue.\n"})
    (root / "SECURITY.md").unlink()
    found = analyse(root, "pyproject.toml", "pkg/pyproject.toml")
    (finding,) = [f for f in found if f.rule.id == "AIW-GOV001"]
    assert finding.location.path == "SECURITY.md"  # the inherited, thin policy


def test_one_data_card_finding_per_data_directory_tree(tmp_path: Path) -> None:
    root = project(
        tmp_path, data__a__x_dot_csv="a\n", data__b__y_dot_parquet=b"PAR1", data__z_dot_jsonl="{}\n"
    )
    assert len(messages(root, "AIW-GOV003")) == 1


def test_a_project_kept_as_test_data_is_standalone(tmp_path: Path) -> None:
    root = project(tmp_path, MONITORING_dot_md=None)
    write(root, {"tests/fixtures/demo/setup.py": "", "tests/fixtures/demo/README.md": "# d\n"})
    found = analyse(root, "tests/fixtures/demo/setup.py", "tests/fixtures/demo/setup.py")
    assert "AIW-GOV010" in ids(found)  # the outer walk skips tests/: not its package
    assert "AIW-GOV001" not in ids(found)  # but it inherits the repository's SECURITY.md


def test_a_model_card_with_broken_front_matter_says_so(tmp_path: Path) -> None:
    card = MODEL_CARD.replace("license: mit", "license: [mit")
    root = project(tmp_path, models__m_dot_onnx=b"x", models__README_dot_md=card)
    (msg,) = messages(root, "AIW-GOV002")
    assert "licence" in msg and "front matter is not valid YAML" in msg


def test_a_hugging_face_dataset_directory_is_recognised_by_its_marker(tmp_path: Path) -> None:
    root = project(tmp_path, hub__squad__dataset_infos_dot_json="{}")
    assert "hub/squad/" in messages(root, "AIW-GOV003")[0]


def test_hub_style_front_matter_covers_training_data_and_evaluation(tmp_path: Path) -> None:
    card = (
        "---\nlicense: mit\ndatasets: [squad]\nmodel-index:\n  - name: m\n---\n"
        + MODEL_CARD.split("---\n", 2)[2].split("## Training data")[0]
        + "## Provenance\nFine-tuned from bert-base at revision 1c4513b, hashes in SHA256SUMS.\n"
    )
    root = project(tmp_path, models__m_dot_onnx=b"x", models__README_dot_md=card)
    assert messages(root, "AIW-GOV002") == []
