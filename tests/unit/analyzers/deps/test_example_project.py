"""The hand-checked expectation for the example project's requirements file.

examples/chatbot/requirements.txt (checked by hand, 2026-11-25):

    line 2  --extra-index-url https://pypi.acme-internal.example/simple -> AIW-SCA004 medium
    line 3  fastapi      not an AI package                              -> nothing
    line 4  uvicorn      not an AI package                              -> nothing
    line 5  openai       AI SDK, no version, no lock                    -> AIW-SCA002 medium
    line 6  torch        AI framework, no version, no lock              -> AIW-SCA002 medium
    line 7  transformers AI framework, no version, no lock              -> AIW-SCA002 medium
    line 8  langchain    AI framework, no version, no lock              -> AIW-SCA002 medium
    line 9  pydantic>=2  not an AI package                              -> nothing
    docker-compose.yml beside it (`build: .`), no lock file, no hashes  -> AIW-SCA003 low,
            reported at the first requirement (line 3)

Nothing is pinned, so no advisory can match (no AIW-SCA001); no end-of-life or
by-design package is listed (no AIW-SCA005/007). If the example changes, update both.
"""

from __future__ import annotations

from pathlib import Path

from aiwarden.analyzers.deps.analyzer import DependencyAnalyzer
from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.engine.classify import classify_file
from aiwarden.osv.store import BundledStore

EXPECTED = [
    ("AIW-SCA003", 3, "low"),
    ("AIW-SCA004", 2, "medium"),
    ("AIW-SCA002", 5, "medium"),
    ("AIW-SCA002", 6, "medium"),
    ("AIW-SCA002", 7, "medium"),
    ("AIW-SCA002", 8, "medium"),
]


def test_chatbot_requirements_findings_match_the_hand_checked_expectation(
    repo_root: Path,
) -> None:
    project = repo_root / "examples" / "chatbot"
    path = project / "requirements.txt"
    relpath = "requirements.txt"
    artifact = Artifact(path, relpath, classify_file(path), path.stat().st_size)
    findings = list(DependencyAnalyzer(store=BundledStore()).analyze(artifact, Limits()))
    got = [(f.rule_id, f.location.line, f.severity.value) for f in findings]
    assert sorted(got) == sorted(EXPECTED)
    messages = {(f.rule_id, f.location.line): f.message for f in findings}
    assert "pypi.acme-internal.example" in messages[("AIW-SCA004", 2)]
    assert "docker-compose.yml" in messages[("AIW-SCA003", 3)]
    assert "torch" in messages[("AIW-SCA002", 6)]
