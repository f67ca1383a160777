"""The bundled example's model files produce the findings SCENARIO.md promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.formats import FileFormat

MODELS = Path(__file__).resolve().parents[4] / "examples" / "chatbot" / "models"


def _scan(name: str, fmt: FileFormat) -> list[tuple[str, str | None]]:
    path = MODELS / name
    artifact = Artifact(path, f"models/{name}", fmt, path.stat().st_size)
    findings = PickleSerializationAnalyzer().analyze(artifact, Limits())
    return sorted((f.rule_id, f.evidence) for f in findings)


@pytest.mark.skipif(not MODELS.is_dir(), reason="example models not present")
def test_intent_classifier_runs_os_system() -> None:
    """Technique: protocol-2 GLOBAL os.system + REDUCE, as planted in the example."""
    assert _scan("intent_classifier.pkl", FileFormat.PICKLE) == [
        ("AIW-MOD001", None),
        ("AIW-MOD002", "os.system('echo aiwarden-example: this model would run a shell command')"),
    ]


@pytest.mark.skipif(not MODELS.is_dir(), reason="example models not present")
def test_sentiment_checkpoint_is_only_pickle_based() -> None:
    assert _scan("sentiment.pt", FileFormat.ZIP) == [("AIW-MOD001", None)]
