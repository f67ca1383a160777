"""The per-file worker and the in-process executor: failures become findings."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from aiw_test_support import make_rule
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.registry import Registry
from aiwarden.core import FileFormat, Finding, Severity, make_finding
from aiwarden.engine import executor as executor_module
from aiwarden.engine.executor import InlineExecutor, ProcessExecutor
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


class Preloading(Analyzer):
    name = "preloading"
    rules = (make_rule("AIW-TST022", Severity.LOW),)
    formats = frozenset({FileFormat.TEXT})

    def __init__(self) -> None:
        self.preloaded: list[list[str]] = []

    def preload(self, names: Sequence[str]) -> None:
        self.preloaded.append(list(names))

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        yield from ()


def test_a_process_pool_offers_analyzers_a_preload_before_forking(tmp_path: Path) -> None:
    paths = [tmp_path / f"{n}.txt" for n in "ab"]
    for path in paths:
        path.write_text("x\n")
    analyzer = Preloading()
    results: list[FileResult] = []
    executor = ProcessExecutor(2, registry=Registry((analyzer,), ()))
    executor.run([task(p, "preloading") for p in paths], results.append)
    assert len(results) == 2
    assert analyzer.preloaded == ([["a.txt", "b.txt"]] if sys.platform == "linux" else [])


def test_a_forking_pool_loads_the_deferred_analyzer_modules_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers inherit one import of the analyzers' checks (they load lazily in-process)."""
    calls: list[str] = []
    monkeypatch.setattr(executor_module, "load_deferred", lambda: calls.append("loaded"))
    paths = [tmp_path / f"{n}.txt" for n in "ab"]
    for path in paths:
        path.write_text("x\n")
    ProcessExecutor(2, registry=Registry((Preloading(),), ())).run(
        [task(p, "preloading") for p in paths], [].append
    )
    assert calls == (["loaded"] if sys.platform == "linux" else [])


def test_a_single_worker_is_not_preloaded_for(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x\n")
    analyzer = Preloading()
    ProcessExecutor(1, registry=Registry((analyzer,), ())).run(
        [task(path, "preloading")], [].append
    )
    assert analyzer.preloaded == []
