"""Baselines: round trip, line-move stability, versioning and corrupt files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiw_test_support import make_rule
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.fingerprint import FINGERPRINT_VERSION, fingerprint_all
from aiwarden.core.location import Location
from aiwarden.core.report import (
    BaselineState,
    ReportedFinding,
    ScanReport,
    Suppression,
    SuppressionKind,
)
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity
from aiwarden.engine.baseline import (
    BASELINE_SCHEMA_VERSION,
    build_baseline,
    load_baseline,
    mark_baseline,
    write_baseline,
)
from aiwarden.engine.rules import TIMEOUT
from aiwarden.errors import BaselineError

RULE = make_rule("AIW-PY001", guidelines=("SD-1",))


def _finding(path: str, line: int, key: str = "eval(x)", rule: Rule = RULE) -> Finding:
    return make_finding(rule, Location(path, line), f"call {key}", fingerprint_key=key)


def _reported(
    findings: list[Finding], suppressed: frozenset[int] = frozenset()
) -> list[ReportedFinding]:
    return [
        ReportedFinding(
            f,
            fp,
            Suppression(SuppressionKind.INLINE, "r", "x:1") if i in suppressed else None,
        )
        for i, (f, fp) in enumerate(zip(findings, fingerprint_all(findings), strict=True))
    ]


def _report(findings: list[ReportedFinding]) -> ScanReport:
    return ScanReport(
        tool_version="0.1.0",
        root="/proj",
        targets=(".",),
        findings=tuple(findings),
        rules=(RULE,),
        scanned=(),
        skipped=(),
        failed=(),
        fail_on=Severity.HIGH,
        started_at="2026-01-01T00:00:00+00:00",
        duration_s=0.1,
    )


def test_round_trip_marks_known_and_new(tmp_path: Path) -> None:
    old = _reported([_finding("a.py", 3), _finding("b.py", 1, "exec(y)")])
    path = tmp_path / ".aiwarden-baseline.json"

    assert write_baseline(_report(old), path) == 2
    known = load_baseline(path)

    now = _reported([_finding("a.py", 3), _finding("c.py", 9, "os.system(z)")])
    marked = mark_baseline(now, known)
    assert [m.baseline_state for m in marked] == [BaselineState.UNCHANGED, BaselineState.NEW]
    assert not marked[0].active and marked[1].active


def test_moving_a_finding_to_another_line_keeps_it_in_the_baseline(tmp_path: Path) -> None:
    before = _reported([_finding("a.py", 3)])
    after = _reported([_finding("a.py", 42)])
    assert before[0].fingerprint == after[0].fingerprint

    path = tmp_path / "baseline.json"
    write_baseline(_report(before), path)
    marked = mark_baseline(after, load_baseline(path))
    assert marked[0].baseline_state is BaselineState.UNCHANGED


def test_document_shape_sorted_and_without_suppressed_or_engine_findings() -> None:
    findings = [
        _finding("z.py", 1),
        _finding("a.py", 1),
        _finding("m.py", 1, "suppressed"),
        _finding("e.bin", 1, "timeout", rule=TIMEOUT),
    ]
    document = build_baseline(_report(_reported(findings, suppressed=frozenset({2}))))

    assert document["schema_version"] == BASELINE_SCHEMA_VERSION
    assert document["tool"] == "aiwarden"
    assert document["tool_version"] == "0.1.0"
    assert document["fingerprint_algorithm"] == FINGERPRINT_VERSION
    assert isinstance(document["created_at"], str)
    entries = document["findings"]
    assert isinstance(entries, list)
    assert [e["path"] for e in entries] == ["a.py", "z.py"]
    assert set(entries[0]) == {"fingerprint", "rule_id", "path", "message"}


def test_engine_findings_are_never_marked_unchanged() -> None:
    engine = _reported([_finding("e.bin", 1, "timeout", rule=TIMEOUT)])
    marked = mark_baseline(engine, frozenset({engine[0].fingerprint}))
    assert marked[0].baseline_state is BaselineState.NEW


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("old")
    write_baseline(_report(_reported([_finding("a.py", 1)])), path)
    assert json.loads(path.read_text())["tool"] == "aiwarden"
    assert [p.name for p in tmp_path.iterdir()] == ["b.json"]


def test_write_into_missing_directory_is_baseline_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot write baseline"):
        write_baseline(_report([]), tmp_path / "missing" / "b.json")


def _write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


def _valid_document() -> dict[str, object]:
    return {
        "schema_version": "1",
        "tool": "aiwarden",
        "fingerprint_algorithm": FINGERPRINT_VERSION,
        "findings": [{"fingerprint": "abc"}],
    }


def test_load_valid_minimal_document(tmp_path: Path) -> None:
    assert load_baseline(_write_json(tmp_path / "b.json", _valid_document())) == {"abc"}


def test_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="baseline file not found"):
        load_baseline(tmp_path / "nope.json")


def test_corrupt_baseline_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"schema_version": "1",\n  "findings": [\n')
    with pytest.raises(BaselineError) as info:
        load_baseline(path)
    message = str(info.value)
    assert message.startswith(f"{path}: baseline is not valid JSON") and "line 3" in message
    assert "\n" not in message


def test_binary_baseline_is_error(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BaselineError, match="not valid UTF-8"):
        load_baseline(path)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"schema_version": "2"}, "unsupported baseline schema_version '2'"),
        ({"schema_version": 1}, "unsupported baseline schema_version 1"),
        ({"fingerprint_algorithm": "aiwarden/v0"}, "unsupported fingerprint_algorithm"),
        ({"tool": "other"}, "not an aiwarden baseline"),
        ({"findings": {"abc": 1}}, "'findings' must be an array"),
        ({"findings": [{"fingerprint": 5}]}, "findings[0] has no 'fingerprint'"),
        ({"findings": ["abc"]}, "findings[0] has no 'fingerprint'"),
    ],
)
def test_wrong_shape_or_version(tmp_path: Path, change: dict[str, object], fragment: str) -> None:
    path = _write_json(tmp_path / "b.json", {**_valid_document(), **change})
    with pytest.raises(BaselineError) as info:
        load_baseline(path)
    assert fragment in str(info.value)


def test_top_level_array_is_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="not an aiwarden baseline"):
        load_baseline(_write_json(tmp_path / "b.json", ["abc"]))
