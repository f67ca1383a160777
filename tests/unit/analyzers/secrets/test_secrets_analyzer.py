"""The secrets analyzer over files: which files, redaction everywhere, limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from secret_samples import Sample, samples

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.secrets.analyzer import SecretsAnalyzer
from aiwarden.analyzers.secrets.scanner import find_secrets
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat

SAMPLES = samples()
ANALYZER = SecretsAnalyzer()


def artifact(tmp_path: Path, name: str, text: str, fmt: FileFormat = FileFormat.TEXT) -> Artifact:
    path = tmp_path / name
    path.write_text(text)
    return Artifact(path, name, fmt, path.stat().st_size)


def secret_material(secret: str) -> str:
    """The part of a secret that must never be shown (a PEM header is not secret)."""
    public = r"-----(BEGIN|END)[A-Z ]*-----|\\n|\s|^bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"
    return re.sub(public, "", secret)


def assert_never_shown(secret: str, outputs: list[str]) -> None:
    material = secret_material(secret)
    windows = {material[i : i + 9] for i in range(len(material) - 8)}
    for out in outputs:
        assert secret not in out
        assert not any(w in out for w in windows), f"9 consecutive secret characters in {out!r}"


def finding_fields(finding: Finding) -> list[str]:
    return [
        finding.message,
        finding.evidence or "",
        finding.fingerprint_key,
        finding.identity,
        repr(finding.location),
        repr(finding.related),
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.pattern_id)
def test_no_output_field_contains_the_secret(tmp_path: Path, sample: Sample) -> None:
    (match,) = find_secrets(sample.text)
    match_fields = [str(getattr(match, name)) for name in match._fields if name != "rule"]
    assert_never_shown(sample.secret, [*match_fields, match.message])
    findings = list(ANALYZER.analyze(artifact(tmp_path, "settings.py", sample.text), Limits()))
    assert [f.rule_id for f in findings] == [sample.rule_id]
    assert_never_shown(sample.secret, finding_fields(findings[0]))


def test_evidence_shows_at_most_four_characters_each_side() -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "anthropic-api-key")
    (match,) = find_secrets(sample.text)
    assert (
        match.evidence == f"{sample.secret[:4]}…{sample.secret[-4:]} ({len(sample.secret)} chars)"
    )


def test_generic_finding_names_the_key_but_not_the_value(tmp_path: Path) -> None:
    value = "Zq8mW2rT5yKp9xVb3nLc7dHf"
    (finding,) = ANALYZER.analyze(artifact(tmp_path, ".env", f"WANDB_API_KEY={value}\n"), Limits())
    assert "WANDB_API_KEY" in finding.message
    assert_never_shown(value, finding_fields(finding))
    assert finding.location.line == 1
    assert finding.location.column == len("WANDB_API_KEY=") + 1


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        (".env", FileFormat.TEXT),
        (".env.local", FileFormat.TEXT),
        ("prod.env", FileFormat.BINARY),
        ("settings.ini", FileFormat.TEXT),
        ("setup.cfg", FileFormat.TEXT),
        ("app.properties", FileFormat.TEXT),
        ("nginx.conf", FileFormat.BINARY),
        ("deploy.sh", FileFormat.TEXT),
        ("app.py", FileFormat.PYTHON),
        ("values.yaml", FileFormat.YAML),
        ("pyproject.toml", FileFormat.TOML),
        ("mcp.json", FileFormat.JSON),
        ("README.md", FileFormat.MARKDOWN),
        ("Dockerfile", FileFormat.DOCKERFILE),
    ],
)
def test_accepts_text_and_config_files(tmp_path: Path, name: str, fmt: FileFormat) -> None:
    assert ANALYZER.accepts(artifact(tmp_path, name, "x=1\n", fmt))


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("analysis.ipynb", FileFormat.NOTEBOOK),
        ("model.pkl", FileFormat.PICKLE),
        ("weights.bin", FileFormat.BINARY),
        ("empty.txt", FileFormat.EMPTY),
    ],
)
def test_skips_notebooks_and_binaries(tmp_path: Path, name: str, fmt: FileFormat) -> None:
    assert not ANALYZER.accepts(artifact(tmp_path, name, "x", fmt))


def test_finds_secrets_in_a_dotenv_file_classified_as_binary(tmp_path: Path) -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "github-token")
    text = f"GITHUB_TOKEN={sample.secret}\nJUNK=\x00\x01\n"
    findings = list(ANALYZER.analyze(artifact(tmp_path, ".env", text, FileFormat.BINARY), Limits()))
    assert [f.rule_id for f in findings] == ["AIW-SEC002"]


def test_file_over_the_text_limit_is_scanned_up_to_it_then_raises(tmp_path: Path) -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "github-token")
    late = next(s for s in SAMPLES if s.pattern_id == "groq-api-key")
    text = f"{sample.text}\n" + "a" * 2000 + f"\n{late.text}\n"
    found: list[Finding] = []
    with pytest.raises(LimitExceeded):
        for finding in ANALYZER.analyze(
            artifact(tmp_path, "big.txt", text), Limits(max_text_bytes=1000)
        ):
            found.append(finding)
    assert [f.rule_id for f in found] == ["AIW-SEC002"]


def test_findings_keep_line_and_end_positions(tmp_path: Path) -> None:
    sample = next(s for s in SAMPLES if s.pattern_id == "private-key")
    text = "# key below\n" + sample.text + "\n"
    (finding,) = ANALYZER.analyze(artifact(tmp_path, "id_rsa", text), Limits())
    assert finding.location.line == 2
    assert finding.location.end_line == 2 + sample.secret.count("\n")
    assert finding.evidence is not None
    assert finding.evidence.startswith("-----BEGIN RSA PRIVATE KEY----- …")


def test_rules_have_complete_metadata() -> None:
    for rule in ANALYZER.rules:
        assert rule.cwe and rule.references and rule.tags
        assert "LLM02:2025" in rule.owasp_llm
        assert "DV-2" in rule.guidelines
        assert "```" in rule.help
