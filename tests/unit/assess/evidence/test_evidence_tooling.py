"""Tests of the monitoring, guardrail, red-team and API-versioning evidence checks."""

from __future__ import annotations

from pathlib import Path

from machine_evidence_support import HEURISTIC, SUPPORTS, collect, polarity, write

from aiwarden.assess.evidence import _code
from aiwarden.assess.evidence.tooling import ApiVersioning, Guardrails, Monitoring, RedTeam


def test_llm_tracing_supports_monitoring_and_input_logging(tmp_path: Path) -> None:
    write(tmp_path, {"requirements.txt": "langfuse==2.0.0\n", "app.py": "print(1)\n"})
    evidence = collect(Monitoring(), tmp_path)
    assert polarity(evidence, "OM-1.a") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "OM-2.a") == {(SUPPORTS, HEURISTIC)}


def test_prometheus_counts_only_on_a_service(tmp_path: Path) -> None:
    write(tmp_path, {"metrics.py": "import prometheus_client\n"})
    assert collect(Monitoring(), tmp_path) == []
    write(tmp_path, {"Dockerfile": "FROM python:3.12\n"})
    assert polarity(collect(Monitoring(), tmp_path), "OM-1.a") == {(SUPPORTS, HEURISTIC)}


def test_drift_detection_import(tmp_path: Path) -> None:
    write(tmp_path, {"monitor.py": "from evidently.report import Report\n"})
    evidence = collect(Monitoring(), tmp_path)
    assert polarity(evidence, "OM-1.a") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "OM-2.a") == set()


def test_guardrails_rate_limit_auth_and_redaction(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.py": (
                "from fastapi import FastAPI, Depends\n"
                "from fastapi.security import APIKeyHeader\n"
                "from slowapi import Limiter\n"
                "from presidio_analyzer import AnalyzerEngine\n"
                "from llm_guard.input_scanners import PromptInjection\n"
                "key = APIKeyHeader(name='x-key')\n"
            )
        },
    )
    evidence = collect(Guardrails(), tmp_path)
    for behaviour in ("OM-2.b", "DP-5.b", "DP-2.b", "SD-3.e"):
        assert polarity(evidence, behaviour) == {(SUPPORTS, HEURISTIC)}, behaviour


def test_moderation_call(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "r = client.moderations.create(input=text)\n"})
    assert polarity(collect(Guardrails(), tmp_path), "OM-2.b") == {(SUPPORTS, HEURISTIC)}


def test_no_guardrails_no_evidence(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "import openai\nprint(openai.chat)\n"})
    assert collect(Guardrails(), tmp_path) == []


def test_patterns_in_tests_do_not_count(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_x.py": "r = client.moderations.create(input=t)\n"})
    assert collect(Guardrails(), tmp_path) == []


def test_redteam_config_and_ci_on_asset_changes(tmp_path: Path) -> None:
    workflow = (
        "on:\n  pull_request:\n    paths: ['prompts/**', 'src/**']\n"
        "jobs:\n  eval:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: npx promptfoo eval\n"
    )
    write(
        tmp_path,
        {"promptfooconfig.yaml": "prompts: [file://prompts/a.txt]\n",
         ".github/workflows/eval.yml": workflow},
    )  # fmt: skip
    evidence = collect(RedTeam(), tmp_path)
    assert polarity(evidence, "DP-4.a") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "OM-3.b") == {(SUPPORTS, HEURISTIC)}


def test_redteam_dependency_without_trigger(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_eval.py": "from deepeval import assert_test\n"})
    evidence = collect(RedTeam(), tmp_path)
    assert polarity(evidence, "DP-4.a") == {(SUPPORTS, HEURISTIC)}
    assert polarity(evidence, "OM-3.b") == set()


def test_api_versioning(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": "@app.post('/chat')\ndef chat(): ...\n"})
    assert collect(ApiVersioning(), tmp_path) == []
    write(tmp_path, {"app.py": "@app.post('/v1/chat')\ndef chat(): ...\n"})
    assert polarity(collect(ApiVersioning(), tmp_path), "OM-3.c") == {(SUPPORTS, HEURISTIC)}


def test_pinned_model_snapshot(tmp_path: Path) -> None:
    write(tmp_path, {"config.yaml": "model: gpt-4o-2024-08-06\n"})
    assert polarity(collect(ApiVersioning(), tmp_path), "OM-3.c") == {(SUPPORTS, HEURISTIC)}


def test_source_reading_is_bounded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_code, "MAX_SOURCE_FILES", 3)
    write(tmp_path, {f"m{i}.py": "import os\n" for i in range(6)})
    write(tmp_path, {"z.py": "@app.get('/v2/x')\ndef x(): ...\n"})
    facts = _code.load_code(__import__("machine_evidence_support").view(tmp_path))
    assert facts.python_files == 3
    assert facts.truncated


def test_huge_source_file_is_read_only_in_part(tmp_path: Path) -> None:
    write(tmp_path, {"big.py": "x = 1\n" * 100_000 + "@app.get('/v1/late')\ndef f(): ...\n"})
    assert collect(ApiVersioning(), tmp_path) == []
