"""The per-file worker and the in-process executor: failures become findings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from aiw_test_support import make_rule
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.registry import Registry
from aiwarden.core import FileFormat, Finding, Severity, make_finding
from aiwarden.engine.executor import InlineExecutor
from aiwarden.engine.worker import FileResult, FileTask, analyze_file

RULE = make_rule("AIW-TST020")


class PartialThenLimit(Analyzer):
    name = "partial"
    rules = (RULE,)
    formats = frozenset({FileFormat.TEXT})

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        yield make_finding(RULE, artifact.location(1), "found before the limit")
        raise LimitExceeded("max_read_bytes", 1, "test")


class Sleepy(Analyzer):
    name = "sleepy"
    rules = (make_rule("AIW-TST021", Severity.LOW),)
    formats = frozenset({FileFormat.TEXT})

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        time.sleep(30)
        yield from ()


def task(path: Path, *names: str, timeout_s: float = 60.0) -> FileTask:
    return FileTask(str(path), path.name, names, Limits(timeout_s=timeout_s))


def test_findings_before_a_limit_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello\n")
    registry = Registry((PartialThenLimit(),), ())
    result = analyze_file(task(path, "partial"), registry)
    assert [f.rule_id for f in result.findings] == ["AIW-TST020", "AIW-ENG003"]
    assert result.failure is not None and "max_read_bytes" in result.failure


def test_unselected_analyzers_do_not_run(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello\n")
    result = analyze_file(task(path), Registry((PartialThenLimit(),), ()))
    assert result.findings == () and result.failure is None
    assert result.format is FileFormat.TEXT


def test_vanished_file_is_an_unreadable_finding(tmp_path: Path) -> None:
    result = analyze_file(task(tmp_path / "gone.txt", "partial"), Registry((), ()))
    assert [f.rule_id for f in result.findings] == ["AIW-ENG004"]
    assert result.failure


def test_inline_executor_enforces_the_time_budget(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello\n")
    results: list[FileResult] = []
    started = time.monotonic()
    InlineExecutor(Registry((Sleepy(),), ())).run(
        [task(path, "sleepy", timeout_s=0.5)], results.append
    )
    assert time.monotonic() - started < 10
    assert [f.rule_id for f in results[0].findings] == ["AIW-ENG002"]
