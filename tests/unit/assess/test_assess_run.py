"""run_assessment end to end on small projects, with fake evidence checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Status, Strength
from aiwarden.assess.run import AssessOptions, run_assessment
from aiwarden.engine.config import load_settings
from aiwarden.errors import UsageError

TODAY = dt.date(2026, 11, 26)


class ReadmeCheck(EvidenceCheck):
    """Supports DP-4.b when a README exists (a fake with real file access)."""

    id = "fake.readme"
    title = "Write a README"
    behaviours = ("DP-4.b",)
    remediation = "Add a README."

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        for path in project.glob("README.md"):
            yield self.supports("DP-4.b", "README present", Strength.DOCUMENT_PRESENT, [path])


class BrokenCheck(EvidenceCheck):
    id = "fake.broken"
    title = "Broken"
    behaviours = ("SD-1.a",)
    remediation = "-"

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        raise RuntimeError("boom")


class StrayCheck(EvidenceCheck):
    id = "fake.stray"
    title = "Stray"
    behaviours = ("SD-1.a",)
    remediation = "-"

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        yield self.supports("OM-4.b", "not mine to judge", Strength.VERIFIED)


def assess(root: Path, *checks: EvidenceCheck, **kwargs: object):  # type: ignore[no-untyped-def]
    options = AssessOptions(
        target=root,
        settings=load_settings([root], env={}),
        today=TODAY,
        checks=checks,
        **kwargs,  # type: ignore[arg-type]
    )
    return run_assessment(options)


def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "README.md").write_text(
        "# Bot\n\n## Limitations\n\nThe bot can be wrong and can be steered by prompt injection; "
        "never act on its answers without checking them.\n\n## Safe use\n\nDo not paste "
        "credentials or customer personal data into the chat window at any time.\n\n"
        "## Secure configuration\n\nRun it behind the company proxy with authentication on "
        "and keep the API key in the secret store.\n"
    )
    (root / "requirements.txt").write_text("openai==1.50.0\n")
    (root / "app.py").write_text(
        "import pickle\n\ndef load(data):\n    return pickle.loads(data)\n"
    )
    return root


def test_findings_evidence_and_attestations_meet_in_the_scorecard(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "aiwarden-attestations.yaml").write_text(
        "version: 1\nattestations:\n  - behaviour: DP-4.b\n    statement: Limits published.\n"
        "    attested_by: Ann <ann@example.com>\n    date: 2026-10-01\n    expires: 2027-10-01\n"
    )
    scorecard = assess(root, ReadmeCheck())
    dp4b = scorecard.guideline("DP-4").behaviours[1]
    assert dp4b.id == "DP-4.b"
    assert dp4b.status is Status.MET
    assert "Attested by Ann" in dp4b.reason
    assert dp4b.evidence[0].paths == ("README.md",)
    sd3 = scorecard.guideline("SD-3")
    assert any(f.rule_id == "AIW-PY002" for b in sd3.behaviours for f in b.findings)
    assert scorecard.attestations_file is not None
    assert scorecard.attestations_file.endswith("aiwarden-attestations.yaml")
    assert scorecard.scan.complete
    assert scorecard.next_steps


def test_a_failing_or_straying_check_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    scorecard = assess(project(tmp_path), BrokenCheck(), StrayCheck())
    assert any("fake.broken failed: RuntimeError: boom" in w for w in scorecard.warnings)
    assert any("fake.stray reported on OM-4.b" in w for w in scorecard.warnings)
    om4b = scorecard.guideline("OM-4").behaviours[1]
    assert not om4b.evidence


def test_history_shows_earlier_runs_and_records_this_one(tmp_path: Path) -> None:
    root = project(tmp_path)
    db = tmp_path / "history.sqlite"
    first = assess(root, history=db)
    assert first.history == ()
    second = assess(root, history=db)
    assert len(second.history) == 1
    assert second.history[0].statuses["SD-3"] == first.guideline("SD-3").status.value


def test_an_invalid_attestations_file_stops_the_assessment(tmp_path: Path) -> None:
    root = project(tmp_path)
    bad = tmp_path / "att.yaml"
    bad.write_text("version: 1\nattestations:\n  - behaviour: NOPE\n")
    with pytest.raises(Exception, match="unknown behaviour 'NOPE'"):
        assess(root, attestations=bad)


def test_a_missing_target_or_attestations_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a directory"):
        assess(tmp_path / "nope")
    with pytest.raises(UsageError, match="attestations file not found"):
        assess(project(tmp_path), attestations=tmp_path / "missing.yaml")


def test_a_subdirectory_is_assessed_on_its_own(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    root = project(tmp_path)
    (tmp_path / "other.py").write_text("import pickle\npickle.loads(b'')\n")
    scorecard = assess(root)
    assert scorecard.project == "proj"
    paths = {f.path for g in scorecard.guidelines for b in g.behaviours for f in b.findings}
    assert paths and all(p.startswith("proj/") for p in paths)


def test_an_empty_directory_says_there_is_nothing_to_assess(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    scorecard = assess(empty)
    assert any("nothing to assess" in w for w in scorecard.warnings)


def test_a_project_without_ai_components_is_warned_about(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "lib"\ndependencies = ["attrs"]\n')
    (root / "lib.py").write_text("import json\n")
    scorecard = assess(root)
    assert any("no AI component was detected" in w for w in scorecard.warnings)
    om1 = scorecard.guideline("OM-1")
    assert om1.status is Status.NOT_APPLICABLE  # a missing monitoring plan does not matter here


def test_a_narrowed_rule_selection_is_warned_about(tmp_path: Path) -> None:
    root = project(tmp_path)
    options = AssessOptions(
        target=root,
        settings=load_settings([root], env={}, overrides={"select": ("AIW-MOD",)}),
        today=TODAY,
        checks=(),
    )
    scorecard = run_assessment(options)
    assert any("rule selection" in w for w in scorecard.warnings)
    assert not any("rule selection" in w for w in assess(root).warnings)
