"""``aiwarden bom`` in-process: the BOM it writes, and its usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from aiwarden.cli.main import main


def _project(root: Path) -> Path:
    (root / "models").mkdir(parents=True)
    np.save(root / "models/w.npy", np.arange(8))
    (root / "app.py").write_text(
        "from transformers import pipeline\n"
        "clf = pipeline('text-classification', model='acme/clf', revision='v1')\n"
    )
    (root / "bench").mkdir()
    np.save(root / "bench/skip.npy", np.arange(2))
    return root


def test_bom_to_a_file_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path / "proj")
    out = tmp_path / "bom.cdx.json"
    assert main(["bom", str(project), "-o", str(out), "--exclude", "bench/"]) == 0
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    names = {c["name"] for c in json.loads(text)["components"]}
    assert {"models/w.npy", "acme/clf"} <= names and "bench/skip.npy" not in names
    assert capsys.readouterr().out == ""


def test_bom_to_stdout_is_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "proj")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["bom", str(project), "--reproducible", "--no-dependencies"]) == 0
    first = capsys.readouterr().out
    assert main(["bom", str(project), "--reproducible", "--no-dependencies"]) == 0
    assert capsys.readouterr().out == first
    assert json.loads(first)["metadata"]["timestamp"] == "2023-11-14T22:13:20+00:00"


@pytest.mark.parametrize("args", [["bom", "{missing}"], ["bom", "{file}"], ["bom"]])
def test_usage_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    argv = [a.format(missing=tmp_path / "nope", file=a_file) for a in args]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    errors = [line for line in captured.err.splitlines() if "rror" in line]
    assert len(errors) == 1


def test_bad_source_date_epoch_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["bom", str(_project(tmp_path / "p")), "--no-dependencies"]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err


def test_bom_of_the_example_project(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "chatbot.cdx.json"
    assert main(["bom", str(repo_root / "examples/chatbot"), "-o", str(out)]) == 0
    text = out.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    models = {c["name"] for c in document["components"] if c["type"] == "machine-learning-model"}
    assert models == {
        "models/embeddings.safetensors",
        "models/intent_classifier.pkl",
        "models/sentiment.pt",
        "acme-labs/support-embeddings",
    }
    services = {s["name"]: s for s in document["services"]}
    assert services["OpenAI API"]["trustZone"] == "external"
    assert services["Ollama"]["trustZone"] == "local"  # from docker-compose.yml
    assert {"filesystem", "tickets"} <= set(services)


def test_scan_flags_a_model_that_drifted_from_the_committed_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path / "proj")
    assert main(["bom", str(project), "-o", str(project / "bom.cdx.json")]) == 0
    np.save(project / "models/w.npy", np.arange(9))  # retrained without a new BOM
    capsys.readouterr()
    argv = ["scan", str(project), "--select", "AIW-BOM", "-f", "json", "--no-progress"]
    assert main(argv) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [("AIW-BOM001", "high")]
