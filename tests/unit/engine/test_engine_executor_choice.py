"""Which executor a scan gets, and that an in-process scan keeps the per-file guarantees."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiw_test_support import make_rule
from aiwarden.analyzers.interface import Analyzer, Artifact, Limits
from aiwarden.analyzers.models.safetensors_header import SafetensorsAnalyzer
from aiwarden.analyzers.registry import Registry
from aiwarden.core import FileFormat, Finding, Severity, make_finding
from aiwarden.engine import executor as ex
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions, run_scan
from aiwarden.engine.worker import FileTask

RULE = make_rule("AIW-TST030", Severity.HIGH)


class Recorder(Analyzer):
    """Records the process it ran in; crashes or hangs on marker text."""

    name = "recorder"
    rules = (RULE,)
    formats = frozenset({FileFormat.TEXT})
    pids: list[int] = []  # noqa: RUF012 - shared by the instances of one test

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterator[Finding]:
        Recorder.pids.append(os.getpid())
        text = artifact.read_text(limits)
        if "CRASH" in text:
            raise RuntimeError("boom")
        if "HANG" in text:
            time.sleep(30)
        yield make_finding(RULE, artifact.location(1), "seen")


def _tasks(tmp_path: Path, count: int) -> list[FileTask]:
    tasks = []
    for index in range(count):
        path = tmp_path / f"{index}.txt"
        path.write_text("x\n")
        tasks.append(FileTask(str(path), path.name, ("recorder",), Limits()))
    return tasks


@pytest.fixture
def builtin_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat this test module's analyzers as aiwarden's own (only those run in-process)."""
    monkeypatch.setattr(ex, "_BUILTIN_MODULES", (__name__, "aiwarden.analyzers."))


def test_a_small_scan_of_builtin_analyzers_runs_in_process(tmp_path: Path) -> None:
    registry = Registry((SafetensorsAnalyzer(),), ())
    chosen = ex.default_executor(_tasks(tmp_path, 3), 2, registry)
    assert isinstance(chosen, ex.InlineExecutor)


def test_a_plugin_analyzer_always_gets_worker_processes(tmp_path: Path) -> None:
    registry = Registry((SafetensorsAnalyzer(), Recorder()), ())
    assert not ex.only_builtin(registry)
    assert isinstance(ex.default_executor(_tasks(tmp_path, 1), 2, registry), ex.ProcessExecutor)


def test_many_files_or_many_bytes_get_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = Registry((SafetensorsAnalyzer(),), ())
    tasks = _tasks(tmp_path, 3)
    monkeypatch.setattr(ex, "INLINE_MAX_FILES", 2)
    assert isinstance(ex.default_executor(tasks, 2, registry), ex.ProcessExecutor)
    monkeypatch.setattr(ex, "INLINE_MAX_FILES", 10)
    monkeypatch.setattr(ex, "INLINE_MAX_BYTES", 5)
    assert isinstance(ex.default_executor(tasks, 2, registry), ex.ProcessExecutor)
    monkeypatch.setattr(ex, "INLINE_MAX_BYTES", 6)
    assert isinstance(ex.default_executor(tasks, 2, registry), ex.InlineExecutor)


def test_a_scan_started_off_the_main_thread_gets_worker_processes(tmp_path: Path) -> None:
    registry = Registry((SafetensorsAnalyzer(),), ())
    chosen: list[ex.Executor] = []
    thread = threading.Thread(
        target=lambda: chosen.append(ex.default_executor(_tasks(tmp_path, 1), 1, registry))
    )
    thread.start()
    thread.join()
    assert isinstance(chosen[0], ex.ProcessExecutor)


def _scan(tmp_path: Path, registry: Registry) -> tuple[dict[str, str], bool]:
    settings = load_settings([tmp_path], overrides={"timeout_s": 1.0})
    report = run_scan(ScanOptions((tmp_path,), settings), registry=registry)
    return {f.finding.location.path: f.finding.rule_id for f in report.findings}, report.complete


@pytest.mark.usefixtures("builtin_tests")
def test_in_process_scans_report_timeouts_and_crashes_and_stay_incomplete(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("fine\n")
    (tmp_path / "crash.txt").write_text("CRASH\n")
    (tmp_path / "hang.txt").write_text("HANG\n")
    Recorder.pids = []
    started = time.monotonic()
    rules, complete = _scan(tmp_path, Registry((Recorder(),), ()))
    assert time.monotonic() - started < 20
    assert set(Recorder.pids) == {os.getpid()}  # the analysis ran in this process
    assert rules == {"ok.txt": "AIW-TST030", "crash.txt": "AIW-ENG001", "hang.txt": "AIW-ENG002"}
    assert complete is False


@pytest.mark.usefixtures("builtin_tests")
def test_an_in_process_scan_of_clean_files_is_complete(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("fine\n")
    rules, complete = _scan(tmp_path, Registry((Recorder(),), ()))
    assert rules == {"ok.txt": "AIW-TST030"} and complete is True


def test_the_collector_settings_are_restored_after_a_scan() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with ex.relaxed_gc():
        assert gc.get_threshold() == ex.GC_THRESHOLDS
        assert gc.get_freeze_count() >= frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
