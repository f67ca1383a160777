"""Profile detection from manifests, imports and files; config declarations win."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.assess.profile import detect_profile
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions, run_scan
from aiwarden.errors import ConfigError


def view(root: Path) -> ProjectView:
    report = run_scan(ScanOptions(targets=(root,), settings=load_settings([root], env={})))
    return ProjectView.from_report(report, root)


def flags(root: Path, declared: tuple[tuple[str, bool], ...] = ()) -> dict[str, bool]:
    return {f.name: f.value for f in detect_profile(view(root), declared, "cfg.toml")}


def test_a_plain_library_has_no_traits(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "lib"\ndependencies = ["attrs"]\n')
    (tmp_path / "lib.py").write_text("import json\n")
    assert not any(flags(tmp_path).values())


def test_an_llm_service_is_detected_from_requirements_and_imports(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi==0.115.0\nanthropic==0.40.0\n")
    (tmp_path / "agent.py").write_text("from langgraph.graph import StateGraph\n")
    detected = detect_profile(view(tmp_path))
    by_name = {f.name: f for f in detected}
    assert by_name["uses-hosted-llm"].value
    assert "anthropic" in by_name["uses-hosted-llm"].reason
    assert by_name["serves-models"].value
    assert by_name["runs-agents"].value
    assert "langgraph" in by_name["runs-agents"].reason
    assert not by_name["trains-models"].value
    assert all(f.source == "detected" for f in detected)


def test_a_test_group_only_llm_sdk_is_not_an_llm_app(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lib"\ndependencies = ["attrs"]\n'
        '[dependency-groups]\ntest = ["openai", "anthropic"]\n'
    )
    (tmp_path / "lib.py").write_text("import json\n")
    assert not flags(tmp_path)["uses-hosted-llm"]
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lib"\n[project.optional-dependencies]\nllm = ["openai"]\n'
    )
    assert flags(tmp_path)["uses-hosted-llm"]


def test_training_scripts_and_notebook_imports_count(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text("x = 1\n")
    (tmp_path / "nb.ipynb").write_text('{"cells": [{"source": ["import openai\\n"]}]}')
    detected = flags(tmp_path)
    assert detected["trains-models"]
    assert detected["uses-hosted-llm"]


def test_an_mcp_configuration_means_agents(tmp_path: Path) -> None:
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {}}')
    assert flags(tmp_path)["runs-agents"]


def test_declarations_override_detection(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi==0.115.0\n")
    detected = detect_profile(
        view(tmp_path), (("serves-models", False), ("handles-personal-data", True)), "cfg.toml"
    )
    by_name = {f.name: f for f in detected}
    assert not by_name["serves-models"].value
    assert by_name["serves-models"].source == "config"
    assert "cfg.toml" in by_name["serves-models"].reason
    assert by_name["handles-personal-data"].value


def test_an_unknown_declared_trait_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"profile.serves-model.*unknown trait"):
        detect_profile(view(tmp_path), (("serves-model", True),), "cfg.toml")


def test_profile_is_read_from_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.aiwarden.profile]\ntrains-models = true\n'
    )
    settings = load_settings([tmp_path], env={})
    assert settings.profile == (("trains-models", True),)


def test_a_non_boolean_profile_value_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".aiwarden.toml").write_text('[profile]\ntrains-models = "yes"\n')
    with pytest.raises(ConfigError, match=r"profile.trains-models.*true or false"):
        load_settings([tmp_path], env={})


def test_tests_fixtures_and_examples_are_not_the_projects_own_code(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "scanner"\n')
    for folder in ("tests/fixtures", "examples/bot", "benchmarks"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "app.py").write_text("import openai\nimport fastapi\n")
        (tmp_path / folder / "requirements.txt").write_text("langgraph==0.2.0\n")
    assert not any(flags(tmp_path).values())


def test_a_web_service_without_ai_does_not_serve_models(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django==5.1\n")
    (tmp_path / "views.py").write_text("from django.http import HttpResponse\n")
    assert not flags(tmp_path)["serves-models"]
    (tmp_path / "requirements.txt").write_text("django==5.1\nscikit-learn==1.5.2\n")
    detected = {f.name: f for f in detect_profile(view(tmp_path))}
    assert detected["serves-models"].value
    assert "scikit-learn" in detected["serves-models"].reason
